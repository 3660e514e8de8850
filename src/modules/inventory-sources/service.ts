import {
  credentialOwner,
  JwtGrantError,
  type OwnedAuth,
  type ProbeResult,
  type UpstreamAuth,
  type UpstreamClient,
} from '../../upstream/index.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Db } from '../../platform/db/database.js';
import { assertEndpointInputAllowed, OutboundError } from '../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { withRandomSuffix } from '../../platform/slug.js';
import { type ActivityService, changesOf } from '../activity/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import { agentIdFor, sourceIdFromName } from './agent-id.js';
import {
  authContext,
  normalizeAuth,
  type OAuthClientConfig,
  openAuth,
  sealAuth,
  upstreamAuthOf,
} from './auth-config.js';
import {
  allowedTransitions,
  badTransition,
  cannotActivate,
  draftCannotActivate,
  sourceNotFound,
} from './errors.js';
import { probeOutcome } from './probe-mapping.js';
import type {
  CallErrorRecord,
  CreateSourceInput,
  SourceView,
  UpdateSourceInput,
} from './schemas.js';
import * as rawStore from './store.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import { isConnected, type SourceRow, type StoredSourceRow } from './store.js';
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
}

/** The shortest interval between two recorded call errors of one source. */
const callErrorEveryMs = 10_000;

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
  const callErrorWrittenAt = new Map<number, number>();

  const checkEndpoint = (url: string, field = 'endpointUrl') =>
    assertEndpointInputAllowed(url, field, {
      allowPrivateNetwork: deps.allowPrivateNetwork,
      trustedHosts: deps.trustedHosts,
    });

  async function probeRow(row: SourceRow): Promise<ProbeResult> {
    const stored = row.authSealed
      ? openAuth(secrets, row.authSealed, authContext(row.storefrontId, row.sourceId))
      : null;
    const started = performance.now();
    const owner = credentialOwner.inventorySource(row.id);
    let auth: UpstreamAuth;
    try {
      auth = await upstreamAuthOf(stored, deps.upstream, {
        owner,
        timeoutMs: deps.probeTimeoutMs,
      });
    } catch (error) {
      // A JWT credential whose token endpoint refuses it is an auth failure of the source.
      if (!(error instanceof JwtGrantError || error instanceof OutboundError)) throw error;
      return {
        ok: false,
        latencyMs: performance.now() - started,
        error: { code: 'unauthorized', message: error.message },
      };
    }
    const remaining = Math.max(1, deps.probeTimeoutMs - (performance.now() - started));
    return deps.upstream.probe(
      { endpointUrl: row.endpointUrl, protocol: row.protocol, auth, owner },
      { timeoutMs: remaining },
    );
  }

  /** Caches what a probe learned on the source and logs it as setup activity. */
  async function saveProbe(
    row: StoredSourceRow,
    result: ProbeResult,
    userId: number | null,
  ): Promise<StoredSourceRow> {
    const at = now();
    const latency = Math.round(result.latencyMs);
    const updated = await store.recordProbe(db, row.id, probeOutcome(result, at));
    await activity.record({
      storefrontId: row.storefrontId,
      action: 'PROBE',
      resourceType: 'STOREFRONT_INVENTORY_SOURCE',
      resourceId: row.sourceId,
      resourceName: row.name,
      userId,
      actorOrigin: 'system',
      outcome: result.ok ? 'succeeded' : 'failed',
      description: result.ok
        ? `Capabilities probed in ${latency} ms (${result.tools.length} tools)`
        : `Probe failed: ${result.error.code}: ${result.error.message}`,
    });
    return updated;
  }

  /** Probes a source and records the outcome; a draft has nothing to probe and is returned as is. */
  async function refreshRow(row: StoredSourceRow, userId: number | null): Promise<StoredSourceRow> {
    if (!isConnected(row)) return row;
    return saveProbe(row, await probeRow(row), userId);
  }

  async function requireSource(
    storefront: StorefrontRow,
    sourceId: string,
  ): Promise<StoredSourceRow> {
    const row = await store.findSource(db, storefront.id, sourceId);
    if (!row) throw sourceNotFound();
    return row;
  }

  /** ACTIVE needs working auth: the probe succeeded, or the agent asks for credentials buyers bring. */
  function assertActivatable(row: StoredSourceRow, result: ProbeResult): void {
    if (result.ok) return;
    const operatorHoldsNoToken = row.authSealed === null || row.authenticationType === 'OAUTH';
    const buyersBringCredentials =
      row.requiresCredentials && operatorHoldsNoToken && result.error.code === 'unauthorized';
    if (buyersBringCredentials) return;
    throw cannotActivate(
      result.error.code === 'unauthorized'
        ? 'the agent refused the configured credentials'
        : 'the agent did not answer a capability probe',
      result.error,
    );
  }

  const view = (row: StoredSourceRow, storefront: StorefrontRow): SourceView =>
    sourceView(row, storefront.storefrontType);

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
      return view(await refreshRow(row, principal.userId), storefront);
    },

    /** Partial update; `auth` rotates the stored credential, omitting it keeps the current one. */
    async update(
      principal: CustomerPrincipal,
      sourceId: string,
      input: UpdateSourceInput,
    ): Promise<SourceView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await requireSource(storefront, sourceId);
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
        agentId: endpointUrl ? agentIdFor(endpointUrl, protocol) : null,
      });

      const nextStatus = input.status ?? row.status;
      if (nextStatus !== row.status && !allowedTransitions[row.status]?.includes(nextStatus)) {
        throw badTransition(row.status, nextStatus);
      }
      if (nextStatus !== row.status) patch.status = nextStatus;

      // Probe the configuration as it will be, so a refused activation changes nothing.
      const candidate = { ...row, ...patch } as StoredSourceRow;
      const activating = nextStatus === 'ACTIVE' && row.status !== 'ACTIVE';
      if (!isConnected(candidate) && activating) throw draftCannotActivate();
      const result = isConnected(candidate) ? await probeRow(candidate) : undefined;
      if (activating && result) assertActivatable(candidate, result);

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
      return view(result ? await saveProbe(saved, result, principal.userId) : saved, storefront);
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
    rowsByAgents: (agentIds: string[]) => store.listByAgents(db, agentIds),
    /** The OAuth client an OAUTH source configured for buyers' consent flows, if any. */
    oauthClientOf(row: SourceRow): OAuthClientConfig | null {
      if (row.authenticationType !== 'OAUTH' || !row.authSealed) return null;
      const stored = openAuth(secrets, row.authSealed, authContext(row.storefrontId, row.sourceId));
      return stored.type === 'oauth' ? stored : null;
    },
    /** A source with an endpoint (a draft reads as missing: nothing can call it yet). */
    findRow: async (storefrontId: number, sourceId: string): Promise<SourceRow | undefined> => {
      const row = await store.findSource(db, storefrontId, sourceId);
      return row && isConnected(row) ? row : undefined;
    },
    /** Re-probes a source the storefront owns (agent capabilities refresh); drafts are skipped. */
    refreshRow: (row: StoredSourceRow, userId: number | null) => refreshRow(row, userId),
    /**
     * The operator's credential for a source as presented upstream (NO_AUTH when it holds none),
     * owned by the source row; a JWT grant is exchanged at its token endpoint, which throws
     * JwtGrantError when refused.
     */
    /**
     * Keeps the last failed storefront-agent call to a source for its operator (readiness
     * sourceDiagnostics[].health.lastCallError). At most one write per source every
     * `callErrorEveryMs` in this process: a source failing on every call costs no write per call.
     */
    async noteCallError(row: SourceRow, error: Omit<CallErrorRecord, 'at'>): Promise<void> {
      const at = now();
      const last = callErrorWrittenAt.get(row.id);
      if (last !== undefined && at.getTime() - last < callErrorEveryMs) return;
      callErrorWrittenAt.set(row.id, at.getTime());
      if (callErrorWrittenAt.size > 10_000) callErrorWrittenAt.clear();
      await store.recordCallError(db, row.id, { ...error, at: at.toISOString() });
    },

    async operatorAuthOf(
      row: SourceRow,
      timeoutMs: number = deps.probeTimeoutMs,
    ): Promise<OwnedAuth> {
      const owner = credentialOwner.inventorySource(row.id);
      const stored = row.authSealed
        ? openAuth(secrets, row.authSealed, authContext(row.storefrontId, row.sourceId))
        : null;
      return { auth: await upstreamAuthOf(stored, deps.upstream, { owner, timeoutMs }), owner };
    },
    /** Probes a source with credentials other than the operator's (a buyer's own). */
    probeWith: (row: SourceRow, auth: UpstreamAuth) =>
      deps.upstream.probe(
        { endpointUrl: row.endpointUrl, protocol: row.protocol, auth },
        { timeoutMs: deps.probeTimeoutMs },
      ),
  };
}
