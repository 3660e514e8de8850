import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { type ApprovalStatus, storefrontCreatives, storefrontMediaBuys } from './tables.js';

/** A decision an operator takes on a queue item (review-queue.ts). */
export interface QueueDecision {
  status: 'approved' | 'rejected';
  reviewedBy: string;
  reviewerNotes: string | null;
}

/**
 * The operator's two review queues as stored: media-buy approvals are storefront buys with an
 * approval status (manual mode), creative reviews are synced creatives with a review status.
 * Both carry the same decision columns (reviewed by, at, notes) under the same names; `state`
 * names the column each queue's state is in.
 */
const queues = {
  approvals: { table: storefrontMediaBuys, state: 'approvalStatus' },
  reviews: { table: storefrontCreatives, state: 'status' },
} as const;
type Queues = typeof queues;
export type QueueName = keyof Queues;
export type QueueRow<Q extends QueueName> = Queues[Q]['table']['$inferSelect'];

/** The queue's items in a status on a storefront, newest first. */
export function listQueue<Q extends QueueName>(
  db: Db,
  queue: Q,
  storefrontId: number,
  status: ApprovalStatus,
): Promise<QueueRow<Q>[]> {
  // One query for both queues: the columns it reads are named alike in both tables, so the
  // query is typed on one of them and answers the queue's own rows.
  const { table, state } = queues[queue] as Queues['approvals'];
  return db
    .select()
    .from(table)
    .where(and(eq(table.storefrontId, storefrontId), eq(table[state], status)))
    .orderBy(desc(table.createdAt), desc(table.id)) as Promise<QueueRow<Q>[]>;
}

/**
 * Takes the decision only while the item is pending (`where` names the item): racing deciders
 * cannot both win; undefined when it was no longer pending.
 */
export async function decidePending<Q extends QueueName>(
  db: Db,
  queue: Q,
  where: (table: Queues[Q]['table']) => SQL | undefined,
  decision: QueueDecision,
): Promise<QueueRow<Q> | undefined> {
  const { table, state } = queues[queue] as Queues['approvals'];
  const [row] = await db
    .update(table)
    .set({
      [state]: decision.status,
      reviewedBy: decision.reviewedBy,
      reviewerNotes: decision.reviewerNotes,
      reviewedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(where(queues[queue].table), eq(table[state], 'pending')))
    .returning();
  return row as QueueRow<Q> | undefined;
}
