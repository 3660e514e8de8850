import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { conflict } from '../../platform/errors.js';
import { buyerSalesAgents } from './tables.js';

export type SalesAgentRow = typeof buyerSalesAgents.$inferSelect;
export type NewSalesAgent = Omit<typeof buyerSalesAgents.$inferInsert, 'id' | 'authSealed'>;
export type SalesAgentChanges = Partial<Omit<SalesAgentRow, 'id' | 'customerId' | 'createdAt'>>;

const endpointTaken = () =>
  conflict('You already registered an agent at this endpointUrl', 'endpointUrl');

/**
 * Inserts an agent and seals its credential bound to the new row (`seal` gets the row id), in
 * one transaction. Throws CONFLICT when the buyer already has an agent at that endpoint.
 */
export async function insertAgent(
  db: Db,
  input: NewSalesAgent,
  seal: ((id: number) => string) | null,
): Promise<SalesAgentRow> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(buyerSalesAgents).values(input).returning();
      const inserted = row as SalesAgentRow;
      if (!seal) return inserted;
      const [sealed] = await tx
        .update(buyerSalesAgents)
        .set({ authSealed: seal(inserted.id) })
        .where(eq(buyerSalesAgents.id, inserted.id))
        .returning();
      return sealed as SalesAgentRow;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'buyer_sales_agents_endpoint_key')) throw endpointTaken();
    throw error;
  }
}

/** The customer's agent, or undefined (another customer's included). */
export async function findAgent(
  db: Db,
  customerId: number,
  id: number,
): Promise<SalesAgentRow | undefined> {
  const [row] = await db
    .select()
    .from(buyerSalesAgents)
    .where(and(eq(buyerSalesAgents.customerId, customerId), eq(buyerSalesAgents.id, id)));
  return row;
}

/**
 * An agent by its id alone: for work that starts from something already bound to it (a media
 * buy placed with it, whose notifications are being verified), never from a caller's request.
 */
export async function findAgentById(db: Db, id: number): Promise<SalesAgentRow | undefined> {
  const [row] = await db.select().from(buyerSalesAgents).where(eq(buyerSalesAgents.id, id));
  return row;
}

/** A page of the customer's agents, oldest first, with the total. */
export async function listAgents(
  db: Db,
  customerId: number,
  page: { limit: number; offset: number },
): Promise<{ rows: SalesAgentRow[]; total: number }> {
  const mine = eq(buyerSalesAgents.customerId, customerId);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(buyerSalesAgents)
      .where(mine)
      .orderBy(asc(buyerSalesAgents.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(buyerSalesAgents).where(mine),
  ]);
  return { rows, total: counted?.total ?? 0 };
}

/** The customer's ACTIVE agents (those discovery asks), oldest first. */
export async function activeAgents(db: Db, customerId: number): Promise<SalesAgentRow[]> {
  return db
    .select()
    .from(buyerSalesAgents)
    .where(and(eq(buyerSalesAgents.customerId, customerId), eq(buyerSalesAgents.status, 'ACTIVE')))
    .orderBy(asc(buyerSalesAgents.id));
}

export async function updateAgent(
  db: Db,
  id: number,
  changes: SalesAgentChanges,
): Promise<SalesAgentRow> {
  try {
    const [row] = await db
      .update(buyerSalesAgents)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(buyerSalesAgents.id, id))
      .returning();
    return row as SalesAgentRow;
  } catch (error) {
    if (isUniqueViolation(error, 'buyer_sales_agents_endpoint_key')) throw endpointTaken();
    throw error;
  }
}

/** Deletes the customer's agent; false when there was none. */
export async function deleteAgent(db: Db, customerId: number, id: number): Promise<boolean> {
  const deleted = await db
    .delete(buyerSalesAgents)
    .where(and(eq(buyerSalesAgents.customerId, customerId), eq(buyerSalesAgents.id, id)))
    .returning({ id: buyerSalesAgents.id });
  return deleted.length > 0;
}
