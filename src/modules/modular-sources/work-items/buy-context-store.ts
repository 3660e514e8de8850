import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import type { BuyRow } from '../buys/store.js';
import { modularAvails, modularBookings, modularBuys } from '../tables.js';

/** The reads behind a work item's buy context (buy-context.ts): buys, hold deadlines, avail names. */

/** The buys with these ids among these sources' buys. */
export async function buysIn(db: Db, sourceIds: number[], buyIds: string[]): Promise<BuyRow[]> {
  return db
    .select()
    .from(modularBuys)
    .where(and(inArray(modularBuys.inventorySourceId, sourceIds), inArray(modularBuys.id, buyIds)));
}

/** When each buy's earliest hold lapses (buys with nothing HELD are left out). */
export async function holdDeadlinesOf(db: Db, buyIds: string[]) {
  return db
    .select({
      mediaBuyId: modularBookings.mediaBuyId,
      at: sql<Date | string>`min(${modularBookings.holdExpiresAt})`,
    })
    .from(modularBookings)
    .where(and(inArray(modularBookings.mediaBuyId, buyIds), eq(modularBookings.status, 'HELD')))
    .groupBy(modularBookings.mediaBuyId);
}

/** The names of these avails among these sources' avails, active or not. */
export async function availNamesIn(db: Db, sourceIds: number[], availIds: string[]) {
  if (!availIds.length) return [];
  return db
    .select({
      inventorySourceId: modularAvails.inventorySourceId,
      availId: modularAvails.availId,
      name: modularAvails.name,
    })
    .from(modularAvails)
    .where(
      and(
        inArray(modularAvails.inventorySourceId, sourceIds),
        inArray(modularAvails.availId, availIds),
      ),
    );
}
