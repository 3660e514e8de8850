import { eq, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { type FeedbackStatus, performanceFeedback } from './tables.js';

export type FeedbackRow = typeof performanceFeedback.$inferSelect;

/**
 * Claims (buy, period): inserts the row as given, or answers the row already there (a retry,
 * or another instance's sweep) unchanged.
 */
export async function claimPeriod(
  db: Db,
  row: typeof performanceFeedback.$inferInsert,
): Promise<{ row: FeedbackRow; claimed: boolean }> {
  const [inserted] = await db
    .insert(performanceFeedback)
    .values(row)
    .onConflictDoNothing({
      target: [performanceFeedback.mediaBuyId, performanceFeedback.periodStart],
    })
    .returning();
  if (inserted) return { row: inserted, claimed: true };
  return { row: (await periodOf(db, row.mediaBuyId, row.periodStart))!, claimed: false };
}

/** The row recorded for a buy's period starting at `periodStart`, if any. */
export async function periodOf(
  db: Db,
  mediaBuyId: string,
  periodStart: Date,
): Promise<FeedbackRow | undefined> {
  const [held] = await db
    .select()
    .from(performanceFeedback)
    .where(columnsEqual(performanceFeedback, { mediaBuyId, periodStart }));
  return held;
}

/** Records how a claimed period ended. */
export async function settle(db: Db, id: number, status: FeedbackStatus, reason?: string) {
  await db
    .update(performanceFeedback)
    .set({ status, reason: reason ?? null, updatedAt: sql`now()` })
    .where(eq(performanceFeedback.id, id));
}

/** What was recorded for a customer's buy, oldest period first. */
export async function feedbackOf(db: Db, customerId: number, mediaBuyId: string) {
  return db
    .select()
    .from(performanceFeedback)
    .where(columnsEqual(performanceFeedback, { customerId, mediaBuyId }))
    .orderBy(performanceFeedback.periodStart);
}
