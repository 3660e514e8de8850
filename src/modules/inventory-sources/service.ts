import type { OwnedAuth, UpstreamAuth, UpstreamClient } from '../../upstream/index.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { assertEndpointInputAllowed } from '../../platform/outbound/index.js';
import type { AppError } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { withRandomSuffix } from '../../platform/slug.js';
import { type ActivityService, changesOf } from '../activity/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import { agentIdFor, sourceIdFromName } from './agent-id.js';
import { authContext, normalizeAuth, type OAuthClientConfig, sealAuth } from './auth-config.js';
import { createCallErrorLog } from './call-errors.js';
import {
  allowedTransitions,
  assertKindUpdate,
  badTransition,
  draftCannotActivate,
  sourceNotFound,
} from './errors.js';
import type {
  CachedCapabilities,
  CreateSourceInput,
  SourceView,
  UpdateSourceInput,
} from './schemas.js';
import { oauthClientOf, operatorAuthOf } from './source-credentials.js';
import { assertActivatable, createSourceProbing } from './source-probing.js';
import * as rawStore from './store.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import { isConnected, isDraft, type SourceRow, type StoredSourceRow } from './store.js';
import { sourceView } from './views.js';

export interface InventorySourcesDeps {
  db: Db;
  secrets: SecretBox;
  upstream: UpstreamClient;
  storefronts: StorefrontsService;
  activity: ActivityService;
  allowPrivateNetwork: boolean;
  /** This deployment's own `host:port`s (the built-in demo agent lives there). */
  trustedHosts: ReadonlySet<string>;
  probeTimeoutMs: number;
  now?: () => Date;
  /**
   * Told when a source got an endpoint or credential to call (created, or its endpoint,
   * protocol or credential changed): the compliance module runs its storyboards.
   */
  onConnected?: (row: SourceRow, principal: CustomerPrincipal) => Promise<void>;
  /**
   * Why the source may not go ACTIVE beyond its probe, if at all: under the strict compliance
   * policy, a latest compliance run that failed (the compliance module answers).
   */
  activationRefusal?: (row: SourceRow) => Promise<AppError | undefined>;
}

export type InventorySourcesService = ReturnType<typeof createInventorySourcesService>;

export function createInventorySourcesService(deps: InventorySourcesDeps) {
  const { db, secrets, activity, storefronts } = deps;
  // A storefront agent reads its sources on every call: held briefly per storefront
  // (platform/read-cache.ts), cleared by any write here (probes included).
  const cache = createReadCache();
  const store = writesClear(
    rawStore,
    ['sourceIdTaken', 'findSource', 'listSources', 'countActive', 'listActiveFor', 'listByAgents'],
    cache,
  );
  const now = deps.now ?? (() => new Date());
  const { probeRow, saveProbe, refreshRow } = createSourceProbing(deps, store, now);
  const noteCallError = createCallErrorLog(db, store, now);

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
  const connected = async (row: StoredSourceRow, principal: CustomerPrincipal) => {
    if (deps.onConnected && isConnected(row)) await deps.onConnected(row, principal);
  };

  return {
    async list(principal: CustomerPrincipal): Promise<SourceView[]> {
      const storefront = await storefronts.requireOwn(principal);
      const rows = await store.listSources(db, storefront.id);
      return rows.map((r) => view(r, storefront));
    },

    async get(principal: CustomerPrincipal, sourceId: string): Promise<SourceView> {
      const storefront = await storefronts.requireOwn(principal);
      return view(await requireSource(storefront, sourceId), storefront);
    },

    /**
     * Registers an AGENT source (PENDING) and probes it before answering; without an endpoint
     * it is a draft (hosted: only a name is required), which readiness flags.
     */
    async create(principal: CustomerPrincipal, input: CreateSourceInput): Promise<SourceView> {
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
      await connected(probed, principal);
      return view(probed, storefront);
    },

    /** Partial update; `auth` rotates the stored credential, omitting it keeps the current one. */
    async update(
      principal: CustomerPrincipal,
      sourceId: string,
      input: UpdateSourceInput,
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
      const result = isConnected(candidate) ? await probeRow(candidate) : undefined;
      if (activating && result) assertActivatable(candidate, result);
      if (activating && deps.activationRefusal && isConnected(candidate)) {
        const refusal = await deps.activationRefusal(candidate);
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
      if (reconnected) await connected(probed, principal);
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

    async refresh(principal: CustomerPrincipal, sourceId: string): Promise<SourceView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await requireSource(storefront, sourceId);
      return view(await refreshRow(row, principal.userId), storefront);
    },

    /**
     * Registers a source of a kind Interchange serves itself (a MODULAR_SOURCE): no endpoint, no
     * credential, ACTIVE at once; `tx` is the caller's transaction, so the kind's own records
     * are written with it or not at all. Its agent id names the source, not a reachable agent.
     */
    async registerOfKind(
      tx: Db,
      principal: CustomerPrincipal,
      input: { executionType: string; name: string; sourceId?: string | undefined },
    ): Promise<StoredSourceRow> {
      const storefront = await storefronts.requireOwn(principal);
      let sourceId = input.sourceId;
      if (!sourceId) {
        const base = sourceIdFromName(input.name);
        sourceId = (await store.sourceIdTaken(tx, storefront.id, base))
          ? withRandomSuffix(base, 255)
          : base;
      }
      const created = await store.insertSource(tx, {
        storefrontId: storefront.id,
        sourceId,
        name: input.name,
        executionType: input.executionType,
        type: 'SALES',
        protocol: 'MCP',
        endpointUrl: null,
        agentId: `${input.executionType.toLowerCase()}:${storefront.id}:${sourceId}`,
        authenticationType: 'NO_AUTH',
        authSealed: null,
        requiresCredentials: false,
        status: 'ACTIVE',
      });
      await activity.record(
        {
          storefrontId: storefront.id,
          action: 'CREATE',
          resourceType: 'STOREFRONT_INVENTORY_SOURCE',
          resourceId: created.sourceId,
          resourceName: created.name,
          userId: principal.userId,
          description: `${input.executionType} inventory source ${created.name} created`,
        },
        tx,
      );
      return created;
    },

    /**
     * What a kind served by Interchange itself reports in place of a probe: its capabilities
     * and whether it is healthy (an error names what needs the operator), for readiness.
     */
    async recordSelfReport(
      row: StoredSourceRow,
      report: { capabilities: CachedCapabilities; error: { code: string; message: string } | null },
    ): Promise<void> {
      const at = now();
      await store.recordProbe(db, row.id, {
        capabilities: report.capabilities,
        lastProbeAt: at,
        ...(report.error
          ? { lastError: { ...report.error, at: at.toISOString() } }
          : { lastSuccessAt: at, lastError: null }),
        lastLatencyMs: null,
      });
    },
    /** A live source of a storefront by slug, any kind, drafts included. */
    findStored: (storefrontId: number, sourceId: string) =>
      store.findSource(db, storefrontId, sourceId),

    /** Sources with an endpoint of a storefront as rows, for the merchandising agent. */
    rowsOf: async (storefrontId: number): Promise<SourceRow[]> =>
      (
        await cache.get(`sources:${storefrontId}`, () => store.listSources(db, storefrontId))
      ).filter(isConnected),
    /** Every source of a storefront, drafts included, for readiness and the operator. */
    allRowsOf: (storefrontId: number): Promise<StoredSourceRow[]> =>
      cache.get(`sources:${storefrontId}`, () => store.listSources(db, storefrontId)),
    activeCounts: (storefrontIds: number[]) => store.countActive(db, storefrontIds),
    /** Per storefront, what its ACTIVE sources declared (storefront views and discovery cards). */
    async activeCoverage(storefrontIds: number[]) {
      const out = new Map<
        number,
        { channels: string[]; countries: string[]; sellsProducts: boolean }[]
      >();
      for (const row of await store.listActiveFor(db, storefrontIds)) {
        const caps = row.capabilities;
        out.set(row.storefrontId, [
          ...(out.get(row.storefrontId) ?? []),
          {
            channels: caps?.channels ?? [],
            countries: caps?.countries ?? [],
            sellsProducts: caps?.products === 'supported',
          },
        ]);
      }
      return out;
    },
    activeRowsFor: (storefrontIds: number[]) => store.listActiveFor(db, storefrontIds),
    /** Every connected source not DISABLED, across storefronts (the compliance schedule). */
    liveRowsForCompliance: () => rawStore.listLiveConnected(db),
    rowsByAgents: (agentIds: string[]) => store.listByAgents(db, agentIds),
    /** The OAuth client an OAUTH source configured for buyers' consent flows, if any. */
    oauthClientOf: (row: SourceRow): OAuthClientConfig | null => oauthClientOf(secrets, row),
    /** A source with an endpoint (a draft reads as missing: nothing can call it yet). */
    findRow: async (storefrontId: number, sourceId: string): Promise<SourceRow | undefined> => {
      const row = await store.findSource(db, storefrontId, sourceId);
      return row && isConnected(row) ? row : undefined;
    },
    /** Re-probes a source the storefront owns (agent capabilities refresh); drafts are skipped. */
    refreshRow: (row: StoredSourceRow, userId: number | null) => refreshRow(row, userId),
    /** The source's last failed storefront-agent call, for its operator (call-errors.ts). */
    noteCallError,
    /** The operator's credential as presented upstream (source-credentials.ts). */
    operatorAuthOf: (row: SourceRow, timeoutMs: number = deps.probeTimeoutMs): Promise<OwnedAuth> =>
      operatorAuthOf(deps, row, timeoutMs),
    /** Probes a source with credentials other than the operator's (a buyer's own). */
    probeWith: (row: SourceRow, auth: UpstreamAuth) =>
      deps.upstream.probe(
        { endpointUrl: row.endpointUrl, protocol: row.protocol, auth },
        { timeoutMs: deps.probeTimeoutMs },
      ),
  };
}
