import type { Db } from '../../../platform/db/database.js';
import { inventoryKinds } from '../adapters/port.js';
import { completedInventoryRuns, type SyncCursor } from './runs-store.js';

/*
 * Whether a new sync run is full or incremental, and from when. An incremental run lists only
 * what the ad server changed since the high-water mark of the last completed run: the start of
 * that run, less an allowance for the two clocks disagreeing, so an object changed while that
 * run paged past it is read again. A run that failed or stopped partial never moves the mark.
 * A run is full on the first sync, when asked, when the adapter cannot list by modification
 * time, and when the last full run is older than `fullEveryHours`.
 */

/** Minutes the mark stays behind a run's start (clock skew between us and the ad server). */
export const markSkewMinutes = 10;
export const defaultFullEveryHours = 24;

export interface PlanInput {
  db: Db;
  inventorySourceId: number;
  now: Date;
  /** Asked for a full run (`POST …/refresh?full=true`). */
  full: boolean;
  /** The adapter lists by modification time. */
  incrementalCapable: boolean;
  fullEveryHours: number;
}

const lastCompleted = async (db: Db, inventorySourceId: number) => {
  const rows = await completedInventoryRuns(db, inventorySourceId, 50);
  return {
    last: rows[0],
    lastFull: rows.find((r) => (r.cursor?.mode ?? 'full') === 'full'),
  };
};

/** The first cursor of a new run: its mode, `since` for an incremental one, and its own mark. */
export async function planRun(input: PlanInput): Promise<SyncCursor> {
  const mark = new Date(input.now.getTime() - markSkewMinutes * 60_000).toISOString();
  const start = { kind: inventoryKinds[0], after: null, pages: 0, mark, counts: {} };
  if (input.full || !input.incrementalCapable) return { ...start, mode: 'full' };
  const { last, lastFull } = await lastCompleted(input.db, input.inventorySourceId);
  const since = last?.cursor?.mark;
  const fullDue =
    !lastFull ||
    input.now.getTime() - lastFull.startedAt.getTime() > input.fullEveryHours * 3_600_000;
  if (!since || fullDue) return { ...start, mode: 'full' };
  return { ...start, mode: 'incremental', since };
}
