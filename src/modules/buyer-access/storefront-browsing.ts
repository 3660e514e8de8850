import { notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { maySeeStorefront, storefrontScopeOf } from '../identity/index.js';
import type { SourceSummaryRow } from '../inventory-sources/index.js';
import type { StorefrontRow } from '../storefronts/index.js';
import type { BuyerAccessContext } from './deps.js';
import type { StorefrontListQuery } from './schemas.js';
import {
  adcpCapabilitiesOf,
  customerAccountsOf,
  profileOf,
  sourceCapabilityOf,
} from './storefront-facts.js';
import type { CredentialRow } from './store.js';

/** A storefront the caller may see; NOT_FOUND otherwise, so existence does not leak. */
export async function visibleStorefront(
  { deps }: BuyerAccessContext,
  principal: CustomerPrincipal,
  id: number,
): Promise<StorefrontRow> {
  const row = await deps.storefronts.findById(id);
  if (!row || !maySeeStorefront(principal, row)) throw notFound('Storefront');
  return row;
}

/** Per source: connected (no credentials needed, or an ACTIVE one) and the buyer's accounts. */
function sourceStates(sources: SourceSummaryRow[], credentials: CredentialRow[]) {
  const byAgent = new Map<string, CredentialRow[]>();
  for (const c of credentials) byAgent.set(c.agentId, [...(byAgent.get(c.agentId) ?? []), c]);
  return new Map(
    sources.map((s) => {
      const mine = byAgent.get(s.agentId) ?? [];
      const connected = !s.requiresCredentials || mine.some((c) => c.status === 'ACTIVE');
      return [s.id, { connected, accounts: mine }] as const;
    }),
  );
}

/** Storefronts as a buyer browses them: catalogue browsing, detail, capabilities, discovery. */
export function createStorefrontBrowsing(ctx: BuyerAccessContext) {
  const { deps, store } = ctx;
  const { db, storefronts, inventorySources } = deps;

  async function summaries(principal: CustomerPrincipal, rows: StorefrontRow[]) {
    const sources = await inventorySources.activeRowsFor(rows.map((r) => r.id));
    const credentials = await store.credentialsForAgents(db, principal.customerId, [
      ...new Set(sources.map((s) => s.agentId)),
    ]);
    const states = sourceStates(sources, credentials);
    return rows.map((row) => {
      const own = sources.filter((s) => s.storefrontId === row.id);
      return {
        row,
        sources: own,
        states,
        summary: {
          id: row.id,
          platformId: row.platformId,
          name: row.name,
          publisherDomain: row.publisherDomain,
          ...profileOf(row, own),
          displayStatus: storefronts.displayStatusOf(row),
          channels: row.channels,
          regions: row.regions,
          supportedCampaignTypes: ['DECISIONED'],
          supportedRoutingTypes: ['DECISIONED', 'ROUTED'] as ('DECISIONED' | 'ROUTED')[],
          adapterProviderType: null,
          adapterSourceKind: null,
          adapterConnection: null,
          creativeCapabilities: null,
          sourceCount: own.length,
          connectedSourceCount: own.filter((s) => states.get(s.id)?.connected).length,
        },
      };
    });
  }

  return {
    async listStorefronts(principal: CustomerPrincipal, query: StorefrontListQuery) {
      const scope = storefrontScopeOf(principal);
      const { rows, total } = await storefronts.listForBuyer({
        visibility: query.visibility === 'private' ? 'organization' : 'public',
        organizationId: principal.organizationId,
        ...(scope !== null && { onlyId: scope }),
        ...(query.name && { name: query.name }),
        ...(query.status && { displayStatus: query.status }),
        ...(query.channel && { channel: query.channel }),
        ...(query.region && { region: query.region }),
        ...(query.publisherDomain && { publisherDomain: query.publisherDomain }),
        limit: query.limit,
        offset: query.offset,
      });
      return { items: (await summaries(principal, rows)).map((s) => s.summary), total };
    },

    async getStorefront(principal: CustomerPrincipal, id: number) {
      const row = await visibleStorefront(ctx, principal, id);
      const [entry] = await summaries(principal, [row]);
      const { summary, sources, states } = entry as NonNullable<typeof entry>;
      const { sourceCount: _s, connectedSourceCount: _c, ...rest } = summary;
      const needing = sources.filter((s) => s.requiresCredentials);
      return {
        ...rest,
        connected: needing.every((s) => states.get(s.id)?.connected),
        requiresCredentials: needing.length > 0,
        customerAccounts: customerAccountsOf(
          sources.flatMap((s) => states.get(s.id)?.accounts ?? []),
        ),
        readiness: await deps.availability(row),
        discoveryPerformance: await deps.discoveryPerformance(row.id),
        adcpCapabilities: adcpCapabilitiesOf(sources),
        demandContact:
          row.demandContactName && row.demandContactEmail
            ? { name: row.demandContactName, email: row.demandContactEmail }
            : null,
        sources: sources.map((s) => ({
          sourceId: s.sourceId,
          name: s.name,
          agentId: s.agentId,
          requiresCredentials: s.requiresCredentials,
          connected: states.get(s.id)?.connected ?? false,
          supportedCampaignTypes: ['DECISIONED'],
          customerAccounts: (states.get(s.id)?.accounts ?? []).map((c) => ({
            accountIdentifier: c.accountIdentifier,
            status: c.status,
          })),
        })),
      };
    },

    /** Per ACTIVE source of a storefront the caller may see: its cached capability probe. */
    async storefrontCapabilities(principal: CustomerPrincipal, id: number) {
      const row = await visibleStorefront(ctx, principal, id);
      const sources = await inventorySources.rowsOf(row.id);
      return {
        storefrontId: row.id,
        agents: sources.filter((s) => s.status === 'ACTIVE').map(sourceCapabilityOf),
      };
    },

    /** Every listed storefront, live or pre-launch, with only id, name, domain and status. */
    async discover(principal: CustomerPrincipal) {
      const scope = storefrontScopeOf(principal);
      const { rows } = await storefronts.listForBuyer({
        visibility: 'public',
        ...(scope !== null && { onlyId: scope }),
        limit: 10_000,
        offset: 0,
      });
      const counts = await inventorySources.activeCounts(rows.map((r) => r.id));
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          publisherDomain: r.publisherDomain,
          status: storefronts.lifecycleOf(r, counts.get(r.id) ?? 0),
        })),
      };
    },

    /**
     * An ACTIVE source on a storefront the caller may see (a sponsored buyer only its own), with
     * the names to show; NOT_FOUND otherwise, so existence does not leak.
     */
    async visibleSource(principal: CustomerPrincipal, storefrontId: number, sourceId: string) {
      const storefront = await visibleStorefront(ctx, principal, storefrontId);
      const source = await inventorySources.findRow(storefrontId, sourceId);
      if (!source || source.status !== 'ACTIVE') throw notFound('Inventory source');
      return { storefront, source };
    },

    /** Every visible storefront source on an agent: where an account there is reachable. */
    async sourcesOfAgent(principal: CustomerPrincipal, agentId: string) {
      const sources = await inventorySources.rowsByAgents([agentId]);
      const out: {
        storefrontId: number;
        storefrontName: string;
        sourceId: string;
        sourceName: string;
      }[] = [];
      for (const id of new Set(sources.map((s) => s.storefrontId))) {
        const sf = await storefronts.findById(id);
        if (!sf || !maySeeStorefront(principal, sf)) continue;
        for (const s of sources) {
          if (s.storefrontId === id && s.status === 'ACTIVE') {
            out.push({
              storefrontId: sf.id,
              storefrontName: sf.name,
              sourceId: s.sourceId,
              sourceName: s.name,
            });
          }
        }
      }
      return out;
    },
  };
}
