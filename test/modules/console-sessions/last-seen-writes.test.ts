import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSessionsService } from '../../../src/modules/console-sessions/index.js';
import { consoleSessions } from '../../../src/modules/console-sessions/tables.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Every console request resolves its session, but last_seen_at is written at most once a minute
 * per session, so browsing is not a stream of row updates. The service runs on an injected clock
 * over the real database (the test run's PostgreSQL); the column is read back
 * from the table after each request.
 */
let h: Harness;
let seller: TestCustomer;

beforeAll(async () => {
  h = await createHarness();
  seller = await createCustomer(h, { role: 'SELLER', name: 'Last Seen Seller' });
});
afterAll(() => h.close());

describe('console session last_seen_at', () => {
  it('is written once a minute, not on every request, and again after the next minute', async () => {
    const t0 = Date.parse('2026-03-02T10:00:00.000Z');
    let clock = t0;
    const sessions = createConsoleSessionsService({
      db: h.database.db,
      now: () => new Date(clock),
    });
    const started = await sessions.start(
      { customerId: seller.id, keyId: seller.keyId },
      3_600_000,
      {},
    );

    /** Resolves the session at `t0 + offsetMs` and answers last_seen_at as stored afterwards. */
    async function requestAt(offsetMs: number): Promise<number> {
      clock = t0 + offsetMs;
      const record = await sessions.resolve(started.token);
      expect(record?.id).toBe(started.id);
      const [row] = await h.database.db
        .select({ lastSeenAt: consoleSessions.lastSeenAt })
        .from(consoleSessions)
        .where(eq(consoleSessions.id, started.id));
      return row!.lastSeenAt.getTime() - t0;
    }

    // Within the first minute: every request is seen, none is written.
    expect(await requestAt(1_000)).toBe(0);
    expect(await requestAt(30_000)).toBe(0);
    expect(await requestAt(59_999)).toBe(0);
    // A minute after the last write: written, with the request's time.
    expect(await requestAt(60_000)).toBe(60_000);
    // Then quiet again for a minute counted from that write, not from sign-in.
    expect(await requestAt(61_000)).toBe(60_000);
    expect(await requestAt(119_999)).toBe(60_000);
    expect(await requestAt(120_000)).toBe(120_000);
  });
});
