import type { OwnedAuth, UpstreamAuth } from '../../upstream/index.js';
import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { withRandomSuffix } from '../../platform/slug.js';
import { sourceIdFromName } from './agent-id.js';
import type { OAuthClientConfig } from './credentials/auth-config.js';
import { createCallErrorLog } from './probing/call-errors.js';
import { activeCoverageReader } from './ports/coverage.js';
import { createProductIssueLog, productIssuesOf } from './product-issues/product-issues.js';
import type { InventorySourcesDeps } from './deps.js';
import type { SourceView } from './schemas.js';
import { createSelfReports } from './probing/self-reports.js';
import { oauthClientOf, operatorAuthOf } from './credentials/source-credentials.js';
import { createSourceEdits } from './source-edits.js';
import { createSourceProbing } from './probing/source-probing.js';
import { speaksAdcp31 } from './probing/releases.js';
import * as rawStore from './store.js';
import { createReadCache, writesClear } from '../../platform/read-cache.js';
import { isConnected, type SourceRow, type StoredSourceRow } from './store.js';

export type { InventorySourcesDeps };

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
  const cachedRowsOf = (storefrontId: number): Promise<StoredSourceRow[]> =>
    cache.get(`sources:${storefrontId}`, () => store.listSources(db, storefrontId));
  const now = deps.now ?? (() => new Date());
  const probing = createSourceProbing(deps, store, now);
  const { refreshRow } = probing;
  const noteCallError = createCallErrorLog(db, store, now);
  const noteProductCheck = createProductIssueLog(db, now);
  const edits = createSourceEdits(deps, store, probing, now);
  const { requireSource, view } = edits;
  const selfReports = createSelfReports(deps, store, now);

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

    create: edits.create,
    update: edits.update,
    remove: edits.remove,

    async refresh(principal: CustomerPrincipal, sourceId: string): Promise<SourceView> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await requireSource(storefront, sourceId);
      return view(await refreshRow(row, principal.userId), storefront);
    },

    /**
     * Registers a source of a kind Interchange serves itself (a MODULAR_SOURCE, an ad server, a
     * provider adapter): no endpoint, no credential of the kind inventory-sources keeps. `status`:
     * ACTIVE for a kind with nothing to connect, PENDING for one whose connection must work first
     * (its first self-report without a problem makes it ACTIVE: self-reports.ts). `tx` is the
     * caller's transaction, so the kind's own records are written with it or not at all. Its
     * agent id names the source, not a reachable agent.
     */
    async registerOfKind(
      tx: Db,
      principal: CustomerPrincipal,
      input: {
        executionType: string;
        name: string;
        sourceId?: string | undefined;
        status: 'ACTIVE' | 'PENDING';
      },
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
        status: input.status,
      });
      await activity.record(
        {
          storefrontId: storefront.id,
          action: 'CREATE',
          resourceType: 'STOREFRONT_INVENTORY_SOURCE',
          resourceId: created.sourceId,
          resourceName: created.name,
          userId: principal.userId,
          description: `${input.executionType} inventory source ${created.name} created (${input.status})`,
        },
        tx,
      );
      return created;
    },

    /**
     * What a kind served by Interchange itself reports in place of a probe: what it offers and
     * why it cannot sell now, if it cannot (self-reports.ts), for readiness and the storefront.
     */
    recordSelfReport: selfReports.recordSelfReport,
    /** A live source of a storefront by slug, any kind, drafts included. */
    findStored: (storefrontId: number, sourceId: string) =>
      store.findSource(db, storefrontId, sourceId),

    /**
     * Every source of a storefront, drafts included, as the database has them now: what a
     * decision reads (readiness before activation, compliance runs, link cycles), since the
     * write it follows may have been made on another instance a moment ago.
     */
    allRowsOf: (storefrontId: number): Promise<StoredSourceRow[]> =>
      store.listSources(db, storefrontId),
    /**
     * The same rows from the read cache, for hot paths alone (a storefront agent's every call,
     * buyer views): another instance's write shows within the cache's bound (read-cache.ts).
     */
    cachedRowsOf,
    /** Sources with an endpoint of a storefront, from the read cache (the storefront agent). */
    rowsOf: async (storefrontId: number): Promise<SourceRow[]> =>
      (await cachedRowsOf(storefrontId)).filter(isConnected),
    activeCounts: (storefrontIds: number[]) => store.countActive(db, storefrontIds),
    /** Per storefront, what its ACTIVE sources declared (storefront views and discovery cards). */
    activeCoverage: activeCoverageReader(db),
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
    /**
     * What a buyer's answer showed of a source's products: the ones AdCP's schema refused are
     * recorded for the seller, the ones valid again or gone are cleared (product-issues.ts).
     */
    noteProductCheck,
    /** The open product issues of these sources (by row id), oldest first, for readiness. */
    productIssuesOf: (inventorySourceIds: number[]) =>
      productIssuesOf(db, inventorySourceIds, now()),
    /** The operator's credential as presented upstream (source-credentials.ts). */
    operatorAuthOf: (row: SourceRow, timeoutMs: number = deps.probeTimeoutMs): Promise<OwnedAuth> =>
      operatorAuthOf(deps, row, timeoutMs),
    /** Probes a source with credentials other than the operator's (a buyer's own). */
    probeWith: (row: SourceRow, auth: UpstreamAuth) =>
      deps.upstream.probe(
        { endpointUrl: row.endpointUrl, protocol: row.protocol, auth },
        { timeoutMs: deps.probeTimeoutMs, speaks31: speaksAdcp31(row) },
      ),
  };
}
