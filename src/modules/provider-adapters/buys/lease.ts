import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../../platform/db/database.js';
import { callLeaseMs } from '../../seller-writes/index.js';
import { ProviderError } from '../errors.js';
import * as store from '../store.js';
import type { BuyLease, BuyRow } from '../store.js';

/*
 * One call at a time places an adapter buy (docs/adapters.md, "A buy being placed"), settled in
 * PostgreSQL the way seller writes settle theirs (modules/seller-writes): the call that records
 * a pending buy, or takes over one nobody holds, holds it by a lease in its row (a token and an
 * expiry, taken in one conditional update) for its call's budget ×1.5 + 1 s, renewed while it
 * works. Another call under the same idempotency key (a buyer retrying on its own timeout, a
 * second instance, the storefront's recovery) sends the provider nothing: it waits a moment for
 * the holder, answers the buy if it was booked meanwhile, takes it over if the holder let go,
 * and otherwise asks the buyer to retry. A holder that dies leaves its lease to run out; the
 * next call then takes the buy over and resumes it from its saved refs (shared/buy-objects.ts: an
 * object marked pending is looked up before anything is sent).
 */

/** How often a waiting call looks at the buy again. */
const pollMs = 200;
/** The longest a call waits for another to finish placing a buy (half its budget if less). */
const maxWaitMs = 5_000;
/** What a buyer is told to wait before asking again about a buy being placed. */
const retryAfterSeconds = 5;

/** One call's lease on a buy: a token of its own, renewed for `ms` from now each time. */
export interface CallLease {
  token: string;
  ms: number;
  next(): BuyLease;
}

export function callLease(now: () => Date, budgetMs: number): CallLease {
  const token = randomBytes(9).toString('hex');
  const ms = callLeaseMs(budgetMs);
  return { token, ms, next: () => ({ token, until: new Date(now().getTime() + ms) }) };
}

const beingPlaced = () =>
  new ProviderError(
    'SERVICE_UNAVAILABLE',
    'This media buy is still being placed by an earlier request with the same idempotency_key; retry with that key shortly for its outcome',
    { retryable: true, retryAfterSeconds },
  );

/**
 * A buy another call is placing, once that call booked it (answered as it is, not held) or let
 * it go (taken under `lease`, held). Throws SERVICE_UNAVAILABLE (retryable, retry_after) when
 * it is still being placed after a short wait, bounded by half the call's budget.
 */
export async function awaitPlacing(
  db: Db,
  buy: BuyRow,
  lease: CallLease,
  now: () => Date,
  budgetMs: number,
): Promise<{ buy: BuyRow; held: boolean }> {
  const deadline = performance.now() + Math.min(maxWaitMs, budgetMs / 2);
  for (;;) {
    await sleep(pollMs);
    const current = await store.findBuy(db, buy.id);
    if (!current) throw beingPlaced();
    if (current.status !== 'pending') return { buy: current, held: false };
    const taken = await store.takeBuy(db, buy.id, lease.next(), now());
    if (taken) return { buy: taken, held: true };
    if (performance.now() >= deadline) throw beingPlaced();
  }
}

/**
 * A booked buy held under `lease` for one change: taken as soon as whoever holds it (another
 * change, or a call still placing it) lets go, and answered as it is then. Throws
 * SERVICE_UNAVAILABLE (retryable, retry_after) when it is still held after a short wait,
 * bounded by half the call's budget.
 */
export async function holdForChange(
  db: Db,
  id: string,
  lease: CallLease,
  now: () => Date,
  budgetMs: number,
): Promise<BuyRow> {
  const deadline = performance.now() + Math.min(maxWaitMs, budgetMs / 2);
  for (;;) {
    const held = await store.holdBookedBuy(db, id, lease.next(), now());
    if (held) return held;
    if (performance.now() >= deadline) {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        'Another change of this media buy is under way; retry shortly',
        { retryable: true, retryAfterSeconds },
      );
    }
    await sleep(pollMs);
  }
}

/** What `work` saves through: the buy's row, changed only while this call holds it. */
export type SaveHeld = (
  values: Partial<Pick<BuyRow, 'refs' | 'status' | 'packages' | 'startTime' | 'endTime'>>,
) => Promise<BuyRow>;

/**
 * Runs `work` on a buy held by `lease`, renewing the lease while it runs (every third of it)
 * and letting go when it ends, booked or not, so a retry takes it over at once. `save` changes
 * the row only while the lease holds; should another call have taken the buy over (this one
 * could not renew for a whole lease), it throws and this call stops before sending more.
 */
export async function whileHeld<T>(
  db: Db,
  id: string,
  lease: CallLease,
  work: (save: SaveHeld) => Promise<T>,
): Promise<T> {
  let lost = false;
  const taken = () => {
    lost = true;
    return new ProviderError(
      'SERVICE_UNAVAILABLE',
      'Another request took this media buy over; retry with the same idempotency_key for its outcome',
      { retryable: true, retryAfterSeconds },
    );
  };
  const renew = async () => {
    if (lost) return;
    const row = await store.updateHeldBuy(db, id, lease.token, { leaseUntil: lease.next().until });
    if (!row) lost = true;
  };
  // A renewal that fails (the database away for a moment) is tried again on the next tick.
  const timer = setInterval(() => void renew().catch(() => undefined), lease.ms / 3);
  timer.unref();
  try {
    return await work(async (values) => {
      if (lost) throw taken();
      const row = await store.updateHeldBuy(db, id, lease.token, {
        ...values,
        leaseUntil: lease.next().until,
      });
      if (!row) throw taken();
      return row;
    });
  } finally {
    clearInterval(timer);
    // Let go; should this fail, the lease runs out instead.
    await store
      .updateHeldBuy(db, id, lease.token, { leaseToken: null, leaseUntil: null })
      .catch(() => undefined);
  }
}
