import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedSignals, type FeedSignals } from '../../../src/modules/feed-signals/index.js';
import type { Database } from '../../../src/platform/db/database.js';
import { openTestDatabase } from '../../harness.js';

/*
 * Issue 49 item 6: a brief over N mirrored sources reads the N subscriptions' states before
 * answering from the mirrors. The reads asked together share one statement, and nothing is
 * held between reads: a signal recorded after one read is seen by the next.
 */
let database: Database;
let drop: () => Promise<void>;
let signals: FeedSignals;
let statements: string[] = [];
beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  signals = createFeedSignals({ db: database.db });
  const pool = database.queryable as unknown as { query: (...args: unknown[]) => unknown };
  const query = pool.query.bind(pool);
  pool.query = (...args: unknown[]) => {
    const config = args[0];
    statements.push(
      typeof config === 'string' ? config : String((config as { text: string }).text),
    );
    return query(...args);
  };
}, 120_000);
afterAll(async () => {
  await database?.close();
  await drop?.();
});

/** A subscription confirmed at the source, as the mirror's sync_accounts leaves one. */
async function confirmed(): Promise<{ id: string; keyDigest: string }> {
  const keyDigest = randomBytes(16).toString('hex');
  const id = await signals.claim({
    keyDigest,
    sourceId: 1,
    sourceUrl: 'https://source.example/mcp',
    pendingUntil: new Date(Date.now() + 60_000),
  });
  await signals.settle(id!, 'active', new Date(Date.now() + 3_600_000));
  return { id: id!, keyDigest };
}

const reads = () => statements.filter((s) => s.includes('from "feed_mirror_subscriptions"'));

describe('feed signal state reads', () => {
  it('answers every state asked together from one statement, each its own', async () => {
    const subs = [await confirmed(), await confirmed(), await confirmed()];
    await signals.record(subs[1]!.id, 'v2');
    statements = [];
    const [a, b, c, unknown, again] = await Promise.all([
      ...subs.map((s) => signals.stateOf(s.keyDigest)),
      signals.stateOf('no-such-key'),
      signals.stateOf(subs[0]!.keyDigest),
    ]);
    expect(reads()).toHaveLength(1);
    expect([a?.id, b?.id, c?.id]).toEqual(subs.map((s) => s.id));
    expect([a?.status, b?.status, c?.status]).toEqual(['active', 'active', 'active']);
    expect([a?.signalSeq, b?.signalSeq, c?.signalSeq]).toEqual([0, 1, 0]);
    expect(unknown).toBeUndefined();
    expect(again).toEqual(a);
  });

  it('holds nothing: a signal recorded after a read is seen by the next read', async () => {
    const sub = await confirmed();
    expect((await signals.stateOf(sub.keyDigest))?.signalSeq).toBe(0);
    await signals.record(sub.id, 'v2');
    statements = [];
    expect((await signals.stateOf(sub.keyDigest))?.signalSeq).toBe(1);
    expect(reads()).toHaveLength(1);
  });

  it('splits a burst of reads into statements of a bounded size', async () => {
    const sub = await confirmed();
    statements = [];
    const keys = Array.from({ length: 1_200 }, () => randomBytes(16).toString('hex'));
    const states = await Promise.all([...keys, sub.keyDigest].map((k) => signals.stateOf(k)));
    expect(reads()).toHaveLength(3);
    expect(states.slice(0, -1).every((state) => state === undefined)).toBe(true);
    expect(states.at(-1)?.id).toBe(sub.id);
  });

  it('reads asked in later turns are statements of their own', async () => {
    const [one, two] = [await confirmed(), await confirmed()];
    statements = [];
    await signals.stateOf(one.keyDigest);
    await signals.stateOf(two.keyDigest);
    expect(reads()).toHaveLength(2);
  });
});
