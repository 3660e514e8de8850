/** Every query on the merchandising event log (merchandising_events); index.ts is its door. */
import { asc, desc } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { merchandisingEvents, type MerchandisingEvent } from './tables.js';

/** What an event is about: a storefront's buy for one buyer, and the run that showed it. */
export interface EventSubject {
  storefrontId: number;
  buyerCustomerId: number;
  mediaBuyId: string | null;
  discoveryRunId: number | null;
}

/** Appends one event to the log. */
export async function recordMerchandisingEvent(
  db: Db,
  subject: EventSubject,
  event: MerchandisingEvent,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(merchandisingEvents).values({
    storefrontId: subject.storefrontId,
    buyerCustomerId: subject.buyerCustomerId,
    mediaBuyId: subject.mediaBuyId,
    discoveryRunId: subject.discoveryRunId,
    event,
    detail,
  });
}

/** Every event of one media buy on a storefront, oldest first, at most `limit`. */
export function eventsOfBuy(db: Db, storefrontId: number, mediaBuyId: string, limit: number) {
  return db
    .select({
      id: merchandisingEvents.id,
      storefrontId: merchandisingEvents.storefrontId,
      buyerCustomerId: merchandisingEvents.buyerCustomerId,
      mediaBuyId: merchandisingEvents.mediaBuyId,
      event: merchandisingEvents.event,
      detail: merchandisingEvents.detail,
      createdAt: merchandisingEvents.createdAt,
    })
    .from(merchandisingEvents)
    .where(columnsEqual(merchandisingEvents, { storefrontId, mediaBuyId }))
    .orderBy(asc(merchandisingEvents.createdAt), asc(merchandisingEvents.id))
    .limit(limit);
}

/**
 * Each buy's last delivery_reported event on a storefront (its cumulative totals as the storefront
 * agent last relayed them), keyed by media buy id: the orders list's "delivered to date".
 */
export async function latestDeliveriesOf(db: Db, storefrontId: number) {
  const rows = await db
    .selectDistinctOn([merchandisingEvents.mediaBuyId], {
      mediaBuyId: merchandisingEvents.mediaBuyId,
      detail: merchandisingEvents.detail,
      createdAt: merchandisingEvents.createdAt,
    })
    .from(merchandisingEvents)
    .where(columnsEqual(merchandisingEvents, { storefrontId, event: 'delivery_reported' }))
    .orderBy(
      merchandisingEvents.mediaBuyId,
      desc(merchandisingEvents.createdAt),
      desc(merchandisingEvents.id),
    );
  return new Map(rows.flatMap((r) => (r.mediaBuyId ? [[r.mediaBuyId, r] as const] : [])));
}
