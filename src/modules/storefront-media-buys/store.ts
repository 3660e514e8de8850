import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { customersRead, storefrontMediaBuysRead } from './read-models.js';

const delivered = sql<boolean>`exists (select 1 from merchandising_events e
  where e.storefront_id = ${storefrontMediaBuysRead.storefrontId}
    and e.media_buy_id = ${storefrontMediaBuysRead.mediaBuyId}
    and e.event = 'delivery_reported')`;

/** Media buys of the storefront (optionally some ids, one buyer, one source) with a delivered flag. */
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
