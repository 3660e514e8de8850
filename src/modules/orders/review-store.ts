import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db/database.js';
import { type ApprovalStatus, storefrontMediaBuys } from './tables.js';

/** A decision an operator takes on a queue item (review-queue.ts). */
export interface QueueDecision {
  status: 'approved' | 'rejected';
  reviewedBy: string;
  reviewerNotes: string | null;
}

/**
 * One of the operator's review queues as stored: its table and the column its state is in.
 * Media-buy approvals are storefront buys with an approval status (manual mode,
 * `approvalsQueue`); creative reviews are synced creatives with a review status
 * (modules/creative-reviews). Every queue's table carries the same decision columns (reviewed
 * by, at, notes) and storefront_id, id, created_at, updated_at under the same names.
 */
export interface StoredQueue<T extends PgTable> {
  table: T;
  state: keyof T['$inferSelect'] & string;
  /** Which rows are still the queue's items (a purged creative is gone); none: every row. */
  live?: (table: T) => SQL | undefined;
}
export type QueueRow<T extends PgTable> = T['$inferSelect'];

export const approvalsQueue = { table: storefrontMediaBuys, state: 'approvalStatus' } as const;
type Approvals = typeof approvalsQueue;

/** The queue's items (its live rows) in a status on a storefront, newest first. */
export function listQueue<T extends PgTable>(
  db: Db,
  queue: StoredQueue<T>,
  storefrontId: number,
  status: ApprovalStatus,
): Promise<QueueRow<T>[]> {
  // One query for every queue: the columns it reads are named alike in each queue's table, so
  // the query is typed on the approvals' table and answers the queue's own rows.
  // cast: drizzle cannot type a query over a generic table's columns (StoredQueue's contract).
  const { table, state } = queue as unknown as Approvals;
  return db
    .select()
    .from(table)
    .where(
      and(
        eq(table.storefrontId, storefrontId),
        eq(table[state], status),
        queue.live?.(queue.table),
      ),
    )
    .orderBy(desc(table.createdAt), desc(table.id)) as Promise<QueueRow<T>[]>;
}

/**
 * Takes the decision only while the item is pending and live (`where` names the item): racing
 * deciders cannot both win; undefined when it was no longer pending, or is gone.
 */
export async function decidePending<T extends PgTable>(
  db: Db,
  queue: StoredQueue<T>,
  where: (table: T) => SQL | undefined,
  decision: QueueDecision,
): Promise<QueueRow<T> | undefined> {
  // Typed on the approvals' table, as listQueue is: the columns it writes are named alike.
  // cast: drizzle cannot type an update of a generic table's columns (StoredQueue's contract).
  const { table, state } = queue as unknown as Approvals;
  const [row] = await db
    .update(table)
    .set({
      [state]: decision.status,
      reviewedBy: decision.reviewedBy,
      reviewerNotes: decision.reviewerNotes,
      reviewedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(where(queue.table), eq(table[state], 'pending'), queue.live?.(queue.table)))
    .returning();
  return row as QueueRow<T> | undefined;
}
