import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { AgentAnswer } from './fan-out.js';
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
    .where(and(eq(buyerDiscoveries.id, id), eq(buyerDiscoveries.customerId, customerId)));
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
 * Replaces the session's answers with a new round (one revision further when asked), in one
 * transaction; answers the session and the agent rows as stored, without reading them back.
 */
export async function recordRound(
  db: Db,
  discovery: DiscoveryRow,
  ask: DiscoveryAsk,
  answers: AgentAnswer[],
  bumpRevision: boolean,
): Promise<{ discovery: DiscoveryRow; agents: AgentRow[] }> {
  const answeredAt = new Date();
  const agents: AgentRow[] = answers
    .map((a) => ({
      discoveryId: discovery.id,
      agentId: a.agent.agentId,
      agentName: a.agent.agentName,
      storefrontId: a.agent.storefrontId,
      storefrontName: a.agent.storefrontName,
      publisherDomain: a.agent.publisherDomain,
      success: a.success,
      timedOut: a.timedOut,
      error: a.error ?? null,
      responseTimeMs: a.responseTimeMs,
      products: a.products,
      proposals: a.proposals,
      answeredAt,
    }))
    // Storefronts in id order, then remote agents (no storefront), as the database orders them.
    .sort(
      (x, y) =>
        (x.storefrontId ?? Infinity) - (y.storefrontId ?? Infinity) ||
        x.agentId.localeCompare(y.agentId),
    );
  const updated = await db.transaction(async (tx) => {
    await tx.delete(buyerDiscoveryAgents).where(eq(buyerDiscoveryAgents.discoveryId, discovery.id));
    if (agents.length > 0) await tx.insert(buyerDiscoveryAgents).values(agents);
    const [row] = await tx
      .update(buyerDiscoveries)
      .set({
        ask,
        updatedAt: answeredAt,
        ...(bumpRevision && { revision: sql`${buyerDiscoveries.revision} + 1` }),
      })
      .where(eq(buyerDiscoveries.id, discovery.id))
      .returning();
    return row as DiscoveryRow;
  });
  return { discovery: updated, agents };
}

export async function setCampaign(db: Db, id: string, campaignId: string): Promise<void> {
  await db
    .update(buyerDiscoveries)
    .set({ campaignId, updatedAt: new Date() })
    .where(eq(buyerDiscoveries.id, id));
}

/** Each agent's answer in the session, in storefront order. */
export async function agentsOf(db: Db, discoveryId: string): Promise<AgentRow[]> {
  return db
    .select()
    .from(buyerDiscoveryAgents)
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
