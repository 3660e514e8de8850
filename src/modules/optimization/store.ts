import { and, count, desc, eq, gt, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import {
  type NewSuggestion,
  optimizationSuggestions as suggestions,
  type SuggestionRow,
  type SuggestionStatus,
} from './tables.js';

/** Records a suggestion unless one was made from the same budgets of the buy (then undefined). */
export async function insertSuggestion(
  db: Db,
  row: NewSuggestion,
): Promise<SuggestionRow | undefined> {
  const [inserted] = await db.insert(suggestions).values(row).onConflictDoNothing().returning();
  return inserted;
}

export interface SuggestionFilter {
  campaignId?: string | undefined;
  mediaBuyId?: string | undefined;
  status?: SuggestionStatus | undefined;
}

/** A customer's suggestions, newest first. */
export async function pageSuggestions(
  db: Db,
  customerId: number,
  filter: SuggestionFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: SuggestionRow[]; total: number }> {
  const where: SQL[] = [eq(suggestions.customerId, customerId)];
  if (filter.campaignId) where.push(eq(suggestions.campaignId, filter.campaignId));
  if (filter.mediaBuyId) where.push(eq(suggestions.mediaBuyId, filter.mediaBuyId));
  if (filter.status) where.push(eq(suggestions.status, filter.status));
  const [rows, [totals]] = await Promise.all([
    db
      .select()
      .from(suggestions)
      .where(and(...where))
      .orderBy(desc(suggestions.createdAt), desc(suggestions.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ total: count() })
      .from(suggestions)
      .where(and(...where)),
  ]);
  return { rows, total: totals?.total ?? 0 };
}

/** The customer's suggestion; another customer's reads as missing. */
export async function findSuggestion(db: Db, customerId: number, id: string) {
  const [row] = await db
    .select()
    .from(suggestions)
    .where(columnsEqual(suggestions, { id, customerId }));
  return row;
}

export async function suggestionById(db: Db, id: string) {
  const [row] = await db.select().from(suggestions).where(eq(suggestions.id, id));
  return row;
}

/** The buy's suggestions still waiting (for the buyer or the apply job). */
export async function openSuggestionsOf(db: Db, mediaBuyId: string, open: SuggestionStatus[]) {
  return db
    .select()
    .from(suggestions)
    .where(and(eq(suggestions.mediaBuyId, mediaBuyId), inArray(suggestions.status, open)));
}

/**
 * Moves a suggestion from one of `from` to `to` (with its reason or error), only while no apply
 * run holds it unless `held` says the caller is that run. Undefined when it was not in `from`.
 */
export async function transition(
  db: Db,
  id: string,
  from: SuggestionStatus[],
  to: SuggestionStatus,
  why: { reason?: string; error?: string } = {},
  held = false,
): Promise<SuggestionRow | undefined> {
  const [row] = await db
    .update(suggestions)
    .set({
      status: to,
      statusReason: why.reason ?? null,
      statusError: why.error ?? null,
      applyingSince: null,
      statusUpdatedAt: new Date(),
    })
    .where(
      and(
        eq(suggestions.id, id),
        inArray(suggestions.status, from),
        ...(held ? [] : [isNull(suggestions.applyingSince)]),
      ),
    )
    .returning();
  return row;
}

/**
 * The apply job's lease: taken when the suggestion is queued for applying and no run holds it,
 * or the run holding it started more than `leaseMs` ago (it died). Undefined: not now.
 */
export async function claimForApply(
  db: Db,
  id: string,
  applicable: SuggestionStatus[],
  now: Date,
  leaseMs: number,
): Promise<SuggestionRow | undefined> {
  const [row] = await db
    .update(suggestions)
    .set({ applyingSince: now })
    .where(
      and(
        eq(suggestions.id, id),
        inArray(suggestions.status, applicable),
        or(
          isNull(suggestions.applyingSince),
          lt(suggestions.applyingSince, new Date(now.getTime() - leaseMs)),
        ),
      ),
    )
    .returning();
  return row;
}

/** Lets the lease go without a change of status (the run will be retried). */
export async function releaseClaim(db: Db, id: string): Promise<void> {
  await db.update(suggestions).set({ applyingSince: null }).where(eq(suggestions.id, id));
}

/** Suggestions queued for applying (a sweep hands them to the apply job again). */
export async function applicableIds(db: Db, applicable: SuggestionStatus[], limit: number) {
  const rows = await db
    .select({ id: suggestions.id })
    .from(suggestions)
    .where(inArray(suggestions.status, applicable))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Whether a suggestion for the buy was applied after `since` (the sweep's cool-down). */
export async function appliedSince(db: Db, mediaBuyId: string, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: suggestions.id })
    .from(suggestions)
    .where(
      and(
        eq(suggestions.mediaBuyId, mediaBuyId),
        eq(suggestions.status, 'APPLIED'),
        gt(suggestions.statusUpdatedAt, since),
      ),
    )
    .limit(1);
  return row !== undefined;
}
