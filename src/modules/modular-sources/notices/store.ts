import { and, asc, eq, gt, gte, inArray, lt, lte, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import {
  modularBookings,
  modularBuys,
  modularDeliveryReports,
  modularWorkItems,
} from '../tables.js';

const openStatuses = ['OPEN', 'IN_PROGRESS', 'BLOCKED'] as const;

/**
 * What the modular sources have that someone should hear about (the notifications sweep and
 * the seller's pending operations read these): holds about to expire, work items opened, buys
 * whose flight ended without a final delivery report, and reports made final. Read-only.
 */
export function createNotices(db: Db) {
  return {
    /** Holds still HELD whose expiry falls in [now, until), soonest first; one storefront or all. */
    expiringHolds(now: Date, until: Date, storefrontId?: number, limit = 200) {
      return db
        .select({
          bookingId: modularBookings.id,
          storefrontId: modularBookings.storefrontId,
          inventorySourceId: modularBookings.inventorySourceId,
          mediaBuyId: modularBookings.mediaBuyId,
          packageId: modularBookings.packageId,
          availId: modularBookings.availId,
          expiresAt: modularBookings.holdExpiresAt,
        })
        .from(modularBookings)
        .where(
          and(
            eq(modularBookings.status, 'HELD'),
            gte(modularBookings.holdExpiresAt, now),
            lt(modularBookings.holdExpiresAt, until),
            storefrontId === undefined ? undefined : eq(modularBookings.storefrontId, storefrontId),
          ),
        )
        .orderBy(asc(modularBookings.holdExpiresAt), asc(modularBookings.id))
        .limit(limit);
    },

    /** Work items opened since `since` and still open, oldest first. */
    openedSince(since: Date, limit = 500) {
      return db
        .select({
          id: modularWorkItems.id,
          storefrontId: modularWorkItems.storefrontId,
          inventorySourceId: modularWorkItems.inventorySourceId,
          kind: modularWorkItems.kind,
          title: modularWorkItems.title,
          mediaBuyId: modularWorkItems.mediaBuyId,
          createdAt: modularWorkItems.createdAt,
        })
        .from(modularWorkItems)
        .where(
          and(
            gte(modularWorkItems.createdAt, since),
            inArray(modularWorkItems.status, [...openStatuses]),
          ),
        )
        .orderBy(asc(modularWorkItems.createdAt), asc(modularWorkItems.id))
        .limit(limit);
    },

    /** Buys whose flight ended in (since, now] with no final delivery report yet. */
    reportsDue(since: Date, now: Date, limit = 500) {
      return db
        .select({
          buyId: modularBuys.id,
          storefrontId: modularBuys.storefrontId,
          inventorySourceId: modularBuys.inventorySourceId,
          endTime: modularBuys.endTime,
        })
        .from(modularBuys)
        .where(
          and(
            gt(modularBuys.endTime, since),
            lte(modularBuys.endTime, now),
            // A canceled or rejected buy delivered nothing to report.
            notInArray(modularBuys.status, ['canceled', 'rejected']),
            sql`not exists (select 1 from ${modularDeliveryReports} r
                 where r.buy_id = ${modularBuys.id} and r.kind = 'final')`,
          ),
        )
        .orderBy(asc(modularBuys.endTime), asc(modularBuys.id))
        .limit(limit);
    },

    /** Final delivery reports uploaded since `since`, with the buy's buyer. */
    finalizedSince(since: Date, limit = 500) {
      return db
        .select({
          reportId: modularDeliveryReports.id,
          buyId: modularBuys.id,
          storefrontId: modularBuys.storefrontId,
          buyerCustomerId: modularBuys.buyerCustomerId,
          uploadedAt: modularDeliveryReports.uploadedAt,
        })
        .from(modularDeliveryReports)
        .innerJoin(modularBuys, eq(modularBuys.id, modularDeliveryReports.buyId))
        .where(
          and(
            eq(modularDeliveryReports.kind, 'final'),
            gte(modularDeliveryReports.uploadedAt, since),
          ),
        )
        .orderBy(asc(modularDeliveryReports.uploadedAt), asc(modularDeliveryReports.id))
        .limit(limit);
    },
  };
}

export type ModularNotices = ReturnType<typeof createNotices>;
