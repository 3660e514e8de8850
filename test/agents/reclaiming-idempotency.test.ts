import {
  createIdempotencyStore,
  type IdempotencyStore,
  memoryBackend,
  pgBackend,
} from '@adcp/sdk/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { reclaimingIdempotencyStore } from '../../src/agents/hosting/reclaiming-idempotency.js';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openTestDatabase } from '../harness.js';

const request = { principal: 'storefront-1/customer-2', key: 'buy-key-0001' };
const payload = { packages: [{ product_id: 'p1', budget: 500 }], idempotency_key: 'buy-key-0001' };
const changed = { ...payload, packages: [{ product_id: 'p1', budget: 900 }] };
const minutes = (n: number) => n * 60_000;

/** A request that claimed its key and died: checked, never saved nor released. */
async function crashAfterClaim(store: IdempotencyStore) {
  expect((await store.check({ ...request, payload })).kind).toBe('miss');
}

describe('idempotency claims of crashed requests (memory backend, driven clock)', () => {
  afterEach(() => vi.useRealTimers());
  const clockAt = (ms: number) => vi.setSystemTime(new Date(Date.UTC(2026, 0, 1) + ms));

  it('the SDK 6.11.0 store answers every retry expired once the claim lapsed (the bug)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(0);
    const store = createIdempotencyStore({ backend: memoryBackend({ sweepIntervalMs: 0 }) });
    await crashAfterClaim(store);
    clockAt(minutes(1));
    expect((await store.check({ ...request, payload })).kind).toBe('in-flight');
    clockAt(minutes(3) + 1000);
    expect((await store.check({ ...request, payload })).kind).toBe('expired');
  });

  it('reclaims a lapsed claim: the retry runs, then replays, and a changed payload conflicts', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(0);
    const store = reclaimingIdempotencyStore({
      backend: memoryBackend({ sweepIntervalMs: 0 }),
      ttlSeconds: 86_400,
      claimSeconds: 120,
    });
    await crashAfterClaim(store);
    // While the claim holds, the same request waits and another payload is a conflict.
    clockAt(minutes(1));
    expect((await store.check({ ...request, payload })).kind).toBe('in-flight');
    expect((await store.check({ ...request, payload: changed })).kind).toBe('conflict');
    // After it lapsed (three minutes: past the SDK's claim and its skew), a changed payload is
    // still a conflict, and the same request runs again.
    clockAt(minutes(3) + 1000);
    expect((await store.check({ ...request, payload: changed })).kind).toBe('conflict');
    const retry = await store.check({ ...request, payload });
    expect(retry.kind).toBe('miss');
    await store.save({
      ...request,
      payloadHash: (retry as { payloadHash: string }).payloadHash,
      response: { media_buy_id: 'mb_1' },
    });
    // Completed answers replay as before, and conflict as before.
    clockAt(minutes(10));
    expect(await store.check({ ...request, payload })).toEqual({
      kind: 'replay',
      response: { media_buy_id: 'mb_1' },
    });
    expect((await store.check({ ...request, payload: changed })).kind).toBe('conflict');
    // Past the replay window (and the skew), a completed answer is expired, as AdCP says.
    clockAt(minutes(3) + 86_400_000 + minutes(2));
    expect((await store.check({ ...request, payload })).kind).toBe('expired');
  });

  it('holds a claim for the configured time, and frees a bare claim the SDK left behind', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clockAt(0);
    const backend = memoryBackend({ sweepIntervalMs: 0 });
    // A claim written by the SDK's own store before this wrapper was deployed.
    await crashAfterClaim(createIdempotencyStore({ backend }));
    const store = reclaimingIdempotencyStore({ backend, ttlSeconds: 86_400, claimSeconds: 5 });
    clockAt(minutes(5));
    expect((await store.check({ ...request, payload })).kind).toBe('miss');
    // Its own claims lapse after claimSeconds.
    clockAt(minutes(5) + 3000);
    expect((await store.check({ ...request, payload })).kind).toBe('in-flight');
    clockAt(minutes(5) + 6500);
    expect((await store.check({ ...request, payload })).kind).toBe('miss');
  });
});

describe('idempotency claims of crashed requests (the PostgreSQL backend the agents use)', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    await migrate(database.db);
  });
  afterAll(async () => {
    await database.close();
    await drop();
  });

  it('a retry after the claim lapsed runs, and a second one replays it', async () => {
    const store = reclaimingIdempotencyStore({
      backend: pgBackend(database.queryable),
      ttlSeconds: 86_400,
      claimSeconds: 1,
    });
    await crashAfterClaim(store);
    expect((await store.check({ ...request, payload })).kind).toBe('in-flight');
    // Past the claim by the database's clock too (whole seconds).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await store.check({ ...request, payload: changed })).kind).toBe('conflict');
    const retry = await store.check({ ...request, payload });
    expect(retry.kind).toBe('miss');
    await store.save({
      ...request,
      payloadHash: (retry as { payloadHash: string }).payloadHash,
      response: { media_buy_id: 'mb_2' },
    });
    expect(await store.check({ ...request, payload })).toMatchObject({
      kind: 'replay',
      response: { media_buy_id: 'mb_2' },
    });
  });
});
