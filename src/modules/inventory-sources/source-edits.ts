import type { AppError } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { assertEndpointInputAllowed } from '../../platform/outbound/index.js';
import { withRandomSuffix } from '../../platform/slug.js';
import { changesOf } from '../activity/index.js';
import type { StorefrontRow } from '../storefronts/index.js';
import { agentIdFor, sourceIdFromName } from './agent-id.js';
import { authContext, normalizeAuth, sealAuth } from './credentials/auth-config.js';
import type { InventorySourcesDeps } from './deps.js';
import {
  allowedTransitions,
  assertKindUpdate,
  badTransition,
  draftCannotActivate,
  sourceNotFound,
} from './errors.js';
import type { CreateSourceInput, SourceView, UpdateSourceInput } from './schemas.js';
import { servedActivationRefusal } from './probing/self-reports.js';
import { assertActivatable, type SourceProbing } from './probing/source-probing.js';
import type * as rawStore from './store.js';
import { isConnected, isDraft, type SourceRow, type StoredSourceRow } from './store.js';
import { sourceView } from './views.js';

/**
 * What a source edit hears from above this module (compliance, through the function that joins
 * the two: wiring/sellers/source-compliance.ts); an edit given none asks no one.
 */
export interface SourceConnection {
  /**
   * Told when a source got an endpoint or credential to call (created, or its endpoint,
   * protocol or credential changed): compliance runs its storyboards. Never throws.
   */
  connected?(row: SourceRow, principal: CustomerPrincipal): Promise<void>;
  /**
   * Why the source may not go ACTIVE beyond its probe, if at all: under the strict compliance
   * policy, a latest compliance run that failed. Asked after the probe, before anything is saved.
   */
  activationRefusal?(row: SourceRow): Promise<AppError | undefined>;
}

/**
 * The operator's edits of an AGENT source: register (and probe), update (the configuration it
 * will have is probed before anything is saved), remove; each recorded in the activity log, and
 * a new endpoint or credential handed to the caller's `connected` (compliance runs).
 */
export function createSourceEdits(
  deps: InventorySourcesDeps,
  store: typeof rawStore,
  probing: SourceProbing,
  now: () => Date,
) {
  const { db, secrets, activity, storefronts } = deps;
  const { probeRow, saveProbe, refreshRow } = probing;

  const checkEndpoint = (url: string, field = 'endpointUrl') =>
    assertEndpointInputAllowed(url, field, {
      allowPrivateNetwork: deps.allowPrivateNetwork,
      trustedHosts: deps.trustedHosts,
    });

  async function requireSource(
    storefront: StorefrontRow,
    sourceId: string,
  ): Promise<StoredSourceRow> {
    const row = await store.findSource(db, storefront.id, sourceId);
    if (!row) throw sourceNotFound();
    return row;
  }

  const view = (row: StoredSourceRow, storefront: StorefrontRow): SourceView =>
    sourceView(row, storefront.storefrontType);

  // What follows a connection (compliance runs) reports its own failures; the hook never throws.
  const connected = async (
    row: StoredSourceRow,
    principal: CustomerPrincipal,
    connection: SourceConnection,
  ) => {
    if (connection.connected && isConnected(row)) await connection.connected(row, principal);
  };

  return {
    requireSource,
    view,

    /**
     * Registers an AGENT source (PENDING) and probes it before answering; without an endpoint
     * it is a draft (hosted: only a name is required), which readiness flags.
     */
    async create(
      principal: CustomerPrincipal,
      input: CreateSourceInput,
      connection: SourceConnection = {},
    ): Promise<SourceView> {
      const storefront = await storefronts.requireOwn(principal);
      const auth = normalizeAuth(input.authenticationType, input.auth, input.requiresCredentials);
      if (input.endpointUrl !== undefined) await checkEndpoint(input.endpointUrl);
      if (auth?.type === 'jwt') await checkEndpoint(auth.tokenEndpointUrl, 'auth.tokenEndpointUrl');
      let sourceId = input.sourceId;
      if (!sourceId) {
        const base = sourceIdFromName(input.name);
        sourceId = (await store.sourceIdTaken(db, storefront.id, base))
          ? withRandomSuffix(base, 255)
          : base;
      }
      const finalSourceId = sourceId;
      const row = await db.transaction(async (tx) => {
        const created = await store.insertSource(tx, {
          storefrontId: storefront.id,
          sourceId: finalSourceId,
          name: input.name,
          description: input.description ?? null,
          executionType: input.executionType,
          type: input.type,
          protocol: input.protocol,
          endpointUrl: input.endpointUrl ?? null,
          agentId: input.endpointUrl ? agentIdFor(input.endpointUrl, input.protocol) : null,
          authenticationType: input.authenticationType,
          authSealed: auth
            ? sealAuth(secrets, auth, authContext(storefront.id, finalSourceId))
            : null,
          requiresCredentials: input.requiresCredentials,
        });
        await activity.record(
          {
            storefrontId: storefront.id,
            action: 'CREATE',
            resourceType: 'STOREFRONT_INVENTORY_SOURCE',
            resourceId: created.sourceId,
            resourceName: created.name,
            userId: principal.userId,
            description: created.endpointUrl
              ? `Inventory source ${created.name} registered (${created.protocol} ${created.endpointUrl})`
              : `Inventory source ${created.name} registered as a draft (no endpoint yet)`,
          },
          tx,
        );
        return created;
      });
      const probed = await refreshRow(row, principal.userId);
      await connected(probed, principal, connection);
      return view(probed, storefront);
    },

    /** Partial update; `auth` rotates the stored credential, omitting it keeps the current one. */
    async update(
      principal: CustomerPrincipal,
      sourceId: string,
      input: UpdateSourceInput,
      connection: SourceConnection = {},
    ): Promise<SourceView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await requireSource(storefront, sourceId);
      if (row.executionType !== 'AGENT') assertKindUpdate(row, input);
      const authenticationType = input.authenticationType ?? row.authenticationType;
      const requiresCredentials = input.requiresCredentials ?? row.requiresCredentials;
      const patch: Partial<rawStore.NewSource> = {};
      if (input.auth !== undefined || input.authenticationType !== undefined) {
        const keepsSameType =
          input.authenticationType === undefined ||
          input.authenticationType === row.authenticationType;
        if (input.auth === undefined && keepsSameType && row.authSealed) {
          // Only the type was re-sent: keep the stored credential.
        } else {
          const auth = normalizeAuth(authenticationType, input.auth, requiresCredentials);
          if (auth?.type === 'jwt') {
            await checkEndpoint(auth.tokenEndpointUrl, 'auth.tokenEndpointUrl');
          }
          patch.authSealed = auth
            ? sealAuth(secrets, auth, authContext(row.storefrontId, row.sourceId))
            : null;
        }
      }
      if (input.endpointUrl !== undefined) await checkEndpoint(input.endpointUrl);
      const endpointUrl = input.endpointUrl ?? row.endpointUrl;
      const protocol = input.protocol ?? row.protocol;
      Object.assign(patch, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.type !== undefined && { type: input.type }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.requiresCredentials !== undefined && { requiresCredentials }),
        authenticationType,
        endpointUrl,
        protocol,
        // A kind served by Interchange itself keeps the agent id it was registered with.
        agentId: endpointUrl
          ? agentIdFor(endpointUrl, protocol)
          : row.executionType === 'AGENT'
            ? null
            : row.agentId,
      });

      const nextStatus = input.status ?? row.status;
      if (nextStatus !== row.status && !allowedTransitions[row.status]?.includes(nextStatus)) {
        throw badTransition(row.status, nextStatus);
      }
      if (nextStatus !== row.status) patch.status = nextStatus;

      // Probe the configuration as it will be, so a refused activation changes nothing.
      const candidate = { ...row, ...patch } as StoredSourceRow;
      const activating = nextStatus === 'ACTIVE' && row.status !== 'ACTIVE';
      if (isDraft(candidate) && activating) throw draftCannotActivate();
      // A kind Interchange serves has no probe: its own report says whether it can sell.
      if (activating && !isConnected(candidate)) {
        const refusal = servedActivationRefusal(candidate);
        if (refusal) throw refusal;
      }
      const result = isConnected(candidate) ? await probeRow(candidate) : undefined;
      if (activating && result) assertActivatable(candidate, result);
      if (activating && connection.activationRefusal && isConnected(candidate)) {
        const refusal = await connection.activationRefusal(candidate);
        if (refusal) throw refusal;
      }

      // A new secret is recorded as rotated, never with its value (sealed or not).
      const { authSealed, ...plain } = patch;
      const changes = {
        ...changesOf(row, plain),
        ...(authSealed !== undefined && { auth: { from: '[redacted]', to: '[rotated]' } }),
      };
      const saved = await db.transaction(async (tx) => {
        const updated = await store.updateSource(tx, row.id, patch);
        await activity.record(
          {
            storefrontId: storefront.id,
            action: 'UPDATE',
            resourceType: 'STOREFRONT_INVENTORY_SOURCE',
            resourceId: row.sourceId,
            resourceName: updated.name,
            userId: principal.userId,
            changes: Object.keys(changes).length ? changes : null,
            description: `Inventory source ${updated.name} updated: ${Object.keys(changes).join(', ') || 'no changes'}`,
          },
          tx,
        );
        return updated;
      });
      const probed = result ? await saveProbe(saved, result, principal.userId) : saved;
      const reconnected =
        patch.authSealed !== undefined ||
        probed.endpointUrl !== row.endpointUrl ||
        probed.protocol !== row.protocol;
      if (reconnected) await connected(probed, principal, connection);
      return view(probed, storefront);
    },

    /** Soft-deletes the source; its sourceId can be reused afterwards. */
    async remove(principal: CustomerPrincipal, sourceId: string): Promise<SourceView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await requireSource(storefront, sourceId);
      const removed = await db.transaction(async (tx) => {
        const saved = await store.updateSource(tx, row.id, {
          deletedAt: now(),
          status: 'DISABLED',
        });
        await activity.record(
          {
            storefrontId: storefront.id,
            action: 'DELETE',
            resourceType: 'STOREFRONT_INVENTORY_SOURCE',
            resourceId: row.sourceId,
            resourceName: row.name,
            userId: principal.userId,
            description: `Inventory source ${row.name} removed`,
          },
          tx,
        );
        return saved;
      });
      return view(removed, storefront);
    },
  };
}
