import { and, eq, inArray } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { modularBuys } from '../tables.js';

export type BuyRow = typeof modularBuys.$inferSelect;
export type NewBuy = typeof modularBuys.$inferInsert;

export async function insert(db: Db, buy: NewBuy): Promise<BuyRow> {
  const [row] = await db.insert(modularBuys).values(buy).returning();
  return row!;
}

export async function findByKey(
  db: Db,
  inventorySourceId: number,
  buyerCustomerId: number,
  idempotencyKey: string,
): Promise<BuyRow | undefined> {
  const [row] = await db
    .select()
    .from(modularBuys)
    .where(columnsEqual(modularBuys, { inventorySourceId, buyerCustomerId, idempotencyKey }));
  return row;
}

export async function findById(
  db: Db,
  inventorySourceId: number,
  id: string,
): Promise<BuyRow | undefined> {
  const [row] = await db
    .select()
    .from(modularBuys)
    .where(columnsEqual(modularBuys, { inventorySourceId, id }));
  return row;
}

/** The buy, its row locked to the end of `tx` (a buyer's changes of it settle one at a time). */
export async function lockById(
  tx: Db,
  inventorySourceId: number,
  id: string,
): Promise<BuyRow | undefined> {
  const [row] = await tx
    .select()
    .from(modularBuys)
    .where(columnsEqual(modularBuys, { inventorySourceId, id }))
    .for('update');
  return row;
}

/** The buyer's buys on the source among `ids` (all of its buys when ids is undefined). */
export async function ofBuyer(
  db: Db,
  inventorySourceId: number,
  buyerCustomerId: number,
  ids: string[] | undefined,
): Promise<BuyRow[]> {
  return db
    .select()
    .from(modularBuys)
    .where(
      and(
        eq(modularBuys.inventorySourceId, inventorySourceId),
        eq(modularBuys.buyerCustomerId, buyerCustomerId),
        ids ? inArray(modularBuys.id, ids.length ? ids : ['']) : undefined,
      ),
    );
}

export async function findByTask(
  db: Db,
  inventorySourceId: number,
  taskId: string,
): Promise<BuyRow | undefined> {
  const [row] = await db
    .select()
    .from(modularBuys)
    .where(columnsEqual(modularBuys, { inventorySourceId, taskId }));
  return row;
}

export async function update(db: Db, id: string, patch: Partial<NewBuy>): Promise<BuyRow> {
  const [row] = await db
    .update(modularBuys)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(modularBuys.id, id))
    .returning();
  return row!;
}
