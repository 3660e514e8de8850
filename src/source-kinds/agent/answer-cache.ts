import { createHash } from 'node:crypto';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { OwnedAuth, ToolCallResult } from '../../upstream/index.js';

/** Whose answer it is and to what: everything a source's answer to a buyer may depend on. */
export interface SourceAnswerKey {
  customerId: number;
  source: SourceRow;
  credential: OwnedAuth;
  tool: string;
  /** The request exactly as the source is asked (the buyer's account included). */
  args: Record<string, unknown>;
}

export interface SourceAnswerCache {
  /**
   * The source's completed answer to this very request for this buyer, when one was stored
   * less than the TTL ago; otherwise `load`'s, kept when it is a completed answer.
   */
  answer<T>(
    key: SourceAnswerKey,
    load: (timeoutMs?: number) => Promise<ToolCallResult<T>>,
    /** This caller's budget: it never waits longer on another caller's load. */
    timeoutMs?: number,
  ): Promise<ToolCallResult<T>>;
}

export interface SourceAnswerCacheOptions {
  /** How long an answer is reused; 0 turns the cache off. */
  ttlMs: number;
  maxEntries?: number;
  /** Bound on the JSON held, all answers together (UTF-16 code units, about bytes). */
  maxBytes?: number;
  now?: () => number;
}

const defaultMaxEntries = 1_000;
const defaultMaxBytes = 32 * 1024 * 1024;

/**
 * A short-lived per-buyer cache of sources' answers (get_products, and the list_creative_formats
 * a 3.1 sync reads format limits from: creatives/lists.ts formatsNamed), off unless configured
 * (INTERCHANGE_SOURCE_ANSWER_TTL_MS). Reusing an answer delays the source's inventory changes
 * by up to the TTL, so it is the operator's choice.
 *
 * Correctness: the key names the buyer (customer), the source row (its id and updatedAt: any
 * edit of the source, its endpoint or its operator credential makes a new key), the credential
 * (owner and the credential itself, hashed: a rotated or different credential is another key)
 * and the request as forwarded, the buyer's account included. One buyer's answer is never
 * another's. Product rules, buyer instructions and pricing are applied to every answer on every
 * call, after this cache, so their changes show at once. Only completed answers are kept.
 * Answers are held as JSON and parsed per use, so no call sees objects another call changed.
 * Bounded in entries and bytes, oldest evicted first.
 *
 * Concurrent identical misses share one load: the first caller asks the source, the others
 * wait for that answer (each still gets its own copy), so a burst of the same buyer's request
 * costs the source one call. Budgets stay each caller's own: a caller joins a load only when
 * that load's deadline comes no later than its own (otherwise it asks the source itself), and
 * when the shared load timed out (the first caller's budget) a caller with time left asks
 * again with what is left of its own. Any other failure, or a thrown load, is seen by every
 * waiter and never kept; the next caller asks again. The in-flight loads are bounded by the
 * calls under way.
 */
export function createSourceAnswerCache(options: SourceAnswerCacheOptions): SourceAnswerCache {
  const { ttlMs } = options;
  const maxEntries = options.maxEntries ?? defaultMaxEntries;
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const now = options.now ?? Date.now;
  // Insertion order is age order: a re-stored key is deleted first.
  const entries = new Map<string, { json: string; status: string; expiresAt: number }>();
  // Loads under way, by digest; removed as soon as they settle.
  const loading = new Map<string, { loaded: Promise<Loaded>; deadline: number }>();
  let bytes = 0;

  function drop(digest: string) {
    const entry = entries.get(digest);
    if (!entry) return;
    entries.delete(digest);
    bytes -= entry.json.length;
  }

  function store(digest: string, json: string, status: string) {
    // One answer may take at most a quarter of the budget: a huge catalog is not worth
    // evicting every other buyer's answers for.
    if (json.length > maxBytes / 4) return;
    drop(digest);
    const at = now();
    for (const [oldest, entry] of entries) {
      if (entries.size < maxEntries && bytes + json.length <= maxBytes && entry.expiresAt > at) {
        break;
      }
      drop(oldest);
    }
    entries.set(digest, { json, status, expiresAt: at + ttlMs });
    bytes += json.length;
  }

  /** Asks the source as the leader of `digest`'s load, storing a completed answer. */
  function lead(
    digest: string,
    deadline: number,
    load: (timeoutMs?: number) => Promise<ToolCallResult<unknown>>,
    timeoutMs: number | undefined,
  ): Promise<Loaded> {
    const loaded = (async (): Promise<Loaded> => {
      const result = await load(timeoutMs);
      // Serialised before anyone sees it: waiters' copies are what the source answered.
      const json = result.ok ? JSON.stringify(result.data) : undefined;
      if (result.ok && result.status === 'completed' && json !== undefined) {
        store(digest, json, result.status);
      }
      return { result, json };
    })();
    const flight = { loaded, deadline };
    loading.set(digest, flight);
    const settled = () => {
      if (loading.get(digest) === flight) loading.delete(digest);
    };
    loaded.then(settled, settled);
    return loaded;
  }

  async function answer<T>(
    key: SourceAnswerKey,
    load: (timeoutMs?: number) => Promise<ToolCallResult<T>>,
    timeoutMs?: number,
  ): Promise<ToolCallResult<T>> {
    if (ttlMs <= 0) return load(timeoutMs);
    const digest = sourceAnswerDigest(key);
    const entry = entries.get(digest);
    if (entry && entry.expiresAt > now()) {
      return {
        ok: true,
        latencyMs: 0,
        data: JSON.parse(entry.json) as T,
        status: entry.status as 'completed',
      };
    }
    if (entry) drop(digest);
    const deadline = timeoutMs === undefined ? Infinity : now() + timeoutMs;
    const pending = loading.get(digest);
    // A load that may run past this caller's deadline is not waited for: it asks itself.
    if (!pending || pending.deadline > deadline) {
      return (await lead(digest, deadline, load, timeoutMs)).result as ToolCallResult<T>;
    }
    const shared = await pending.loaded;
    if (shared.result.ok || shared.result.error.code !== 'timeout') return copyOf<T>(shared);
    // The first caller's budget ran out, not necessarily this one's (a caller that named no
    // budget has the same default as the first): with time left, it asks again with that.
    const left = deadline - now();
    if (timeoutMs === undefined || left < 1) return copyOf<T>(shared);
    return answer(key, load, left);
  }

  return { answer };
}

/** A load's answer, and its data as JSON for the callers that waited for it. */
interface Loaded {
  result: ToolCallResult<unknown>;
  json: string | undefined;
}

/**
 * A waiter's own copy of a shared answer. A failure's error is cloned too: callers only read
 * it today, but no caller should be able to change what another one sees.
 */
function copyOf<T>({ result, json }: Loaded): ToolCallResult<T> {
  if (!result.ok) return structuredClone(result);
  if (json === undefined) return { ...result } as ToolCallResult<T>;
  return { ...result, data: JSON.parse(json) as T };
}

/**
 * The key's digest: the credential's secret goes into the hash only, never into memory as text.
 * The feed mirror (feed-mirror/) keys its wholesale product sets the same way.
 */
export function sourceAnswerDigest(key: SourceAnswerKey): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        key.customerId,
        key.source.id,
        key.source.storefrontId,
        key.source.updatedAt.getTime(),
        key.source.endpointUrl,
        key.source.protocol,
        key.credential.owner,
        canonical(key.credential.auth),
        key.tool,
        canonical(key.args),
      ]),
    )
    .digest('base64url');
}

/** `value` with object keys sorted, so equal requests written in another order share a key. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(value).sort()) {
    out[name] = canonical((value as Record<string, unknown>)[name]);
  }
  return out;
}
