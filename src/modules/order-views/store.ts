import { and, desc, eq, gte, inArray, not, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { customersRead, storefrontMediaBuysRead, storefrontsRead } from './read-tables.js';

/**
 * The buy has delivered something: a delivery read that reported impressions or spend. Every
 * get_media_buy_delivery records its totals, so a read before the flight starts (zeros) is a
 * report of nothing, not delivery.
 */
const delivered = sql<boolean>`exists (select 1 from merchandising_events e
  where e.storefront_id = ${storefrontMediaBuysRead.storefrontId}
    and e.media_buy_id = ${storefrontMediaBuysRead.mediaBuyId}
    and e.event = 'delivery_reported'
    and (case when jsonb_typeof(e.detail->'impressions') = 'number'
           then (e.detail->>'impressions')::numeric else 0 end > 0
      or case when jsonb_typeof(e.detail->'spend') = 'number'
           then (e.detail->>'spend')::numeric else 0 end > 0))`;

/**
 * A buyer's attempt every source refused at once (auto approval: the buyer was answered with
 * the error, no buy exists). Kept as a record (a retry under its key, analytics' forward-failed
 * count) but no media buy of the seller's. A buy a source took as a task and settled later (its
 * legs keep their upstreamTaskId: the buyer held a task) or one the operator approved whose
 * forward failed (theirs to retry) is a buy.
 */
export const refusedAttempt = sql<boolean>`(${storefrontMediaBuysRead.approvalMode} = 'auto'
  and ${storefrontMediaBuysRead.forwardOutcome} in ('all_failed', 'precondition_failed')
  and not coalesce(jsonb_path_exists(${storefrontMediaBuysRead.forwardResult}, '$[*].upstreamTaskId'), false))`;

/**
 * Media buys of the storefront (optionally some ids, one buyer, one source) with a delivered
 * flag; refused attempts are not media buys (refusedAttempt).
 */
export function mediaBuysOf(
  db: Db,
  storefrontId: number,
  filter: { ids?: string[]; buyerCustomerId?: number | undefined; sourceId?: string | undefined },
) {
  return db
    .select({
      buy: storefrontMediaBuysRead,
      delivered,
      buyerName: customersRead.name,
    })
    .from(storefrontMediaBuysRead)
    .leftJoin(customersRead, eq(customersRead.id, storefrontMediaBuysRead.buyerCustomerId))
    .where(
      and(
        eq(storefrontMediaBuysRead.storefrontId, storefrontId),
        not(refusedAttempt),
        filter.ids ? inArray(storefrontMediaBuysRead.mediaBuyId, filter.ids) : undefined,
        filter.buyerCustomerId
          ? eq(storefrontMediaBuysRead.buyerCustomerId, filter.buyerCustomerId)
          : undefined,
        filter.sourceId
          ? sql`${storefrontMediaBuysRead.forwardResult} @> ${JSON.stringify([{ sourceId: filter.sourceId }])}::jsonb`
          : undefined,
      ),
    )
    .orderBy(desc(storefrontMediaBuysRead.createdAt), desc(storefrontMediaBuysRead.id));
}

export type MediaBuyReadRow = Awaited<ReturnType<typeof mediaBuysOf>>[number];

/** The storefront's default currency (what a buy without total_budget.currency is priced in). */
export async function storefrontCurrencyOf(db: Db, storefrontId: number) {
  const [row] = await db
    .select({ currency: storefrontsRead.defaultCurrency })
    .from(storefrontsRead)
    .where(eq(storefrontsRead.id, storefrontId));
  return row?.currency ?? null;
}

/**
 * Storefronts with a buy placed since `since`: where the behind-pace sweep looks (a buy's flight
 * is in its payload, so the in-flight test is made on each order, not here).
 */
export async function storefrontsWithBuysSince(db: Db, since: Date): Promise<number[]> {
  const rows = await db
    .selectDistinct({ storefrontId: storefrontMediaBuysRead.storefrontId })
    .from(storefrontMediaBuysRead)
    .where(gte(storefrontMediaBuysRead.createdAt, since));
  return rows.map((r) => r.storefrontId);
}
