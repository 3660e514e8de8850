import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabaseRateStore } from '../../../src/modules/rate-limits/index.js';
import type { Database, PgQueryable } from '../../../src/platform/db/database.js';
import type { RateDecision } from '../../../src/platform/guard/rate-limit.js';
import { openTestDatabase } from '../../harness.js';

/*
 * The fleet's shared request budget under concurrency: many requests of one key at once, on one
 * instance and on two, count exactly as many one-after-the-other requests would (each its own
 * place in the window, exactly `limit` allowed), while concurrent hits of one bucket share
 * upserts instead of queueing one by one on the bucket's row.
 */
let database: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
});
afterAll(async () => {
  await database.close();
  await drop();
});
beforeEach(async () => {
  await database.queryable.query('delete from rate_windows');
});

/** The pool, counting the upserts an instance sends. */
function counted(): { db: PgQueryable; upserts: () => number } {
  let upserts = 0;
  const db = {
    query: (text: string, values?: unknown[]) => {
      if (text.includes('insert into rate_windows')) upserts++;
      return database.queryable.query(text, values);
    },
  } as unknown as PgQueryable;
  return { db, upserts: () => upserts };
}

const allowedOf = (decisions: RateDecision[]) => decisions.filter((d) => d.allowed).length;
/** The places each hit was given in the window, from `remaining` (limit - count, while positive). */
const placesOf = (decisions: RateDecision[], limit: number) =>
  decisions
    .filter((d) => d.allowed)
    .map((d) => limit - d.remaining)
    .sort((a, b) => a - b);

describe('the shared rate store under concurrent hits of one key', () => {
  it('allows exactly the limit and gives every allowed hit its own place', async () => {
    const { db, upserts } = counted();
    const store = createDatabaseRateStore(db);
    const decisions = await Promise.all(Array.from({ length: 50 }, () => store.hit('key:1', 30)));
    expect(allowedOf(decisions)).toBe(30);
    expect(placesOf(decisions, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(decisions.filter((d) => !d.allowed).every((d) => d.remaining === 0)).toBe(true);
    for (const d of decisions) {
      expect(d.limit).toBe(30);
      expect(d.resetIn).toBeGreaterThanOrEqual(1);
      // The window's start is rounded to the millisecond, so a fresh window may read 61 s.
      expect(d.resetIn).toBeLessThanOrEqual(61);
    }
    // The row holds every hit, as 50 sequential upserts would have left it.
    const { rows } = await database.queryable.query(
      `select count from rate_windows where bucket = 'key:1'`,
    );
    expect(Number((rows[0] as { count: number }).count)).toBe(50);
    // Hits that arrived while an upsert was in flight shared the next one.
    expect(upserts()).toBeLessThan(50);
    expect(upserts()).toBeGreaterThanOrEqual(1);
  });

  it('counts one budget across two instances hitting at once', async () => {
    const a = counted();
    const b = counted();
    const stores = [createDatabaseRateStore(a.db), createDatabaseRateStore(b.db)];
    const decisions = await Promise.all(
      Array.from({ length: 80 }, (_, i) => stores[i % 2]!.hit('key:2', 25)),
    );
    expect(allowedOf(decisions)).toBe(25);
    expect(placesOf(decisions, 25)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(a.upserts() + b.upserts()).toBeLessThan(80);
  });

  it('keeps buckets apart and counts later hits after the batch', async () => {
    const store = createDatabaseRateStore(counted().db);
    const [x, y] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => store.hit('key:x', 10))),
      Promise.all(Array.from({ length: 3 }, () => store.hit('key:y', 10))),
    ]);
    expect(placesOf(x, 10)).toEqual([1, 2, 3, 4, 5]);
    expect(placesOf(y, 10)).toEqual([1, 2, 3]);
    const next = await store.hit('key:x', 10);
    expect(next).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('fails every hit of a batch when the database fails it, and recovers', async () => {
    let failing = true;
    const db = {
      query: (text: string, values?: unknown[]) =>
        failing && text.includes('insert into rate_windows')
          ? Promise.reject(new Error('connection lost'))
          : database.queryable.query(text, values),
    } as unknown as PgQueryable;
    const store = createDatabaseRateStore(db);
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, () => store.hit('key:3', 10)),
    );
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    failing = false;
    expect(await store.hit('key:3', 10)).toMatchObject({ allowed: true, remaining: 9 });
  });
});

describe('leased places: a busy key far from its limit asks the database rarely', () => {
  it('asks once per tenth of what is left, and still gives every hit its own place', async () => {
    const { db, upserts } = counted();
    const store = createDatabaseRateStore(db);
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 300; i++) decisions.push(await store.hit('key:lease', 1000));
    expect(allowedOf(decisions)).toBe(300);
    expect(placesOf(decisions, 1000)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // Leases of 100, 90, 81, 72, …: 300 places in a handful of statements, not 300.
    expect(upserts()).toBeLessThanOrEqual(5);
    expect(upserts()).toBeGreaterThanOrEqual(3);
  });

  it('allows exactly the limit across two instances taking turns, the refusals all last', async () => {
    const a = counted();
    const b = counted();
    const stores = [createDatabaseRateStore(a.db), createDatabaseRateStore(b.db)];
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 260; i++) decisions.push(await stores[i % 2]!.hit('key:turns', 200));
    expect(allowedOf(decisions)).toBe(200);
    expect(decisions.slice(0, 200).every((d) => d.allowed)).toBe(true);
    expect(placesOf(decisions, 200)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(a.upserts() + b.upserts()).toBeLessThan(200);
  });

  it('never allows more than the limit when one instance stops being asked', async () => {
    const stores = [createDatabaseRateStore(counted().db), createDatabaseRateStore(counted().db)];
    // The first instance leases a tenth of the budget and is then left alone.
    expect((await stores[0]!.hit('key:idle', 100)).allowed).toBe(true);
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 150; i++) decisions.push(await stores[1]!.hit('key:idle', 100));
    // What the idle instance holds (9 places) goes unused; nothing past the limit is allowed.
    expect(allowedOf(decisions)).toBe(90);
    expect(Math.max(...decisions.filter((d) => d.allowed).map((d) => 100 - d.remaining))).toBe(100);
  });

  it('lets a lease end with its window and starts counting the next one', async () => {
    let t = 0;
    const { db, upserts } = counted();
    const store = createDatabaseRateStore(db, 1, () => t);
    expect(await store.hit('key:window', 1000)).toMatchObject({ allowed: true, remaining: 999 });
    expect(await store.hit('key:window', 1000)).toMatchObject({ allowed: true, remaining: 998 });
    expect(upserts()).toBe(1);
    // The window ends (on the database's clock too: it is a second long here).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    t += 1100;
    expect(await store.hit('key:window', 1000)).toMatchObject({ allowed: true, remaining: 999 });
    expect(upserts()).toBe(2);
  });
});
