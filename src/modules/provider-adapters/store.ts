import { and, eq, gt, isNull, lt, not, or, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
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
    .where(columnsEqual(providerBuys, { inventorySourceId, buyerCustomerId, idempotencyKey }));
  return row;
}

/** A call's hold on a pending buy: its token, until when (buys/lease.ts). */
export interface BuyLease {
  token: string;
  until: Date;
}

const b = providerBuys;
const pending = eq(b.status, 'pending');

/**
 * Records a buy before the provider hears of it, held by `lease`. An existing record of the key
 * wins: answered held when it is pending and nobody holds it (taken in the same conditional
 * update), otherwise as it is, not held (booked, or another call is placing it).
 */
export async function claimBuy(
  db: Db,
  values: typeof providerBuys.$inferInsert,
  lease: BuyLease,
  now: Date,
): Promise<{ buy: BuyRow; held: boolean } | undefined> {
  const [fresh] = await db
    .insert(b)
    .values({ ...values, leaseToken: lease.token, leaseUntil: lease.until })
    .onConflictDoNothing()
    .returning();
  if (fresh) return { buy: fresh, held: true };
  const key = columnsEqual(b, {
    inventorySourceId: values.inventorySourceId,
    buyerCustomerId: values.buyerCustomerId,
    idempotencyKey: values.idempotencyKey,
  });
  const [taken] = await leaseWhere(db, and(key, pending), lease, now);
  if (taken) return { buy: taken, held: true };
  const found = await findBuyByKey(
    db,
    values.inventorySourceId,
    values.buyerCustomerId,
    values.idempotencyKey,
  );
  return found && { buy: found, held: false };
}

/** Takes a pending buy nobody holds under `lease`: answers it held, or undefined. */
export async function takeBuy(db: Db, id: string, lease: BuyLease, now: Date) {
  const [row] = await leaseWhere(db, and(eq(b.id, id), pending), lease, now);
  return row;
}

/** Takes a booked buy nobody holds under `lease`, for one change: answers it held, or undefined. */
export async function holdBookedBuy(db: Db, id: string, lease: BuyLease, now: Date) {
  const [row] = await leaseWhere(db, and(eq(b.id, id), not(pending)), lease, now);
  return row;
}

/**
 * Leases the buys `which` names that nobody holds (never held, let go, or their holder's lease
 * ran out) to `lease`, in one conditional update.
 */
const leaseWhere = (db: Db, which: SQL | undefined, lease: BuyLease, now: Date) =>
  db
    .update(b)
    .set({ leaseToken: lease.token, leaseUntil: lease.until, updatedAt: now })
    .where(and(which, or(isNull(b.leaseUntil), lt(b.leaseUntil, now))))
    .returning();

/**
 * Changes a buy only while `token` holds it: answers the row, or undefined when the lease was
 * lost (another call took the buy over once it ran out).
 */
export async function updateHeldBuy(
  db: Db,
  id: string,
  token: string,
  values: Partial<typeof providerBuys.$inferInsert>,
) {
  const [row] = await db
    .update(b)
    .set({ ...values, updatedAt: new Date() })
    .where(columnsEqual(b, { id, leaseToken: token }))
    .returning();
  return row;
}

export async function findBuy(db: Db, id: string) {
  const [row] = await db.select().from(b).where(eq(b.id, id));
  return row;
}

export async function buysOfBuyer(db: Db, inventorySourceId: number, buyerCustomerId: number) {
  return db
    .select()
    .from(providerBuys)
    .where(columnsEqual(providerBuys, { inventorySourceId, buyerCustomerId }))
    .limit(1000);
}
