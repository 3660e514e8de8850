import { and, asc, eq } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { signalActivations } from '../tables.js';

export type ActivationRow = typeof signalActivations.$inferSelect;
export type NewActivation = typeof signalActivations.$inferInsert;

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
      columnsEqual(signalActivations, {
        customerId: input.customerId,
        campaignId: input.campaignId,
        agentId: input.agentId,
        signalAgentSegmentId: input.signalAgentSegmentId,
      }),
    );
  return existing as ActivationRow;
}

export async function findActivation(db: Db, customerId: number, id: string) {
  const [row] = await db
    .select()
    .from(signalActivations)
    .where(columnsEqual(signalActivations, { customerId, id }));
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
