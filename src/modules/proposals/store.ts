import { and, asc, count, eq, gt, inArray, isNull, lte, ne, sql, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { proposalCodes, storefrontProposals } from './tables.js';

export type ProposalRow = typeof storefrontProposals.$inferSelect;
export type NewProposal = typeof storefrontProposals.$inferInsert;
export type ProposalCodeRow = typeof proposalCodes.$inferSelect;
export type NewProposalCode = Omit<typeof proposalCodes.$inferInsert, 'id' | 'createdAt'>;

export async function insertProposal(db: Db, row: NewProposal): Promise<void> {
  await db.insert(storefrontProposals).values(row);
}

/** One proposal of this storefront; another storefront's reads as missing. */
export async function findProposal(
  db: Db,
  storefrontId: number,
  proposalId: string,
): Promise<ProposalRow | undefined> {
  const [row] = await db
    .select()
    .from(storefrontProposals)
    .where(columnsEqual(storefrontProposals, { storefrontId, proposalId }));
  return row;
}

export async function insertCode(db: Db, row: NewProposalCode): Promise<ProposalCodeRow> {
  const [inserted] = await db.insert(proposalCodes).values(row).returning();
  return inserted!;
}

/** One code of this storefront by its row id; another storefront's reads as missing. */
export async function findCode(
  db: Db,
  storefrontId: number,
  id: number,
): Promise<ProposalCodeRow | undefined> {
  const [row] = await db
    .select()
    .from(proposalCodes)
    .where(columnsEqual(proposalCodes, { storefrontId, id }));
  return row;
}

export async function findByCode(db: Db, code: string): Promise<ProposalCodeRow | undefined> {
  const [row] = await db.select().from(proposalCodes).where(eq(proposalCodes.code, code));
  return row;
}

/** The codes of a storefront, oldest first; `status` expired/active read the clock. */
export async function listCodes(
  db: Db,
  storefrontId: number,
  filter: { status?: string | undefined; operatorId?: string | undefined },
  page: { limit: number; offset: number },
  now: Date,
): Promise<{ rows: ProposalCodeRow[]; total: number }> {
  const where: SQL[] = [eq(proposalCodes.storefrontId, storefrontId)];
  if (filter.status === 'expired') {
    where.push(eq(proposalCodes.status, 'active'), lte(proposalCodes.expiresAt, now));
  } else if (filter.status === 'active') {
    where.push(eq(proposalCodes.status, 'active'), gt(proposalCodes.expiresAt, now));
  } else if (filter.status) {
    where.push(eq(proposalCodes.status, filter.status));
  }
  if (filter.operatorId) {
    where.push(
      sql`(${proposalCodes.operatorRef}->>'domain' = ${filter.operatorId} OR 'customer:' || (${proposalCodes.operatorRef}->>'customerId') = ${filter.operatorId})`,
    );
  }
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(proposalCodes)
      .where(and(...where))
      .orderBy(asc(proposalCodes.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: count() })
      .from(proposalCodes)
      .where(and(...where)),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Changes a code of this storefront; undefined when it has none by that id. */
export async function updateCode(
  db: Db,
  storefrontId: number,
  id: number,
  patch: Partial<Pick<ProposalCodeRow, 'label' | 'notes' | 'expiresAt' | 'status'>>,
): Promise<ProposalCodeRow | undefined> {
  const [row] = await db
    .update(proposalCodes)
    .set(patch)
    .where(columnsEqual(proposalCodes, { storefrontId, id }))
    .returning();
  return row;
}

/** Records that the code's buyer looked at it (hosted firstViewedAt / lastViewedAt). */
export async function markViewed(db: Db, id: number, at: Date): Promise<void> {
  await db
    .update(proposalCodes)
    .set({ lastViewedAt: at, firstViewedAt: sql`coalesce(${proposalCodes.firstViewedAt}, ${at})` })
    .where(eq(proposalCodes.id, id));
}

/**
 * Gives a code no buyer holds yet to `customerId` (the first buyer to open it with the code);
 * answers the row as it now stands, whoever won a race for it.
 */
export async function claimCode(
  db: Db,
  id: number,
  customerId: number,
): Promise<ProposalCodeRow | undefined> {
  await db
    .update(proposalCodes)
    .set({ holderCustomerId: customerId })
    .where(and(eq(proposalCodes.id, id), isNull(proposalCodes.holderCustomerId)));
  const [row] = await db.select().from(proposalCodes).where(eq(proposalCodes.id, id));
  return row;
}

/** Every code issued for one proposal of this storefront, oldest first. */
export async function codesOf(
  db: Db,
  storefrontId: number,
  proposalId: string,
): Promise<ProposalCodeRow[]> {
  return db
    .select()
    .from(proposalCodes)
    .where(columnsEqual(proposalCodes, { storefrontId, proposalId }))
    .orderBy(asc(proposalCodes.id));
}

/** Marks the codes of a proposal redeemed by a buy (the first buy wins; revoked stay revoked). */
export async function markRedeemed(
  db: Db,
  ids: number[],
  mediaBuyId: string,
  at: Date,
): Promise<void> {
  for (const id of ids) {
    await db
      .update(proposalCodes)
      .set({ status: 'redeemed', redeemedAt: at, redeemedInMediaBuyId: mediaBuyId })
      .where(and(eq(proposalCodes.id, id), ne(proposalCodes.status, 'revoked')));
  }
}

/**
 * Marks these proposals of a storefront committed (AdCP finalize), all or none: each answer's
 * proposal gets `proposal_status: "committed"` and its `insertion_order` (AdCP 3.1
 * core/insertion-order.json: `io_id`, the committed budget as `terms`, and `requires_signature`,
 * so create_media_buy asks for its `io_acceptance`), `advertiser` in the terms when known. Only
 * those not yet expired at `at`: when one expired meanwhile none is committed and false is answered.
 */
export async function markCommitted(
  db: Db,
  storefrontId: number,
  proposalIds: string[],
  at: Date,
  advertiser: string | null,
): Promise<boolean> {
  const p = storefrontProposals;
  const terms = sql`jsonb_build_object('total_budget', jsonb_build_object('amount', (${p.budget})::numeric, 'currency', ${p.currency}))${advertiser === null ? sql`` : sql` || jsonb_build_object('advertiser', ${advertiser}::text)`}`;
  const io = sql`jsonb_build_object('io_id', 'io_' || ${p.proposalId}, 'requires_signature', true, 'terms', ${terms})`;
  const committed = sql`jsonb_set(${p.answer}, '{proposals,0,proposal_status}', '"committed"')`;
  try {
    await db.transaction(async (tx) => {
      const rows = await tx
        .update(p)
        .set({ answer: sql`jsonb_set(${committed}, '{proposals,0,insertion_order}', ${io})` })
        .where(
          and(
            eq(p.storefrontId, storefrontId),
            inArray(p.proposalId, proposalIds),
            gt(p.expiresAt, at),
          ),
        )
        .returning({ proposalId: p.proposalId });
      if (rows.length !== proposalIds.length) throw new ExpiredMeanwhile();
    });
    return true;
  } catch (error) {
    if (error instanceof ExpiredMeanwhile) return false;
    throw error;
  }
}

/** Rolls a finalize back when a proposal expired between its check and its commit. */
class ExpiredMeanwhile extends Error {}
