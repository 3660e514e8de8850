import type { Db } from '../../../platform/db/database.js';
import type { CallErrorRecord } from '../schemas.js';
import type * as rawStore from '../store.js';
import type { SourceRow } from '../store.js';

/** The shortest interval between two recorded call errors of one source. */
const callErrorEveryMs = 10_000;
/** Bounds the per-process throttle memory; clearing it only allows one early write per source. */
const maxTrackedSources = 10_000;

/**
 * Keeps the last failed storefront-agent call to a source for its operator (readiness
 * sourceDiagnostics[].health.lastCallError). At most one write per source every
 * `callErrorEveryMs` in this process: a source failing on every call costs no write per call.
 */
export function createCallErrorLog(db: Db, store: typeof rawStore, now: () => Date) {
  const callErrorWrittenAt = new Map<number, number>();
  return async function noteCallError(
    row: SourceRow,
    error: Omit<CallErrorRecord, 'at'>,
  ): Promise<void> {
    const at = now();
    const last = callErrorWrittenAt.get(row.id);
    if (last !== undefined && at.getTime() - last < callErrorEveryMs) return;
    callErrorWrittenAt.set(row.id, at.getTime());
    if (callErrorWrittenAt.size > maxTrackedSources) callErrorWrittenAt.clear();
    await store.recordCallError(db, row.id, { ...error, at: at.toISOString() });
  };
}
