import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitPlacing,
  callLease,
  holdForChange,
  whileHeld,
} from '../../../src/modules/provider-adapters/buys/lease.js';
import { ProviderError } from '../../../src/modules/provider-adapters/errors.js';
import * as store from '../../../src/modules/provider-adapters/store.js';
import { createHarness, type Harness } from '../../harness.js';

/*
 * The lease that lets one call at a time place an adapter buy, on the buys table itself: what a
 * second call under the key is answered while the first works, once it booked, once it let go,
 * and what the first may still save once its lease was taken over. meta-buy-lease.test.ts runs
 * it through the storefront over MCP against the fake Meta.
 */

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const now = () => new Date();

/** A buy recorded under a fresh key by a call holding it, and that call's lease. */
async function claimed(budgetMs = 10_000, owner = { inventorySourceId: 1, buyerCustomerId: 2 }) {
  const lease = callLease(now, budgetMs);
  const values = {
    id: `mb_${randomUUID()}`,
    ...owner,
    idempotencyKey: randomUUID(),
    provider: 'meta',
    accountId: 'act_1001',
    status: 'pending',
    currency: 'USD',
    startTime: now(),
    endTime: new Date(Date.now() + 86_400_000),
    packages: [],
    refs: { packages: {} },
  };
  const first = await store.claimBuy(h.database.db, values, lease.next(), now());
  expect(first?.held).toBe(true);
  return { values, lease, buy: first!.buy };
}

/** The same key claimed again by another call: answered, not held. */
async function claimedAgain(
  values: Awaited<ReturnType<typeof claimed>>['values'],
  budgetMs = 10_000,
) {
  const lease = callLease(now, budgetMs);
  const again = await store.claimBuy(
    h.database.db,
    { ...values, id: `mb_${randomUUID()}` },
    lease.next(),
    now(),
  );
  return { lease, again: again! };
}

describe('one call at a time places a buy', () => {
  it('a second call under the key while the first works is not given the buy, and answers it once booked', async () => {
    const first = await claimed();
    const { lease, again } = await claimedAgain(first.values);
    expect(again).toMatchObject({ held: false, buy: { id: first.buy.id, status: 'pending' } });

    const [placed, waited] = await Promise.all([
      whileHeld(h.database.db, first.buy.id, first.lease, async (save) => {
        await sleep(400);
        return save({ status: 'active', refs: { campaignId: 'c1', packages: {} } });
      }),
      awaitPlacing(h.database.db, again.buy, lease, now, 10_000),
    ]);
    expect(placed.status).toBe('active');
    expect(waited).toMatchObject({ held: false, buy: { id: first.buy.id, status: 'active' } });
    expect(waited.buy.refs.campaignId).toBe('c1');
    // Let go once booked.
    expect((await store.findBuy(h.database.db, first.buy.id))?.leaseToken).toBeNull();
  });

  it('a buy whose call failed is let go, and the waiting call takes it over to resume it', async () => {
    const first = await claimed();
    const { lease, again } = await claimedAgain(first.values);
    const [failed, waited] = await Promise.allSettled([
      whileHeld(h.database.db, first.buy.id, first.lease, async () => {
        await sleep(300);
        throw new ProviderError('SERVICE_UNAVAILABLE', 'Meta could not be reached', {
          retryable: true,
        });
      }),
      awaitPlacing(h.database.db, again.buy, lease, now, 10_000),
    ]);
    expect(failed.status).toBe('rejected');
    expect(waited).toMatchObject({
      status: 'fulfilled',
      value: { held: true, buy: { status: 'pending', leaseToken: lease.token } },
    });
  });

  it('still being placed after the wait: SERVICE_UNAVAILABLE, retryable, retry_after, the buy left to its holder', async () => {
    const first = await claimed();
    const { lease, again } = await claimedAgain(first.values, 1_000);
    const started = performance.now();
    const error = await awaitPlacing(h.database.db, again.buy, lease, now, 1_000).catch(
      (e: unknown) => e,
    );
    // Half the call's budget, and a look more.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      options: { retryAfterSeconds: 5 },
    });
    expect((error as Error).message).toMatch(/being placed/);
    expect((await store.findBuy(h.database.db, first.buy.id))?.leaseToken).toBe(first.lease.token);
  });

  it('a lease run out (its call died) is taken over by the next claim of the key', async () => {
    const first = await claimed();
    await store.updateHeldBuy(h.database.db, first.buy.id, first.lease.token, {
      leaseUntil: new Date(Date.now() - 1),
    });
    const { lease, again } = await claimedAgain(first.values);
    expect(again).toMatchObject({ held: true, buy: { id: first.buy.id, leaseToken: lease.token } });
  });

  it('the holder renews its lease while it works, and saves nothing once another call took the buy over', async () => {
    // A 0.2 s budget: a lease of 1.3 s, renewed every 0.43 s.
    const first = await claimed(200);
    const db = h.database.db;
    const error = await whileHeld(db, first.buy.id, first.lease, async (save) => {
      await sleep(1_600);
      const renewed = await store.findBuy(db, first.buy.id);
      expect(renewed!.leaseUntil!.getTime()).toBeGreaterThan(first.buy.leaseUntil!.getTime());
      expect(renewed!.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
      // Another call took it over (this process had stalled past its lease).
      await store.updateHeldBuy(db, first.buy.id, first.lease.token, { leaseToken: 'other' });
      return save({ refs: { campaignId: 'late', packages: {} } });
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    const row = await store.findBuy(db, first.buy.id);
    expect(row).toMatchObject({ leaseToken: 'other', refs: { packages: {} } });
    expect(row!.refs.campaignId).toBeUndefined();
  });
});

describe('one change at a time changes a booked buy', () => {
  /** A buy its call booked and let go of. */
  async function booked() {
    const first = await claimed();
    await whileHeld(h.database.db, first.buy.id, first.lease, (save) =>
      save({ status: 'active', refs: { campaignId: 'c1', packages: {} } }),
    );
    return first.buy.id;
  }

  it('a second change waits for the first to let go, then reads the buy as the first left it', async () => {
    const id = await booked();
    const db = h.database.db;
    const firstLease = callLease(now, 10_000);
    const held = await holdForChange(db, id, firstLease, now, 10_000);
    expect(held.leaseToken).toBe(firstLease.token);
    const secondLease = callLease(now, 10_000);
    const [, second] = await Promise.all([
      whileHeld(db, id, firstLease, async (save) => {
        await sleep(400);
        return save({ status: 'paused' });
      }),
      holdForChange(db, id, secondLease, now, 10_000),
    ]);
    expect(second).toMatchObject({ status: 'paused', leaseToken: secondLease.token });
  });

  it('still held after the wait: SERVICE_UNAVAILABLE, retryable, retry_after, the buy left to its holder', async () => {
    const id = await booked();
    const db = h.database.db;
    const holder = callLease(now, 10_000);
    await holdForChange(db, id, holder, now, 10_000);
    const started = performance.now();
    const error = await holdForChange(db, id, callLease(now, 1_000), now, 1_000).catch(
      (e: unknown) => e,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      options: { retryAfterSeconds: 5 },
    });
    expect((error as Error).message).toMatch(/Another change/);
    expect((await store.findBuy(db, id))?.leaseToken).toBe(holder.token);
  });

  it('a buy still being placed is not held for a change', async () => {
    const first = await claimed();
    await store.updateHeldBuy(h.database.db, first.buy.id, first.lease.token, {
      leaseToken: null,
      leaseUntil: null,
    });
    const error = await holdForChange(
      h.database.db,
      first.buy.id,
      callLease(now, 200),
      now,
      200,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((await store.findBuy(h.database.db, first.buy.id))?.leaseToken).toBeNull();
  });
});

describe("a buyer's buys on an adapter source", () => {
  // The second wall behind the storefront's own (shared-provider-isolation.test.ts): an adapter
  // source lists, changes and reports only the calling buyer's buys on that very source, so even
  // a call that named another storefront's buy to this source would find nothing.
  it("are its own on that source only: not another buyer's there, nor its own on another source", async () => {
    const [source, otherSource, buyer, otherBuyer] = [900_001, 900_002, 900_101, 900_102];
    const mine = await claimed(10_000, { inventorySourceId: source, buyerCustomerId: buyer });
    await claimed(10_000, { inventorySourceId: source, buyerCustomerId: otherBuyer });
    await claimed(10_000, { inventorySourceId: otherSource, buyerCustomerId: buyer });
    const listed = await store.buysOfBuyer(h.database.db, source, buyer);
    expect(listed.map((buy) => buy.id)).toEqual([mine.buy.id]);
  });
});
