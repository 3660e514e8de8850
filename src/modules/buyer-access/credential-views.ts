import { isoDate } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { maySeeStorefront } from '../identity/index.js';
import type { StorefrontRow } from '../storefronts/index.js';
import type { BuyerAccessContext } from './deps.js';
import type { CredentialRow } from './store.js';

/** Credentials as their owner sees them, with the visible storefront sources each reaches. */
export async function credentialViews(
  { deps }: BuyerAccessContext,
  principal: CustomerPrincipal,
  rows: CredentialRow[],
) {
  const { storefronts, inventorySources } = deps;
  const sources = await inventorySources.rowsByAgents([...new Set(rows.map((r) => r.agentId))]);
  const storefrontRows = new Map<number, StorefrontRow | undefined>();
  for (const id of new Set(sources.map((s) => s.storefrontId))) {
    storefrontRows.set(id, await storefronts.findById(id));
  }
  return rows.map((row) => ({
    id: String(row.id),
    accountIdentifier: row.accountIdentifier,
    accountType: row.accountType,
    status: row.status,
    statusReason: row.statusReason,
    registeredBy: row.registeredBy,
    advertiserId: row.advertiserId,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
    // Orphaned credentials (agent no longer behind any visible source) list no pairs.
    sources: sources
      .filter((s) => s.agentId === row.agentId)
      .flatMap((s) => {
        const sf = storefrontRows.get(s.storefrontId);
        return sf && maySeeStorefront(principal, sf)
          ? [
              {
                storefrontId: sf.id,
                storefrontName: sf.name,
                sourceId: s.sourceId,
                sourceName: s.name,
              },
            ]
          : [];
      }),
  }));
}
