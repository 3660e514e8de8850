import type { AccountReference } from '@adcp/sdk/types';
import type { ForwardLeg, MediaBuyRow } from '../../modules/media-buys/index.js';
import { agentRequest } from './caller.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from './deps.js';
import { callSources, routableSources } from './sources.js';
import type { BuyerAccount } from './upstream-account.js';

/*
 * What every call on an existing buy (read, update, delivery, feedback) starts from: the
 * caller's own forwarded buys, and one upstream call per source holding parts of them.
 */

/** The caller's forwarded buys on this storefront (pending or refused ones do not exist yet). */
export async function forwardedBuys(deps: MerchandisingDeps, ids?: string[]) {
  const { storefront, principal } = agentRequest();
  const rows = await deps.mediaBuys.recordsOf(storefront.id, principal.customerId, ids);
  return rows.filter((row) => row.forwardResult?.some((leg) => leg.upstreamMediaBuyId));
}

/** One upstream call per source, carrying every upstream media buy id that source holds. */
export async function perSource<T>(
  deps: MerchandisingDeps,
  rows: MediaBuyRow[],
  tool: string,
  argsFor: (
    upstreamIds: string[],
    legs: Array<{ row: MediaBuyRow; leg: ForwardLeg }>,
  ) => Record<string, unknown>,
  /** A write: each source's request recorded before it is sent (source-writes.ts). */
  recorded?: Pick<Parameters<typeof callSources>[1], 'beforeCall' | 'afterCall' | 'skipped'>,
) {
  const { storefront, principal } = agentRequest();
  const legsBySource = new Map<string, Array<{ row: MediaBuyRow; leg: ForwardLeg }>>();
  for (const row of rows) {
    for (const leg of row.forwardResult ?? []) {
      if (!leg.upstreamMediaBuyId) continue;
      legsBySource.set(leg.sourceId, [...(legsBySource.get(leg.sourceId) ?? []), { row, leg }]);
    }
  }
  const sources = routableSources(
    deps,
    await deps.inventorySources.rowsOf(storefront.id),
    storefront.id,
    principal.customerId,
  ).filter((s) => legsBySource.has(s.sourceId));
  const outcomes = await callSources<T>(deps, {
    ...recorded,
    sources,
    customerId: principal.customerId,
    tool,
    budgetMs: deps.transactBudgetMs ?? defaultTransactBudgetMs,
    argsFor: (source) => {
      const legs = legsBySource.get(source.sourceId) ?? [];
      return argsFor(
        legs.map(({ leg }) => leg.upstreamMediaBuyId!),
        legs,
      );
    },
    // Sources keep buys per account: ask with the account the buy was placed under, whatever
    // account reference the buyer names now (the storefront routes by its own record), and
    // unchecked: the buyer's own buy is there under it, even if placed before today's rules.
    accountFor: (source) => {
      const first = legsBySource.get(source.sourceId)?.[0];
      return {
        ...((first?.row.submittedPayload ?? {}) as BuyerAccount),
        placedAs: first?.leg.account as AccountReference | undefined,
      };
    },
    accountPlaced: true,
  });
  return { outcomes, legsBySource };
}
