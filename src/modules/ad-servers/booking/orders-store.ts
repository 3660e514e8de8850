import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { adServerConnections, adServerOrders } from '../tables.js';

/*
 * Every query on ad-server orders (one per buy placed in the ad server, one line item per
 * package): recorded before the first write (booking/book.ts), saved as the ad server takes
 * them, followed (booking/follow.ts), listed for the operator (catalog/) and counted in status.
 */

export type OrderRow = typeof adServerOrders.$inferSelect;
export type NewOrder = typeof adServerOrders.$inferInsert;

/** The order a buyer's idempotency key names at this source, if any. */
export async function orderByKey(
  db: Db,
  inventorySourceId: number,
  buyerCustomerId: number,
  idempotencyKey: string,
): Promise<OrderRow | undefined> {
  const [found] = await db
    .select()
    .from(adServerOrders)
    .where(columnsEqual(adServerOrders, { inventorySourceId, buyerCustomerId, idempotencyKey }));
  return found;
}

/**
 * Records a new order row; undefined when another request with the same buyer's idempotency key
 * recorded one first (the unique key settles the race).
 */
export async function insertOrder(db: Db, values: NewOrder): Promise<OrderRow | undefined> {
  const [row] = await db.insert(adServerOrders).values(values).onConflictDoNothing().returning();
  return row;
}

/** A buyer's orders at one source, all or those named (get_media_buys). */
export async function ordersOfBuyer(
  db: Db,
  inventorySourceId: number,
  buyerCustomerId: number,
  ids?: string[] | null,
): Promise<OrderRow[]> {
  return db
    .select()
    .from(adServerOrders)
    .where(
      and(
        eq(adServerOrders.inventorySourceId, inventorySourceId),
        eq(adServerOrders.buyerCustomerId, buyerCustomerId),
        ids?.length ? inArray(adServerOrders.id, ids) : undefined,
      ),
    );
}

export async function findOrder(db: Db, orderId: string): Promise<OrderRow | undefined> {
  const [order] = await db.select().from(adServerOrders).where(eq(adServerOrders.id, orderId));
  return order;
}

/** Saves fields of one order row as given (callers stamp updatedAt), answering the row as saved. */
export async function updateOrder(
  db: Db,
  orderId: string,
  fields: Partial<NewOrder>,
): Promise<OrderRow> {
  const [saved] = await db
    .update(adServerOrders)
    .set(fields)
    .where(eq(adServerOrders.id, orderId))
    .returning();
  return saved!;
}

/** Saves fields of one order row (and its updatedAt), answering the row as saved. */
export type SaveOrder = (fields: Partial<NewOrder>) => Promise<OrderRow>;

export function orderSaver(db: Db, now: () => Date, orderId: string): SaveOrder {
  return (fields) => updateOrder(db, orderId, { ...fields, updatedAt: now() });
}

/** A page of a source's orders, newest first: created before `before`, at most `limit`. */
export async function ordersPage(
  db: Db,
  inventorySourceId: number,
  filter: { status?: string | undefined; before?: Date | undefined; limit: number },
): Promise<OrderRow[]> {
  return db
    .select()
    .from(adServerOrders)
    .where(
      and(
        eq(adServerOrders.inventorySourceId, inventorySourceId),
        filter.status ? eq(adServerOrders.status, filter.status) : undefined,
        filter.before ? lt(adServerOrders.createdAt, filter.before) : undefined,
      ),
    )
    .orderBy(desc(adServerOrders.createdAt))
    .limit(filter.limit);
}

/** A source's orders in any of `statuses`. */
export async function ordersInStatus(
  db: Db,
  inventorySourceId: number,
  statuses: string[],
): Promise<OrderRow[]> {
  return db
    .select()
    .from(adServerOrders)
    .where(
      and(
        eq(adServerOrders.inventorySourceId, inventorySourceId),
        inArray(adServerOrders.status, statuses),
      ),
    );
}

/**
 * Orders counted by status in the database: a source's orders grow without end, and only their
 * counts, line counts and oldest order per status are shown.
 */
export async function orderCountsByStatus(db: Db, inventorySourceId: number) {
  const rows = await db
    .select({
      status: adServerOrders.status,
      orders: sql<number>`count(*)::int`,
      lines: sql<number>`coalesce(sum(jsonb_array_length(${adServerOrders.lines})), 0)::int`,
      oldest: sql`min(${adServerOrders.createdAt})`.mapWith(adServerOrders.createdAt),
    })
    .from(adServerOrders)
    .where(eq(adServerOrders.inventorySourceId, inventorySourceId))
    .groupBy(adServerOrders.status);
  return new Map(rows.map((row) => [row.status, row]));
}

/** The latest orders the ad server disapproved, newest change first, at most `limit`. */
export async function rejectedOrders(
  db: Db,
  inventorySourceId: number,
  limit: number,
): Promise<Array<Pick<OrderRow, 'id' | 'error'>>> {
  return db
    .select({ id: adServerOrders.id, error: adServerOrders.error })
    .from(adServerOrders)
    .where(columnsEqual(adServerOrders, { inventorySourceId, status: 'rejected' }))
    .orderBy(desc(adServerOrders.updatedAt))
    .limit(limit);
}

/**
 * The active connections with a live order (active or paused, its flight ended less than two
 * days ago): the sources whose delivery the scheduled import reads.
 */
export async function sourcesWithLiveOrders(db: Db): Promise<number[]> {
  const live = await db
    .selectDistinct({ id: adServerOrders.inventorySourceId })
    .from(adServerOrders)
    .innerJoin(
      adServerConnections,
      eq(adServerConnections.inventorySourceId, adServerOrders.inventorySourceId),
    )
    .where(
      and(
        inArray(adServerOrders.status, ['active', 'paused']),
        eq(adServerConnections.provisioningStatus, 'active'),
        sql`${adServerOrders.endTime} > now() - interval '2 days'`,
      ),
    );
  return live.map((r) => r.id);
}
