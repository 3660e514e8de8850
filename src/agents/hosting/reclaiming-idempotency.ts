import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createIdempotencyStore,
  hashPayload,
  type IdempotencyBackend,
  type IdempotencyCacheEntry,
  type IdempotencyStore,
} from '@adcp/sdk/server';
import { isRecord } from '../../platform/is-record.js';

/**
 * The payload hash @adcp/sdk 6.11.0 writes for an in-flight claim (store.js IN_FLIGHT_HASH). A
 * claim written here carries the request's own hash after it (`inFlight:hash`), so a retry
 * with another payload is still a conflict once its first attempt died.
 */
const inFlight = '__adcp_in_flight__';
const claimPrefix = `${inFlight}:`;

const isClaim = (hash: string) => hash === inFlight || hash.startsWith(claimPrefix);
const hashOfClaim = (hash: string) =>
  hash.startsWith(claimPrefix) ? hash.slice(claimPrefix.length) : undefined;

/** An AdCP error envelope as the SDK caches one briefly (saveTransientError). */
const isErrorEnvelope = (response: unknown) => isRecord(response) && response['isError'] === true;

export interface ReclaimingStoreOptions {
  backend: IdempotencyBackend;
  /** The replay window of completed answers (AdCP: 1 h to 7 days). */
  ttlSeconds: number;
  /** How long a request's claim on its key holds before a retry may take it over. */
  claimSeconds: number;
  /**
   * Told each key as the store checks it, in the request's own async context: a handler the SDK
   * hands only part of its request (sync_audiences gets the audiences) learns the buyer's key.
   */
  noteKey?: (key: string) => void;
  /**
   * Told what the check found (`in-flight`: another request holds the key), in the request's own
   * async context: the AdCP 3.1 layer answers IDEMPOTENCY_IN_FLIGHT where the SDK says
   * SERVICE_UNAVAILABLE.
   */
  noteOutcome?: (kind: Awaited<ReturnType<IdempotencyStore['check']>>['kind']) => void;
}

/**
 * @adcp/sdk's idempotency store, with the claims of crashed requests reclaimable.
 *
 * The SDK (6.11.0 to 13.0.0) claims a key for 120 s while a request runs, then tests a record's
 * expiry before it tests for the claim marker: a process killed while holding a claim leaves a
 * key that answers SERVICE_UNAVAILABLE for two minutes and IDEMPOTENCY_EXPIRED for good after
 * that, however fresh the key (docs/upstream-reports.md). Here the backend hides a lapsed claim
 * from the store's check, so the retry claims the key and runs again (our handlers resume their
 * recorded intent rather than repeat it: modules/seller-writes). Completed answers still replay
 * for `ttlSeconds` and are IDEMPOTENCY_EXPIRED after it; a retry whose payload differs from the
 * claimed request's is IDEMPOTENCY_CONFLICT, live claim or lapsed. A lapsed claim written before
 * this wrapper (the bare marker, no hash) is reclaimed too, which frees keys the bug wedged.
 */
export function reclaimingIdempotencyStore(options: ReclaimingStoreOptions): IdempotencyStore {
  const { backend: inner, claimSeconds } = options;
  // Date.now, as the SDK's store and backends read it (tests drive it with fake timers).
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  /** The canonical hash of the request being checked (set around the store's check). */
  const asked = new AsyncLocalStorage<string>();

  const backend: IdempotencyBackend = {
    async get(scopedKey) {
      const entry = await inner.get(scopedKey);
      if (!entry) return entry;
      const now = nowSeconds();
      if (!isClaim(entry.payloadHash)) {
        // A briefly cached error past its few seconds is no answer to replay, nor a reason to
        // call the key expired: the retry runs.
        if (entry.expiresAt < now && isErrorEnvelope(entry.response)) return null;
        return entry;
      }
      const claimed = hashOfClaim(entry.payloadHash);
      const request = asked.getStore();
      if (claimed !== undefined && request !== undefined && claimed !== request) {
        // Another payload under a claimed key: a conflict, whether its holder lives or not.
        return conflicting(claimed, now);
      }
      if (entry.expiresAt >= now) return { ...entry, payloadHash: inFlight };
      // The holder died (or overran its claim): the store claims the key afresh.
      return null;
    },
    async putIfAbsent(scopedKey, entry) {
      if (entry.payloadHash !== inFlight) return inner.putIfAbsent(scopedKey, entry);
      const request = asked.getStore();
      return inner.putIfAbsent(scopedKey, {
        ...entry,
        payloadHash: request === undefined ? inFlight : `${claimPrefix}${request}`,
        expiresAt: nowSeconds() + claimSeconds,
      });
    },
    put: (scopedKey, entry) => inner.put(scopedKey, entry),
    delete: (scopedKey) => inner.delete(scopedKey),
    ...(inner.probe && { probe: () => inner.probe!() }),
    ...(inner.close && { close: () => inner.close!() }),
    ...(inner.clearAll && { clearAll: () => inner.clearAll!() }),
  };

  const store = createIdempotencyStore({ backend, ttlSeconds: options.ttlSeconds });
  return {
    ...store,
    check: async (params) => {
      options.noteKey?.(params.key);
      const found = await asked.run(hashPayload(params.payload), () => store.check(params));
      options.noteOutcome?.(found.kind);
      return found;
    },
  };
}

/** An entry the SDK's check reads as the same key used with another payload. */
function conflicting(payloadHash: string, now: number): IdempotencyCacheEntry {
  return { payloadHash, response: null, expiresAt: now + 60 };
}
