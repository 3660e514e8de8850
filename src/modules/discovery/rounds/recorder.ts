import type { Db } from '../../../platform/db/database.js';
import type { AgentAnswer } from './fan-out.js';
import { buyerDiscoveryAgents } from '../tables.js';
import { notesOf } from '../answer-notes.js';
import { discardRound, type AgentRow } from '../store.js';

/** One agent's answer as its row in a round. */
function rowOf(discoveryId: string, roundId: string, a: AgentAnswer): AgentRow {
  return {
    discoveryId,
    roundId,
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
    notes: notesOf(a),
    answeredAt: new Date(),
  };
}

/** Writes of one round in flight at once: a few pool connections, never the whole pool. */
const maxWritesInFlight = 4;

/**
 * Writes a round's agent rows while the fan-out is still waiting for its slowest agent, so
 * that once the last agent answers only its own row is left to write. Each answer is written
 * when it arrives, after `after` (the session's own row), up to a few statements at once;
 * answers arriving while those are busy go together in the next, so twenty agents answering
 * at once cost a few statements, not twenty, and one slow write does not hold up the rest.
 *
 * `recorded()` settles when every row added has been committed, or fails with the first write
 * that failed (a round that could not be written must not be answered as if it were).
 * `discard()` deletes what a failed round wrote, once every write of it has settled. (If that
 * delete fails too, the rows stay unread: readers join the session's current round, which a
 * failed round of a session asked again never becomes.)
 */
export function recordRound(db: Db, discoveryId: string, roundId: string, after: Promise<unknown>) {
  const rows: AgentRow[] = [];
  let waiting: AgentRow[] = [];
  let inFlight = 0;
  const writes: Promise<void>[] = [];
  let discarded = false;
  // Until recorded() is awaited a failed write has no reader yet: keep it from being reported
  // as an unhandled rejection (recorded() rethrows it).
  after.catch(() => undefined);

  function write() {
    const batch = waiting;
    waiting = [];
    inFlight++;
    const written = after
      .then(() => db.insert(buyerDiscoveryAgents).values(batch))
      .then(() => {
        inFlight--;
        if (waiting.length > 0) write();
      });
    written.catch(() => undefined);
    writes.push(written);
  }

  return {
    add(answer: AgentAnswer) {
      // A discarded round takes no more rows (agents still answering after a failure).
      if (discarded) return;
      const row = rowOf(discoveryId, roundId, answer);
      rows.push(row);
      waiting.push(row);
      if (inFlight < maxWritesInFlight) write();
    },
    /** Deletes the round's rows once its writes (and `after`) have settled; later rows are ignored. */
    async discard(): Promise<void> {
      discarded = true;
      // A write still running could commit after a delete issued now: wait for all of them.
      await Promise.allSettled([after]);
      await allOf(writes, (batch) => Promise.allSettled(batch));
      await discardRound(db, discoveryId, roundId);
    },
    /** The rows, once all are committed, in storefront order (remote agents last). */
    async recorded(): Promise<AgentRow[]> {
      await allOf(writes, (batch) => Promise.all(batch));
      return [...rows].sort(
        (x, y) =>
          (x.storefrontId ?? Infinity) - (y.storefrontId ?? Infinity) ||
          x.agentId.localeCompare(y.agentId),
      );
    },
  };
}

/**
 * Awaits `writes` with `wait` until no more are added. Every write is in `writes` before the
 * last one settles (a write that finds rows waiting starts the next before it resolves), so
 * awaiting until none is added suffices.
 */
async function allOf(
  writes: Promise<void>[],
  wait: (batch: Promise<void>[]) => Promise<unknown>,
): Promise<void> {
  let seen = 0;
  while (seen < writes.length) {
    const upTo = writes.length;
    await wait(writes.slice(seen, upTo));
    seen = upTo;
  }
}
