import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { conflict } from '../../platform/errors.js';
import { buyerSignalAgents, signalActivations } from './tables.js';

export type SignalAgentRow = typeof buyerSignalAgents.$inferSelect;
export type NewSignalAgent = Omit<typeof buyerSignalAgents.$inferInsert, 'id' | 'authSealed'>;
export type ActivationRow = typeof signalActivations.$inferSelect;
export type NewActivation = typeof signalActivations.$inferInsert;

const endpointTaken = () =>
  conflict('You already registered a signals agent at this endpointUrl', 'endpointUrl');

/** Inserts an agent and seals its credential bound to the new row, in one transaction. */
export async function insertAgent(
  db: Db,
  input: NewSignalAgent,
  seal: ((id: number) => string) | null,
): Promise<SignalAgentRow> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(buyerSignalAgents).values(input).returning();
      const inserted = row as SignalAgentRow;
      if (!seal) return inserted;
      const [sealed] = await tx
        .update(buyerSignalAgents)
        .set({ authSealed: seal(inserted.id) })
        .where(eq(buyerSignalAgents.id, inserted.id))
        .returning();
      return sealed as SignalAgentRow;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'buyer_signal_agents_endpoint_key')) throw endpointTaken();
    throw error;
  }
}

/** The customer's agent, or undefined (another customer's included). */
export async function findAgent(db: Db, customerId: number, id: number) {
  const [row] = await db
    .select()
    .from(buyerSignalAgents)
    .where(and(eq(buyerSignalAgents.customerId, customerId), eq(buyerSignalAgents.id, id)));
  return row;
}

export async function listAgents(
  db: Db,
  customerId: number,
  page: { limit: number; offset: number },
): Promise<{ rows: SignalAgentRow[]; total: number }> {
  const mine = eq(buyerSignalAgents.customerId, customerId);
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(buyerSignalAgents)
      .where(mine)
      .orderBy(asc(buyerSignalAgents.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(buyerSignalAgents).where(mine),
  ]);
  return { rows, total: counted?.total ?? 0 };
}

/** The customer's ACTIVE agents (those discovery asks), oldest first. */
export function activeAgents(db: Db, customerId: number): Promise<SignalAgentRow[]> {
  return db
    .select()
    .from(buyerSignalAgents)
    .where(
      and(eq(buyerSignalAgents.customerId, customerId), eq(buyerSignalAgents.status, 'ACTIVE')),
    )
    .orderBy(asc(buyerSignalAgents.id));
}

export async function updateAgent(
  db: Db,
  id: number,
  changes: Partial<SignalAgentRow>,
): Promise<SignalAgentRow> {
  const [row] = await db
    .update(buyerSignalAgents)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(buyerSignalAgents.id, id))
    .returning();
  return row as SignalAgentRow;
}

export async function deleteAgent(db: Db, customerId: number, id: number): Promise<boolean> {
  const deleted = await db
    .delete(buyerSignalAgents)
    .where(and(eq(buyerSignalAgents.customerId, customerId), eq(buyerSignalAgents.id, id)))
    .returning({ id: buyerSignalAgents.id });
  return deleted.length > 0;
}

/**
 * Records an activation before it is sent, or finds the one already recorded for the same
 * (campaign, agent, signal): two concurrent requests settle on one row in the database.
 */
export async function claimActivation(db: Db, input: NewActivation): Promise<ActivationRow> {
  const [inserted] = await db
    .insert(signalActivations)
    .values(input)
    .onConflictDoNothing({
      target: [
        signalActivations.customerId,
        signalActivations.campaignId,
        signalActivations.agentId,
        signalActivations.signalAgentSegmentId,
      ],
    })
    .returning();
  if (inserted) return inserted;
  const [existing] = await db
    .select()
    .from(signalActivations)
    .where(
      and(
        eq(signalActivations.customerId, input.customerId),
        eq(signalActivations.campaignId, input.campaignId),
        eq(signalActivations.agentId, input.agentId),
        eq(signalActivations.signalAgentSegmentId, input.signalAgentSegmentId),
      ),
    );
  return existing as ActivationRow;
}

export async function findActivation(db: Db, customerId: number, id: string) {
  const [row] = await db
    .select()
    .from(signalActivations)
    .where(and(eq(signalActivations.customerId, customerId), eq(signalActivations.id, id)));
  return row;
}

/** An activation by id alone: for the follow-up job, which starts from a recorded row. */
export async function findActivationById(db: Db, id: string) {
  const [row] = await db.select().from(signalActivations).where(eq(signalActivations.id, id));
  return row;
}

export function listActivations(db: Db, customerId: number, campaignId?: string) {
  return db
    .select()
    .from(signalActivations)
    .where(
      and(
        eq(signalActivations.customerId, customerId),
        campaignId === undefined ? undefined : eq(signalActivations.campaignId, campaignId),
      ),
    )
    .orderBy(asc(signalActivations.createdAt), asc(signalActivations.id));
}

export async function updateActivation(
  db: Db,
  id: string,
  changes: Partial<ActivationRow>,
): Promise<ActivationRow> {
  const [row] = await db
    .update(signalActivations)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(signalActivations.id, id))
    .returning();
  return row as ActivationRow;
}
