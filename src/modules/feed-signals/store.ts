import { randomBytes } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { feedMirrorSubscriptions as subs } from './tables.js';

/** A subscription as the mirror reads it before answering a brief. */
export interface FeedSignalState {
  id: string;
  status: 'pending' | 'active' | 'failed';
  signalSeq: number;
  validUntil: Date;
}

/** A subscription as the receiver needs it: whose keys sign its webhooks. */
export interface FeedSignalSubscription {
  id: string;
  sourceUrl: string;
  status: FeedSignalState['status'];
}

const statusOf = (value: string): FeedSignalState['status'] =>
  value === 'active' || value === 'failed' ? value : 'pending';

/**
 * The mirror's feed webhook subscriptions at its sources and the signals received on them, in
 * PostgreSQL so every instance sees a signal the moment one instance records it.
 */
const keysPerRead = 500;

export function createFeedSignals(deps: { db: Db }) {
  const { db } = deps;
  // Reads asked in one turn of the event loop, by key: a brief over N mirrored sources asks
  // the N states from its parallel source calls, and they share one statement (of at most
  // `keysPerRead` keys: a burst of briefs makes a few statements, none past PostgreSQL's bounds).
  let asked = new Map<string, Array<(state: Promise<FeedSignalState | undefined>) => void>>();

  async function readStates(keys: string[]): Promise<Map<string, FeedSignalState>> {
    const rows = await db
      .select({
        keyDigest: subs.keyDigest,
        id: subs.id,
        status: subs.status,
        signalSeq: subs.signalSeq,
        validUntil: subs.validUntil,
      })
      .from(subs)
      .where(inArray(subs.keyDigest, keys));
    return new Map(
      rows.map(({ keyDigest, ...row }) => [keyDigest, { ...row, status: statusOf(row.status) }]),
    );
  }

  function flush() {
    if (asked.size === 0) return;
    const batch = asked;
    asked = new Map();
    const read = readStates([...batch.keys()]);
    // Every waiter settles with the read: its key's state, or the read's error.
    for (const [key, waiters] of batch) {
      for (const settle of waiters) settle(read.then((states) => states.get(key)));
    }
  }

  return {
    /**
     * The subscription's state, read from the database on this call (never held: a signal any
     * instance recorded counts at once); reads asked in the same turn share one statement.
     */
    stateOf(keyDigest: string): Promise<FeedSignalState | undefined> {
      return new Promise((resolve) => {
        if (asked.size === 0) setImmediate(flush);
        const waiters = asked.get(keyDigest);
        if (waiters) waiters.push(resolve);
        else asked.set(keyDigest, [resolve]);
        if (asked.size >= keysPerRead) flush();
      });
    },

    /**
     * Claims the right to (re)subscribe: a new key, or one whose confirmation lapsed or whose
     * retry time came, becomes `pending` until `pendingUntil` and its id is answered; a key
     * another call (any instance) is subscribing, or that is still confirmed, answers undefined.
     */
    async claim(input: {
      keyDigest: string;
      sourceId: number;
      sourceUrl: string;
      pendingUntil: Date;
    }): Promise<string | undefined> {
      const id = `fms_${randomBytes(18).toString('base64url')}`;
      const [row] = await db
        .insert(subs)
        .values({ id, ...input, status: 'pending', validUntil: input.pendingUntil })
        .onConflictDoUpdate({
          target: subs.keyDigest,
          set: {
            status: 'pending',
            validUntil: input.pendingUntil,
            sourceUrl: input.sourceUrl,
            updatedAt: sql`now()`,
          },
          setWhere: lt(subs.validUntil, sql`now()`),
        })
        .returning({ id: subs.id });
      return row?.id;
    },

    /** The source echoed the subscription active (until `validUntil`), or refused it. */
    async settle(id: string, status: 'active' | 'failed', validUntil: Date): Promise<void> {
      await db
        .update(subs)
        .set({ status, validUntil, updatedAt: sql`now()` })
        .where(eq(subs.id, id));
    },

    async find(id: string): Promise<FeedSignalSubscription | undefined> {
      const [row] = await db
        .select({ id: subs.id, sourceUrl: subs.sourceUrl, status: subs.status })
        .from(subs)
        .where(eq(subs.id, id))
        .limit(1);
      return row && { ...row, status: statusOf(row.status) };
    },

    /**
     * A verified signal: the source's feed moved (to `version` when it named one). One naming
     * the version the last signal named tells nothing new (that signal already made the next
     * brief ask): it moves nothing, so a burst of one change's events makes one probe.
     */
    async record(id: string, version: string | undefined): Promise<void> {
      await db
        .update(subs)
        .set({
          signalSeq: sql`${subs.signalSeq} + 1`,
          ...(version !== undefined && { signalledVersion: version }),
          updatedAt: sql`now()`,
        })
        .where(
          version === undefined
            ? eq(subs.id, id)
            : and(eq(subs.id, id), sql`${subs.signalledVersion} is distinct from ${version}`),
        );
    },
  };
}

export type FeedSignals = ReturnType<typeof createFeedSignals>;
