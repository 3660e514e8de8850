import { and, asc, eq, gt, or } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { modularAvails, modularBookings, modularBuys } from '../tables.js';

/**
 * The ledger as its operator reads it: a source's avails (those on sale, and those off sale that
 * still hold or book capacity) and its bookings with the buy that made each (its PO and brand
 * when it was placed through the storefront).
 */
export function ledgerAvailsOf(db: Db, inventorySourceId: number) {
  return db
    .select()
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        or(eq(modularAvails.active, true), gt(modularAvails.held, 0), gt(modularAvails.booked, 0)),
      ),
    )
    .orderBy(asc(modularAvails.startTime), asc(modularAvails.availId));
}

export type LedgerAvailRow = Awaited<ReturnType<typeof ledgerAvailsOf>>[number];

/** Every booking of a source (all statuses), oldest first, with its buy's PO and brand. */
export function ledgerBookingsOf(db: Db, inventorySourceId: number) {
  return db
    .select({
      booking: modularBookings,
      poNumber: modularBuys.poNumber,
      brandDomain: modularBuys.brandDomain,
      packages: modularBuys.packages,
    })
    .from(modularBookings)
    .leftJoin(
      modularBuys,
      and(
        eq(modularBuys.inventorySourceId, modularBookings.inventorySourceId),
        eq(modularBuys.id, modularBookings.mediaBuyId),
      ),
    )
    .where(eq(modularBookings.inventorySourceId, inventorySourceId))
    .orderBy(asc(modularBookings.createdAt), asc(modularBookings.id));
}

export type LedgerBookingRow = Awaited<ReturnType<typeof ledgerBookingsOf>>[number];
