import { randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { rowsOf } from '../../../platform/db/migrate.js';
import { modularBookings } from '../tables.js';

export type BookingRow = typeof modularBookings.$inferSelect;

/**
 * The booking ledger's capacity rules, each one SQL statement so the database settles races:
 * a hold takes capacity only where `capacity − upstream booked − held − booked` still covers it
 * (a conditional update, re-checked by PostgreSQL under the row's lock), so however many buyers
 * race for the last units, exactly the capacity is held. Confirming moves held to booked;
 * releasing gives it back; a status change happens once (conditional on the status it leaves).
 */
export interface HoldRequest {
  inventorySourceId: number;
  storefrontId: number;
  availId: string;
  mediaBuyId: string;
  packageId: string;
  buyerCustomerId: number;
  requestedImpressions: number;
  holdExpiresAt: Date;
}

export type HoldOutcome =
  | { ok: true; booking: BookingRow }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'insufficient'; available: number };

export async function hold(db: Db, request: HoldRequest): Promise<HoldOutcome> {
  const id = `bk_${randomBytes(9).toString('base64url')}`;
  const inserted = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with taken as (
        update modular_avails
           set held = held + ${request.requestedImpressions}, updated_at = now()
         where inventory_source_id = ${request.inventorySourceId}
           and avail_id = ${request.availId}
           and active
           and impressions_capacity - upstream_booked - held - booked >= ${request.requestedImpressions}
        returning id
      )
      insert into modular_bookings (id, inventory_source_id, storefront_id, avail_row_id, avail_id,
        media_buy_id, package_id, buyer_customer_id, requested_impressions, status, hold_expires_at)
      select ${id}, ${request.inventorySourceId}, ${request.storefrontId}, taken.id,
             ${request.availId}, ${request.mediaBuyId}, ${request.packageId},
             ${request.buyerCustomerId}, ${request.requestedImpressions}, 'HELD',
             ${request.holdExpiresAt.toISOString()}
        from taken
      returning id`),
  );
  if (inserted.length > 0) {
    const [booking] = await db.select().from(modularBookings).where(eq(modularBookings.id, id));
    return { ok: true, booking: booking! };
  }
  const available = await availableOf(db, request.inventorySourceId, request.availId);
  if (available === undefined) return { ok: false, reason: 'not_found' };
  return { ok: false, reason: 'insufficient', available };
}

/** Impressions still to sell on an active avail; undefined when it is not on sale. */
export async function availableOf(
  db: Db,
  inventorySourceId: number,
  availId: string,
): Promise<number | undefined> {
  const [row] = rowsOf<{ available: string | number }>(
    await db.execute(sql`
      select greatest(impressions_capacity - upstream_booked - held - booked, 0) as available
        from modular_avails
       where inventory_source_id = ${inventorySourceId} and avail_id = ${availId} and active`),
  );
  return row === undefined ? undefined : Number(row.available);
}

/** HELD → BOOKED, moving its impressions from held to booked; undefined if it was not HELD. */
export async function confirm(db: Db, bookingId: string): Promise<BookingRow | undefined> {
  const moved = rowsOf<{ id: string }>(
    await db.execute(sql`
      with booked as (
        update modular_bookings set status = 'BOOKED', hold_expires_at = null, updated_at = now()
         where id = ${bookingId} and status = 'HELD'
        returning avail_row_id, requested_impressions, id
      ), moved as (
        update modular_avails a
           set held = a.held - b.requested_impressions, booked = a.booked + b.requested_impressions,
               updated_at = now()
          from booked b where a.id = b.avail_row_id
        returning a.id
      )
      select id from booked`),
  );
  return moved.length ? find(db, bookingId) : undefined;
}

/**
 * Gives a booking's capacity back: HELD → RELEASED, BOOKED → CANCELLED. Undefined when it was
 * already released or cancelled (nothing is given back twice).
 */
export async function release(db: Db, bookingId: string): Promise<BookingRow | undefined> {
  const released = rowsOf<{ id: string }>(
    await db.execute(sql`
      with before as (
        select id, status from modular_bookings where id = ${bookingId} for update
      ), changed as (
        update modular_bookings k
           set status = case when before.status = 'HELD' then 'RELEASED' else 'CANCELLED' end,
               hold_expires_at = null, updated_at = now()
          from before
         where k.id = before.id and before.status in ('HELD', 'BOOKED')
        returning k.avail_row_id, k.requested_impressions, before.status as was, k.id
      ), back as (
        update modular_avails a
           set held = a.held - case when c.was = 'HELD' then c.requested_impressions else 0 end,
               booked = a.booked - case when c.was = 'BOOKED' then c.requested_impressions else 0 end,
               updated_at = now()
          from changed c where a.id = c.avail_row_id
        returning a.id
      )
      select id from changed`),
  );
  return released.length ? find(db, bookingId) : undefined;
}

export type ResizeOutcome =
  | { ok: true; booking: BookingRow }
  | { ok: false; reason: 'gone' }
  | { ok: false; reason: 'insufficient'; available: number };

/**
 * A buyer's change of a package's size (update_media_buy): a HELD or BOOKED booking now asks for
 * `impressions`, its avail's held or booked moved by the difference in the same statement. A
 * growth takes capacity only where the avail (active) still has it, re-checked by PostgreSQL
 * under the avail's row lock, as a hold is; a shrink always fits. Setting the size it already
 * has changes nothing, so a retried change never takes capacity twice.
 */
export async function resize(
  db: Db,
  bookingId: string,
  impressions: number,
): Promise<ResizeOutcome> {
  const changed = rowsOf<{ id: string }>(
    await db.execute(sql`
      with cur as (
        select id, avail_row_id, requested_impressions as was, status
          from modular_bookings
         where id = ${bookingId} and status in ('HELD', 'BOOKED')
           for update
      ), fits as (
        update modular_avails a
           set held = a.held + case when cur.status = 'HELD' then ${impressions} - cur.was else 0 end,
               booked = a.booked + case when cur.status = 'BOOKED' then ${impressions} - cur.was else 0 end,
               updated_at = now()
          from cur
         where a.id = cur.avail_row_id
           and (${impressions} <= cur.was
                or (a.active
                    and a.impressions_capacity - a.upstream_booked - a.held - a.booked
                        >= ${impressions} - cur.was))
        returning a.id
      ), sized as (
        update modular_bookings k set requested_impressions = ${impressions}, updated_at = now()
          from cur, fits
         where k.id = cur.id
        returning k.id
      )
      select id from sized`),
  );
  const booking = await find(db, bookingId);
  if (changed.length > 0 && booking) return { ok: true, booking };
  if (!booking || (booking.status !== 'HELD' && booking.status !== 'BOOKED')) {
    return { ok: false, reason: 'gone' };
  }
  const available = await availableOf(db, booking.inventorySourceId, booking.availId);
  return { ok: false, reason: 'insufficient', available: available ?? 0 };
}

/** Releases every hold past its expiry in one statement; answers the bookings released. */
export async function expireHolds(db: Db, now: Date): Promise<BookingRow[]> {
  const expired = rowsOf<{ id: string }>(
    await db.execute(sql`
      with expired as (
        update modular_bookings set status = 'RELEASED', updated_at = now()
         where status = 'HELD' and hold_expires_at < ${now.toISOString()}
        returning id, avail_row_id, requested_impressions
      ), back as (
        update modular_avails a set held = a.held - e.total, updated_at = now()
          from (select avail_row_id, sum(requested_impressions) as total
                  from expired group by avail_row_id) e
         where a.id = e.avail_row_id
        returning a.id
      )
      select id from expired`),
  );
  if (expired.length === 0) return [];
  return db
    .select()
    .from(modularBookings)
    .where(
      inArray(
        modularBookings.id,
        expired.map((e) => e.id),
      ),
    );
}

export async function find(db: Db, bookingId: string): Promise<BookingRow | undefined> {
  const [row] = await db.select().from(modularBookings).where(eq(modularBookings.id, bookingId));
  return row;
}

export async function findFor(
  db: Db,
  inventorySourceId: number,
  mediaBuyId: string,
  packageId: string,
): Promise<BookingRow | undefined> {
  const [row] = await db
    .select()
    .from(modularBookings)
    .where(columnsEqual(modularBookings, { inventorySourceId, mediaBuyId, packageId }));
  return row;
}

export async function bookingsOfBuy(
  db: Db,
  inventorySourceId: number,
  mediaBuyId: string,
): Promise<BookingRow[]> {
  return db
    .select()
    .from(modularBookings)
    .where(columnsEqual(modularBookings, { inventorySourceId, mediaBuyId }));
}
