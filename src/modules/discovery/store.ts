import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import {
  buyerDiscoveries,
  buyerDiscoveryAgents,
  buyerDiscoverySelections,
  type DiscoveryAsk,
} from './tables.js';

export type DiscoveryRow = typeof buyerDiscoveries.$inferSelect;
export type AgentRow = typeof buyerDiscoveryAgents.$inferSelect;
export type SelectionRow = typeof buyerDiscoverySelections.$inferSelect;
export type NewSelection = typeof buyerDiscoverySelections.$inferInsert;

/** The customer's session; another customer's reads as missing. */
export async function findDiscovery(
  db: Db,
  customerId: number,
  id: string,
): Promise<DiscoveryRow | undefined> {
  const [row] = await db
    .select()
    .from(buyerDiscoveries)
    .where(columnsEqual(buyerDiscoveries, { id, customerId }));
  return row;
}

export async function insertDiscovery(
  db: Db,
  row: typeof buyerDiscoveries.$inferInsert,
): Promise<DiscoveryRow> {
  const [inserted] = await db.insert(buyerDiscoveries).values(row).returning();
  return inserted as DiscoveryRow;
}

/**
 * Makes a round of a session asked again, whose agent rows are all written, the session's
 * answers (one revision further), and drops the round it replaces; answers the session as
 * updated. Rows of a concurrent round still being written are left alone: the round finishing
 * last is current. (A round whose process died before this leaves rows no reader joins.)
 */
export async function completeRound(
  db: Db,
  discoveryId: string,
  roundId: string,
  ask: DiscoveryAsk,
): Promise<DiscoveryRow> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ roundId: buyerDiscoveries.roundId })
      .from(buyerDiscoveries)
      .where(eq(buyerDiscoveries.id, discoveryId))
      .for('update');
    const [row] = await tx
      .update(buyerDiscoveries)
      .set({
        ask,
        roundId,
        updatedAt: new Date(),
        revision: sql`${buyerDiscoveries.revision} + 1`,
      })
      .where(eq(buyerDiscoveries.id, discoveryId))
      .returning();
    if (before && before.roundId !== roundId) {
      await tx
        .delete(buyerDiscoveryAgents)
        .where(columnsEqual(buyerDiscoveryAgents, { discoveryId, roundId: before.roundId }));
    }
    return row as DiscoveryRow;
  });
}

/**
 * Deletes one round's agent rows: a round that could not be written whole, which must leave
 * nothing behind (a session asked again never switches to it; a new session is deleted).
 */
export async function discardRound(db: Db, discoveryId: string, roundId: string): Promise<void> {
  await db
    .delete(buyerDiscoveryAgents)
    .where(columnsEqual(buyerDiscoveryAgents, { discoveryId, roundId }));
}

/**
 * Deletes a new session whose first round failed, with any agent rows it has: its round was
 * current from the start, so a row left would be read as its answer.
 */
export async function deleteDiscovery(db: Db, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(buyerDiscoveryAgents).where(eq(buyerDiscoveryAgents.discoveryId, id));
    await tx.delete(buyerDiscoveries).where(eq(buyerDiscoveries.id, id));
  });
}

export async function setCampaign(db: Db, id: string, campaignId: string): Promise<void> {
  await db
    .update(buyerDiscoveries)
    .set({ campaignId, updatedAt: new Date() })
    .where(eq(buyerDiscoveries.id, id));
}

/**
 * Each agent's answer in the session's current round, in storefront order (one statement, so
 * a round completing meanwhile is seen whole or not at all).
 */
export async function agentsOf(db: Db, discoveryId: string): Promise<AgentRow[]> {
  return db
    .select(getTableColumns(buyerDiscoveryAgents))
    .from(buyerDiscoveryAgents)
    .innerJoin(
      buyerDiscoveries,
      and(
        eq(buyerDiscoveries.id, buyerDiscoveryAgents.discoveryId),
        eq(buyerDiscoveries.roundId, buyerDiscoveryAgents.roundId),
      ),
    )
    .where(eq(buyerDiscoveryAgents.discoveryId, discoveryId))
    .orderBy(asc(buyerDiscoveryAgents.storefrontId), asc(buyerDiscoveryAgents.agentId));
}

/** How many products are selected in each of the customer's sessions named (one query). */
export async function selectionCounts(
  db: Db,
  customerId: number,
  discoveryIds: string[],
): Promise<Map<string, number>> {
  if (discoveryIds.length === 0) return new Map();
  const rows = await db
    .select({
      discoveryId: buyerDiscoverySelections.discoveryId,
      n: sql<number>`count(*)`.mapWith(Number),
    })
    .from(buyerDiscoverySelections)
    .where(
      and(
        eq(buyerDiscoverySelections.customerId, customerId),
        inArray(buyerDiscoverySelections.discoveryId, discoveryIds),
      ),
    )
    .groupBy(buyerDiscoverySelections.discoveryId);
  return new Map(rows.map((r) => [r.discoveryId, r.n]));
}

export async function selectionsOf(db: Db, discoveryId: string): Promise<SelectionRow[]> {
  return db
    .select()
    .from(buyerDiscoverySelections)
    .where(eq(buyerDiscoverySelections.discoveryId, discoveryId))
    .orderBy(asc(buyerDiscoverySelections.id));
}

/** Adds or updates selections (one per agent and product); `replace` drops the others first. */
export async function upsertSelections(
  db: Db,
  discoveryId: string,
  rows: NewSelection[],
  replace: boolean,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (replace) {
      await tx
        .delete(buyerDiscoverySelections)
        .where(eq(buyerDiscoverySelections.discoveryId, discoveryId));
    }
    for (const row of rows) {
      await tx
        .insert(buyerDiscoverySelections)
        .values(row)
        .onConflictDoUpdate({
          target: [
            buyerDiscoverySelections.discoveryId,
            buyerDiscoverySelections.agentId,
            buyerDiscoverySelections.productId,
          ],
          set: {
            pricingOptionId: row.pricingOptionId,
            bidPrice: row.bidPrice ?? null,
            budget: row.budget ?? null,
            targetingOverlay: row.targetingOverlay ?? null,
            groupName: row.groupName,
            selectedAt: new Date(),
          },
        });
    }
  });
}

export async function deleteSelections(
  db: Db,
  discoveryId: string,
  productIds: string[],
): Promise<void> {
  if (productIds.length === 0) return;
  await db
    .delete(buyerDiscoverySelections)
    .where(
      and(
        eq(buyerDiscoverySelections.discoveryId, discoveryId),
        inArray(buyerDiscoverySelections.productId, productIds),
      ),
    );
}
