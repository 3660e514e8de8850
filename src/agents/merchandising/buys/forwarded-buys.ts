import type { AccountReference } from '@adcp/sdk/types';
import type {
  BuyerAccount,
  InventorySource,
  SourceAnswer,
  SourceCall,
} from '../../../modules/inventory-sources/index.js';
import type { ForwardLeg, MediaBuyRow } from '../../../modules/orders/index.js';
import { agentRequest } from '../caller.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../deps.js';
import { askEach } from '../../../sources/fan-out.js';
import { endedStatuses } from './reads/status.js';

/*
 * What every call on an existing buy (read, update, delivery, feedback) starts from: the
 * caller's own forwarded buys, and one upstream call per source holding parts of them.
 */

/**
 * Which of the caller's accounts a read covers: a live account's read never shows a buy of a
 * sandbox account, a seeded one included (issue 70: a live account never sees a fixture), nor a
 * sandbox key's a live one's; a read naming no account covers "all accessible accounts"
 * (get-media-buys-request.json `account`).
 */
export interface ReadMode {
  only: 'live' | 'sandbox' | undefined;
  /** Whether the buyer's account `accountId` is a sandbox account (accounts/store.ts). */
  isSandboxAccount: (accountId: string) => Promise<boolean>;
}

/**
 * The caller's forwarded buys on this storefront (pending or refused ones do not exist yet), on
 * the accounts `mode` covers.
 */
export async function forwardedBuys(deps: MerchandisingDeps, ids?: string[], mode?: ReadMode) {
  const { storefront, principal } = agentRequest();
  const rows = await deps.mediaBuys.recordsOf(storefront.id, principal.customerId, ids);
  const placed = rows.filter((row) => row.forwardResult?.some((leg) => leg.upstreamMediaBuyId));
  if (!mode?.only) return placed;
  const sandboxes = new Set<string>();
  for (const id of new Set(placed.map((row) => row.accountId))) {
    if (await mode.isSandboxAccount(id)) sandboxes.add(id);
  }
  return placed.filter((row) => sandboxes.has(row.accountId) === (mode.only === 'sandbox'));
}

/** The legs a source placed and did not last report ended (reads/status.ts endedStatuses). */
export const servingLegs = (row: MediaBuyRow) =>
  (row.forwardResult ?? []).filter(
    (leg) => leg.upstreamMediaBuyId && !endedStatuses.has(leg.mediaBuyStatus ?? ''),
  );

/**
 * The caller's buys that can still serve: a source holds a part it did not last answer canceled
 * or rejected, and the flight has not ended.
 */
export async function servingBuys(deps: MerchandisingDeps) {
  const { storefront, principal } = agentRequest();
  const now = Date.now();
  return (await deps.mediaBuys.recordsOf(storefront.id, principal.customerId)).filter(
    (row) =>
      servingLegs(row).length > 0 && !(Date.parse(String(row.submittedPayload['end_time'])) <= now),
  );
}

/** A buy's parts at one source: the storefront's record and the leg that source holds. */
export type SourceLegs = Array<{ row: MediaBuyRow; leg: ForwardLeg }>;

/**
 * One call per source holding parts of `rows`, given every upstream media buy id that source
 * holds. Sources keep buys per account: each is asked with the account the buy was placed under,
 * whatever account reference the buyer names now (the storefront routes by its own record), and
 * unchecked: the buyer's own buy is there under it, even if placed before today's rules.
 */
export async function perSource<T>(
  deps: MerchandisingDeps,
  rows: MediaBuyRow[],
  ask: (
    port: InventorySource,
    upstreamIds: string[],
    legs: SourceLegs,
    call: SourceCall,
  ) => Promise<SourceAnswer<T>>,
  // Which of the buys' sources to ask (default: every one holding a part of them).
  asks: (sourceId: string) => boolean = () => true,
) {
  const { storefront, principal } = agentRequest();
  const legsBySource = new Map<string, SourceLegs>();
  for (const row of rows) {
    for (const leg of row.forwardResult ?? []) {
      if (!leg.upstreamMediaBuyId) continue;
      legsBySource.set(leg.sourceId, [...(legsBySource.get(leg.sourceId) ?? []), { row, leg }]);
    }
  }
  // A source that stopped selling is still asked about the buys it holds.
  const { serving } = await deps.sources.of(storefront.id, principal.customerId);
  const sources = serving.filter(
    (port) => legsBySource.has(port.source.sourceId) && asks(port.source.sourceId),
  );
  const outcomes = await askEach<T>(sources, (port) => {
    const legs = legsBySource.get(port.source.sourceId) ?? [];
    const first = legs[0];
    return ask(
      port,
      legs.map(({ leg }) => leg.upstreamMediaBuyId!),
      legs,
      {
        customerId: principal.customerId,
        budgetMs: deps.transactBudgetMs ?? defaultTransactBudgetMs,
        account: { ...buyerAccountOf(first?.row), placedAs: placedAccountOf(first?.leg) },
        placed: true,
      },
    );
  });
  return { outcomes, legsBySource };
}

/** The account words the buyer placed a buy with (its create_media_buy's account and brand). */
export function buyerAccountOf(row: MediaBuyRow | undefined): BuyerAccount {
  return { account: row?.submittedPayload.account, brand: row?.submittedPayload.brand };
}

/** The account a leg records its source placed it under (legs placed before the rule have none). */
export const placedAccountOf = (leg: ForwardLeg | undefined) =>
  leg?.account as AccountReference | undefined;
