import type { Db } from '../../platform/db/database.js';
import { throttledSweep } from '../../platform/db/throttled-sweep.js';
import * as store from './store.js';

/** How long a key answers with its first answer; after that it may be used afresh. */
export const keyLifetimeMs = 24 * 3_600_000;
/** A request still unanswered after this is taken to have died with its instance. */
export const abandonAfterMs = 60_000;
/** Expired keys are swept at most this often per process. */
const sweepEveryMs = 10 * 60_000;
/** Answers larger than this are not kept: a retry of such a write runs again. */
export const maxStoredAnswerBytes = 1024 * 1024;

export interface IdempotentRequest {
  owner: string;
  key: string;
  method: string;
  path: string;
  fingerprint: string;
}

export type Begin =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; contentType: string | null; body: string }
  | { kind: 'mismatch'; method: string; path: string }
  | { kind: 'in_progress' };

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;

/**
 * Idempotency keys for REST writes: the first request with a key runs and its answer is kept;
 * a retry with the same key and the same request gets that answer again; the same key with
 * another request is refused; a retry while the first is still running is told to wait. All
 * of it settled in the database (a primary key per owner and key, conditional updates), so it
 * holds across instances.
 */
export function createIdempotencyService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const sweep = throttledSweep(sweepEveryMs, (at) =>
    store.deleteExpired(db, new Date(at.getTime() - keyLifetimeMs)),
  );

  return {
    async begin(request: IdempotentRequest): Promise<Begin> {
      const at = now();
      void sweep(at);
      if (await store.insertClaim(db, request, at)) return { kind: 'proceed' };
      const existing = await store.findKey(db, request.owner, request.key);
      const reclaimable = {
        expiredBefore: new Date(at.getTime() - keyLifetimeMs),
        abandonedBefore: new Date(at.getTime() - abandonAfterMs),
      };
      if (!existing) {
        // Released between our insert and read: claim it again.
        return (await store.insertClaim(db, request, at))
          ? { kind: 'proceed' }
          : { kind: 'in_progress' };
      }
      if (existing.createdAt < reclaimable.expiredBefore)
        return (await store.reclaim(db, request, at, reclaimable))
          ? { kind: 'proceed' }
          : { kind: 'in_progress' };
      if (
        existing.fingerprint !== request.fingerprint ||
        existing.method !== request.method ||
        existing.path !== request.path
      )
        return { kind: 'mismatch', method: existing.method, path: existing.path };
      if (existing.state === 'completed' && existing.responseStatus !== null)
        return {
          kind: 'replay',
          status: existing.responseStatus,
          contentType: existing.responseContentType,
          body: existing.responseBody ?? '',
        };
      if (existing.createdAt < reclaimable.abandonedBefore)
        return (await store.reclaim(db, request, at, reclaimable))
          ? { kind: 'proceed' }
          : { kind: 'in_progress' };
      return { kind: 'in_progress' };
    },

    /** Keeps the answer for replays, or frees the key when the answer is not one to keep. */
    async finish(
      request: Pick<IdempotentRequest, 'owner' | 'key'>,
      answer: { status: number; contentType: string | null; body: string | undefined },
    ): Promise<void> {
      const keep =
        answer.status < 500 &&
        answer.status !== 429 &&
        answer.body !== undefined &&
        Buffer.byteLength(answer.body) <= maxStoredAnswerBytes;
      if (keep)
        await store.complete(
          db,
          request.owner,
          request.key,
          { status: answer.status, contentType: answer.contentType, body: answer.body as string },
          now(),
        );
      else await store.release(db, request.owner, request.key);
    },
  };
}
