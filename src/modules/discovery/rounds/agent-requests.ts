import { adcpChannelsOf } from '../../storefronts/index.js';
import type { RefineItem } from '../schemas.js';
import type { AgentRow } from '../store.js';
import type { DiscoveryAsk } from '../tables.js';

/**
 * The AdCP get_products request for a buyer's ask, on behalf of the advertiser's brand; with a
 * proposal code, the storefront answers what its seller saved for this buyer (Interchange ext).
 */
export function getProductsRequest(
  ask: DiscoveryAsk,
  brandDomain: string,
  proposalCode?: string,
): Record<string, unknown> {
  // AdCP's media channels (the hosted body also names `video` and `audio`).
  const channels = adcpChannelsOf(ask.channels ?? []);
  const filters = {
    ...(channels.length > 0 && { channels }),
    ...(ask.countries?.length && { countries: ask.countries.map((c) => c.toUpperCase()) }),
    ...(ask.flightDates && {
      start_date: ask.flightDates.startDate.slice(0, 10),
      end_date: ask.flightDates.endDate.slice(0, 10),
    }),
  };
  return {
    buying_mode: ask.brief ? 'brief' : 'wholesale',
    ...(ask.brief && { brief: ask.brief }),
    brand: { domain: brandDomain },
    ...(Object.keys(filters).length > 0 && { filters }),
    ...(proposalCode && { ext: { interchange: { proposal_code: proposalCode } } }),
  };
}

/**
 * The AdCP refine entries for one agent: the request-wide ones, and those naming a product or
 * proposal it offered in the session's last round (hosted `id` becomes AdCP's product_id or
 * proposal_id). Undefined when none concerns it: it is asked as before.
 */
export function refineFor(
  refine: RefineItem[] | undefined,
  previous: AgentRow[],
  agentId: string,
): { entries: Record<string, unknown>[]; indexes: number[] } | undefined {
  if (!refine) return undefined;
  const agent = previous.find((a) => a.agentId === agentId);
  const indexes: number[] = [];
  const entries = refine.flatMap((r, index): Record<string, unknown>[] => {
    if (r.scope === 'request') {
      indexes.push(index);
      return [{ scope: 'request', ask: r.ask }];
    }
    const offered =
      r.scope === 'product'
        ? agent?.products.some((p) => p.productId === r.id)
        : agent?.proposals.some((p) => p.proposalId === r.id);
    if (!offered) return [];
    indexes.push(index);
    return [
      {
        scope: r.scope,
        [r.scope === 'product' ? 'product_id' : 'proposal_id']: r.id,
        action: r.action,
        ...(r.ask !== undefined && { ask: r.ask }),
      },
    ];
  });
  return entries.length > 0 ? { entries, indexes } : undefined;
}
