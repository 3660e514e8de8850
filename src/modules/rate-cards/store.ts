import { asc, eq, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { factIdTaken } from './errors.js';
import { storefrontPricingFacts, storefrontRateCards } from './tables.js';

export type RateCardRow = typeof storefrontRateCards.$inferSelect;
export type PricingFactRow = typeof storefrontPricingFacts.$inferSelect;
export type NewPricingFact = Omit<
  typeof storefrontPricingFacts.$inferInsert,
  'storefrontId' | 'position' | 'createdAt' | 'updatedAt'
>;

/** The card's settings row, or undefined when the seller never wrote one. */
export async function findCard(db: Db, storefrontId: number): Promise<RateCardRow | undefined> {
  const [row] = await db
    .select()
    .from(storefrontRateCards)
    .where(eq(storefrontRateCards.storefrontId, storefrontId));
  return row;
}

/** The card's facts in the seller's order. */
export async function listFacts(db: Db, storefrontId: number): Promise<PricingFactRow[]> {
  return db
    .select()
    .from(storefrontPricingFacts)
    .where(eq(storefrontPricingFacts.storefrontId, storefrontId))
    .orderBy(asc(storefrontPricingFacts.position), asc(storefrontPricingFacts.factId));
}

/** One fact of this storefront; another storefront's fact reads as missing. */
export async function findFact(
  db: Db,
  storefrontId: number,
  factId: string,
): Promise<PricingFactRow | undefined> {
  const [row] = await db
    .select()
    .from(storefrontPricingFacts)
    .where(columnsEqual(storefrontPricingFacts, { storefrontId, factId }));
  return row;
}

/**
 * Creates (or touches) the card row and holds its lock until `tx` ends: every write to one
 * card takes it first, so concurrent writers queue in PostgreSQL instead of interleaving.
 */
export async function lockCard(
  tx: Db,
  storefrontId: number,
  settings: { targetPercentile?: string; currency?: string | null } = {},
): Promise<RateCardRow> {
  const [row] = await tx
    .insert(storefrontRateCards)
    .values({ storefrontId, ...settings })
    .onConflictDoUpdate({
      target: storefrontRateCards.storefrontId,
      set: { ...settings, updatedAt: new Date() },
    })
    .returning();
  return row as RateCardRow;
}

/** Replaces every fact of the card (the caller holds the card lock). */
export async function replaceFacts(
  tx: Db,
  storefrontId: number,
  facts: NewPricingFact[],
): Promise<void> {
  await tx
    .delete(storefrontPricingFacts)
    .where(eq(storefrontPricingFacts.storefrontId, storefrontId));
  if (facts.length === 0) return;
  await tx
    .insert(storefrontPricingFacts)
    .values(facts.map((fact, position) => ({ ...fact, storefrontId, position })));
}

export async function countFacts(tx: Db, storefrontId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(storefrontPricingFacts)
    .where(eq(storefrontPricingFacts.storefrontId, storefrontId));
  return row?.n ?? 0;
}

/** Appends a fact; an id the card already has is a conflict (held by the primary key). */
export async function insertFact(
  tx: Db,
  storefrontId: number,
  fact: NewPricingFact,
): Promise<PricingFactRow> {
  try {
    const [row] = await tx
      .insert(storefrontPricingFacts)
      .values({
        ...fact,
        storefrontId,
        position: sql`(select coalesce(max(${storefrontPricingFacts.position}), -1) + 1 from ${storefrontPricingFacts} where ${storefrontPricingFacts.storefrontId} = ${storefrontId})`,
      })
      .returning();
    return row as PricingFactRow;
  } catch (error) {
    if (isUniqueViolation(error, 'storefront_pricing_facts_storefront_id_fact_id_pk')) {
      throw factIdTaken(fact.factId);
    }
    throw error;
  }
}

export async function updateFact(
  tx: Db,
  storefrontId: number,
  factId: string,
  fact: Omit<NewPricingFact, 'factId'>,
): Promise<PricingFactRow | undefined> {
  const [row] = await tx
    .update(storefrontPricingFacts)
    .set({ ...fact, updatedAt: new Date() })
    .where(columnsEqual(storefrontPricingFacts, { storefrontId, factId }))
    .returning();
  return row;
}

export async function deleteFact(
  tx: Db,
  storefrontId: number,
  factId: string,
): Promise<PricingFactRow | undefined> {
  const [row] = await tx
    .delete(storefrontPricingFacts)
    .where(columnsEqual(storefrontPricingFacts, { storefrontId, factId }))
    .returning();
  return row;
}
