import { and, desc, eq, inArray, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import { complianceRuns as runs, complianceSourceSettings as settings } from './tables.js';

export type RunRow = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type FinishedRun = Pick<
  RunRow,
  | 'status'
  | 'passed'
  | 'summary'
  | 'tracks'
  | 'failures'
  | 'observations'
  | 'error'
  | 'durationMs'
  | 'credential'
> &
  Partial<Pick<RunRow, 'storyboards'>>;

const unfinished = ['queued', 'running'] as const;

/**
 * Queues a run unless one of the source is already waiting: the partial unique index lets
 * exactly one waiting run per source through, so concurrent refreshes settle in the database.
 * Answers the waiting run and whether it is the one just queued. The waiting run can be claimed
 * by a worker between the refused insert and the read (it is then running, no longer waiting):
 * the insert is tried again, and now goes through.
 */
export async function queueRun(db: Db, input: NewRun): Promise<{ run: RunRow; queued: boolean }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [inserted] = await db.insert(runs).values(input).onConflictDoNothing().returning();
    if (inserted) return { run: inserted, queued: true };
    const [waiting] = await db
      .select()
      .from(runs)
      .where(columnsEqual(runs, { inventorySourceId: input.inventorySourceId, status: 'queued' }));
    if (waiting) return { run: waiting, queued: false };
  }
  throw new Error('a queued compliance run kept being claimed while another was queued');
}

/** Marks a run as running (again, when a retry picks up a run an instance left behind). */
export async function claimRun(db: Db, id: number, at: Date): Promise<RunRow | undefined> {
  const [row] = await db
    .update(runs)
    .set({ status: 'running', startedAt: at })
    .where(and(eq(runs.id, id), inArray(runs.status, [...unfinished])))
    .returning();
  return row;
}

export async function finishRun(
  db: Db,
  id: number,
  result: FinishedRun,
  at: Date,
): Promise<RunRow | undefined> {
  const [row] = await db
    .update(runs)
    .set({ ...result, checkedAt: at })
    .where(columnsEqual(runs, { id, status: 'running' }))
    .returning();
  return row;
}

export async function findRun(db: Db, id: number): Promise<RunRow | undefined> {
  const [row] = await db.select().from(runs).where(eq(runs.id, id));
  return row;
}

export async function runsByIds(db: Db, ids: number[]): Promise<RunRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(runs).where(inArray(runs.id, ids));
}

/** A storefront's runs, newest first; optionally one run by uid or one source's. */
export async function listRuns(
  db: Db,
  filter: {
    storefrontIds: number[];
    take: number;
    runUid?: string | undefined;
    inventorySourceId?: number | undefined;
  },
): Promise<RunRow[]> {
  if (filter.storefrontIds.length === 0) return [];
  const where = [inArray(runs.storefrontId, filter.storefrontIds)];
  if (filter.runUid !== undefined) where.push(eq(runs.runUid, filter.runUid));
  if (filter.inventorySourceId !== undefined) {
    where.push(eq(runs.inventorySourceId, filter.inventorySourceId));
  }
  return db
    .select()
    .from(runs)
    .where(and(...where))
    .orderBy(desc(runs.id))
    .limit(filter.take);
}

/** Per source of the storefront, its latest finished run (`distinct on`, newest id first). */
export function latestFinishedBySource(db: Db, storefrontId: number) {
  return latestBySource(db, storefrontId, notInArray(runs.status, [...unfinished]));
}

/** Per source of the storefront, its newest run of those `status` keeps. */
async function latestBySource(
  db: Db,
  storefrontId: number,
  status: SQL,
): Promise<Map<number, RunRow>> {
  const rows = await db
    .selectDistinctOn([runs.inventorySourceId])
    .from(runs)
    .where(and(eq(runs.storefrontId, storefrontId), status))
    .orderBy(runs.inventorySourceId, desc(runs.id));
  return new Map(rows.map((row) => [row.inventorySourceId, row]));
}

/**
 * The sources of the storefront whose latest finished run did not pass: the strict policy's gate,
 * read on every buyer request, so only the two columns it judges (not the runs' reports).
 */
export async function failingSources(db: Db, storefrontId: number): Promise<Set<number>> {
  const rows = await db
    .selectDistinctOn([runs.inventorySourceId], {
      inventorySourceId: runs.inventorySourceId,
      passed: runs.passed,
    })
    .from(runs)
    .where(and(eq(runs.storefrontId, storefrontId), notInArray(runs.status, [...unfinished])))
    .orderBy(runs.inventorySourceId, desc(runs.id));
  return new Set(rows.filter((r) => r.passed !== true).map((r) => r.inventorySourceId));
}

/** Per source of the storefront, its run queued or under way, if any. */
export function unfinishedBySource(db: Db, storefrontId: number) {
  return latestBySource(db, storefrontId, inArray(runs.status, [...unfinished]));
}

/** When each of these sources was last run (any outcome), for the schedule. */
export async function lastRunTimes(db: Db, sourceIds: number[]): Promise<Map<number, Date>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await db
    .select({ id: runs.inventorySourceId, at: sql<string | Date>`max(${runs.createdAt})` })
    .from(runs)
    .where(inArray(runs.inventorySourceId, sourceIds))
    .groupBy(runs.inventorySourceId);
  return new Map(rows.map((r) => [r.id, new Date(r.at)]));
}

/** Runs still queued that were queued before `before` (their job may never have been sent). */
export async function staleQueued(db: Db, before: Date): Promise<number[]> {
  const rows = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.status, 'queued'), lt(runs.createdAt, before)))
    .orderBy(runs.id)
    .limit(500);
  return rows.map((r) => r.id);
}

export type SourceSettingsRow = typeof settings.$inferSelect;

/** A source's compliance settings; undefined when its seller never set any. */
export async function settingsOf(
  db: Db,
  inventorySourceId: number,
): Promise<SourceSettingsRow | undefined> {
  const [row] = await db
    .select()
    .from(settings)
    .where(eq(settings.inventorySourceId, inventorySourceId));
  return row;
}

/** Sets a source's compliance settings (one row per source); answers them as saved. */
export async function putSettings(
  db: Db,
  row: Omit<SourceSettingsRow, 'updatedAt'>,
  now: Date,
): Promise<SourceSettingsRow> {
  const [saved] = await db
    .insert(settings)
    .values({ ...row, updatedAt: now })
    .onConflictDoUpdate({
      target: settings.inventorySourceId,
      set: {
        allowBookingStoryboards: row.allowBookingStoryboards,
        updatedBy: row.updatedBy,
        updatedAt: now,
      },
    })
    .returning();
  return saved!;
}
