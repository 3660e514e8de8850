import { lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSessionsService } from '../../../src/modules/console-sessions/index.js';
import {
  expiredSweepEveryMs,
  expiredSweepLimit,
} from '../../../src/modules/console-sessions/service.js';
import { consoleSessions } from '../../../src/modules/console-sessions/tables.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Expired console sessions are deleted by a sweep piggy-backed on console requests and sign-ins
 * (no timer): at most once per interval per process, a bounded number at a time, so they go
 * even while nobody signs in. On an injected clock over the real database.
 */
let h: Harness;
let seller: TestCustomer;

beforeAll(async () => {
  h = await createHarness();
  seller = await createCustomer(h, { role: 'SELLER', name: 'Sweep Seller' });
});
afterAll(() => h.close());

const idsOf = async () =>
  (await h.database.db.select({ id: consoleSessions.id }).from(consoleSessions))
    .map((r) => r.id)
    .sort();
const expiredAt = async (at: number) =>
  (
    await h.database.db
      .select({ id: consoleSessions.id })
      .from(consoleSessions)
      .where(lte(consoleSessions.expiresAt, new Date(at)))
  ).length;

describe('expired console sessions', () => {
  it('are swept on console requests, at most once an interval, not only at sign-in', async () => {
    const t0 = Date.parse('2026-03-02T10:00:00.000Z');
    let clock = t0;
    const sessions = createConsoleSessionsService({
      db: h.database.db,
      now: () => new Date(clock),
    });
    const owner = { customerId: seller.id, keyId: seller.keyId };
    const brief = await sessions.start(owner, 60_000, {});
    const other = await sessions.start(owner, 60_000, {});
    const kept = await sessions.start(owner, 3_600_000, {});
    expect(await idsOf()).toEqual([brief.id, other.id, kept.id].sort());

    // Expired, but the last sweep (at the first sign-in) was under an interval ago.
    clock = t0 + 120_000;
    expect(await sessions.resolve(brief.token)).toBeUndefined();
    expect(await sessions.resolve(kept.token)).toMatchObject({ id: kept.id });
    expect(await idsOf()).toHaveLength(3);

    // An interval later, an ordinary console request sweeps them; the live one stays.
    clock = t0 + expiredSweepEveryMs;
    expect(await sessions.resolve(kept.token)).toMatchObject({ id: kept.id });
    expect(await idsOf()).toEqual([kept.id]);
  });

  it('deletes a bounded number per sweep, and the rest at the next', async () => {
    const t0 = Date.parse('2026-04-01T00:00:00.000Z');
    let clock = t0;
    const sessions = createConsoleSessionsService({
      db: h.database.db,
      now: () => new Date(clock),
    });
    const expiry = new Date(t0 - 1_000);
    await h.database.db.insert(consoleSessions).values(
      Array.from({ length: expiredSweepLimit + 5 }, (_, i) => ({
        id: `cs_bulk_${i}`,
        tokenHash: `bulk-${i}`,
        customerId: seller.id,
        keyId: seller.keyId,
        expiresAt: expiry,
      })),
    );
    // Any session the other test left has expired by now too.
    const before = await expiredAt(t0);
    expect(before).toBeGreaterThanOrEqual(expiredSweepLimit + 5);
    await sessions.resolve('no such token');
    expect(await expiredAt(t0)).toBe(before - expiredSweepLimit);
    clock = t0 + expiredSweepEveryMs;
    await sessions.resolve('no such token');
    expect(await expiredAt(t0)).toBe(0);
  });
});
