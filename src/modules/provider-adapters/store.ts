import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { providerBuys, providerConnections, providerOAuthStates } from './tables.js';

export type ConnectionRow = typeof providerConnections.$inferSelect;
export type BuyRow = typeof providerBuys.$inferSelect;

export async function connectionOfSource(db: Db, inventorySourceId: number) {
  const [row] = await db
    .select()
    .from(providerConnections)
    .where(eq(providerConnections.inventorySourceId, inventorySourceId));
  return row;
}

export async function connectionById(db: Db, id: number) {
  const [row] = await db.select().from(providerConnections).where(eq(providerConnections.id, id));
  return row;
}

/** A connection's row, locked until the caller's transaction ends (grant refresh). */
export async function lockConnection(tx: Db, id: number) {
  const [row] = await tx
    .select()
    .from(providerConnections)
    .where(eq(providerConnections.id, id))
    .for('update');
  return row;
}

export async function insertConnection(db: Db, values: typeof providerConnections.$inferInsert) {
  const [row] = await db.insert(providerConnections).values(values).returning();
  return row!;
}

export async function updateConnection(
  db: Db,
  id: number,
  values: Partial<typeof providerConnections.$inferInsert>,
) {
  const [row] = await db
    .update(providerConnections)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(providerConnections.id, id))
    .returning();
  return row!;
}

export async function insertState(db: Db, values: typeof providerOAuthStates.$inferInsert) {
  await db.insert(providerOAuthStates).values(values);
}

/** A state still open (not used, not expired), without taking it. */
export async function peekState(db: Db, stateHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(providerOAuthStates)
    .where(
      and(
        eq(providerOAuthStates.stateHash, stateHash),
        isNull(providerOAuthStates.consumedAt),
        gt(providerOAuthStates.expiresAt, now),
      ),
    )
    .limit(1);
  return row;
}

/** Takes a state once: unknown, used, expired or another customer's answer undefined. */
export async function consumeState(
  db: Db,
  stateHash: string,
  now: Date,
  customerId: number | undefined,
) {
  const [row] = await db
    .update(providerOAuthStates)
    .set({ consumedAt: now })
    .where(
      and(
        eq(providerOAuthStates.stateHash, stateHash),
        isNull(providerOAuthStates.consumedAt),
        gt(providerOAuthStates.expiresAt, now),
        customerId === undefined ? undefined : eq(providerOAuthStates.customerId, customerId),
      ),
    )
    .returning();
  return row;
}

export async function findBuyByKey(
  db: Db,
  inventorySourceId: number,
  buyerCustomerId: number,
  idempotencyKey: string,
) {
  const [row] = await db
    .select()
    .from(providerBuys)
    .where(
      and(
        eq(providerBuys.inventorySourceId, inventorySourceId),
        eq(providerBuys.buyerCustomerId, buyerCustomerId),
        eq(providerBuys.idempotencyKey, idempotencyKey),
      ),
    );
  return row;
}

/** Records a buy before the provider hears of it; an existing record of the key wins. */
export async function claimBuy(db: Db, values: typeof providerBuys.$inferInsert) {
  const [row] = await db.insert(providerBuys).values(values).onConflictDoNothing().returning();
  return (
    row ?? findBuyByKey(db, values.inventorySourceId, values.buyerCustomerId, values.idempotencyKey)
  );
}

export async function updateBuy(
  db: Db,
  id: string,
  values: Partial<typeof providerBuys.$inferInsert>,
) {
  const [row] = await db
    .update(providerBuys)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(providerBuys.id, id))
    .returning();
  return row!;
}

export async function buysOfBuyer(db: Db, inventorySourceId: number, buyerCustomerId: number) {
  return db
    .select()
    .from(providerBuys)
    .where(
      and(
        eq(providerBuys.inventorySourceId, inventorySourceId),
        eq(providerBuys.buyerCustomerId, buyerCustomerId),
      ),
    )
    .limit(1000);
}
