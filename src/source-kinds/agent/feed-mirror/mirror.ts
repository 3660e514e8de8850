import { type SourceRow, speaksAdcp31 } from '../../../modules/inventory-sources/index.js';
import { isRecord } from '../../../platform/is-record.js';
import type { ToolCallFailure, ToolCallResult } from '../../../upstream/index.js';
import { sourceAnswerDigest } from '../answer-cache.js';
import { deepFreeze, heldAnswer, preparedProducts } from './local-answer.js';
import type { MirrorSignals, SendSyncAccounts } from './signals.js';
import {
  createMirrorStore,
  defaultMirrorBounds,
  type MirrorBounds,
  type FeedMirrorKey,
  type MirrorEntry,
} from './store.js';

export type { FeedMirrorKey } from './store.js';

/** Sends get_products to the source as asked (account and link chain already on it). */
export type SendProducts = (
  args: Record<string, unknown>,
  timeoutMs: number,
) => Promise<ToolCallResult<unknown>>;

/** What the mirror answered a brief with. */
export interface MirroredAnswer {
  /** The source's answer to the brief, as if asked it: products ranked locally, or its failure. */
  result: ToolCallResult<unknown>;
  /**
   * Set when the live probe failed (timeout, unreachable, a broken answer) and the set it last
   * confirmed was served instead: how old that confirmation is, and the failure.
   */
  stale?: { ageSeconds: number; failure: ToolCallFailure };
  /**
   * The set's `wholesale_feed_version` and `cache_scope` when the answer is of a set the source
   * confirmed current (not when stale): what a storefront's own version follows.
   */
  feed?: { version: string; scope: string };
}

export interface FeedMirror {
  /**
   * The source's answer to `asked` (a brief or a wholesale listing) from its mirrored wholesale
   * set, asking the source only `if_wholesale_feed_version`; undefined when this source or
   * request is not mirrored (the caller asks as before).
   */
  answer(
    key: FeedMirrorKey,
    asked: Record<string, unknown>,
    send: SendProducts,
    timeoutMs: number,
    /** Given when the source is asked under the storefront's own credential: it may subscribe. */
    sendSync?: SendSyncAccounts,
  ): Promise<MirroredAnswer | undefined>;
}

export interface FeedMirrorOptions {
  bounds?: Partial<MirrorBounds>;
  /** How long a source found not to publish feed versions is asked as before; default 10 min. */
  notPublishingMs?: number;
  /** Feed webhook subscriptions at the sources (signals.ts); none: every brief probes. */
  signals?: MirrorSignals;
  /**
   * How long a probe or a set's fetch may run past the buyer's budget that started it, so a
   * source slower than the budget is still mirrored for the next brief; default 30 s.
   */
  fillTimeoutMs?: number;
  now?: () => number;
}

/** Live-fetch failures the spec lets a cached answer stand in for (STALE_RESPONSE). */
const unreachable = new Set(['timeout', 'unreachable', 'protocol_error']);

/**
 * The mirror of feed-publishing sources (issue 49 item 6): a linked storefront, or an AGENT whose
 * probe reported an AdCP 3.1 release. A brief over such a source asks it for its wholesale set
 * (AdCP 3.1 `buying_mode: "wholesale"`), keeps the set with its `wholesale_feed_version`, and on
 * the next brief asks only `if_wholesale_feed_version`: `unchanged` is answered from the set with
 * the one brief matcher (sources/brief), anything else replaces it. So every answer reflects the
 * source's version as the source gave it on that very call; held per instance, in memory.
 *
 * Keyed as the answer cache keys (answer-cache.ts sourceAnswerDigest): the buyer (customer), the
 * source row, the credential and the wholesale request as sent, the buyer's account and link
 * chain included. An account-scoped set is therefore its account's alone, and no set is shared
 * between buyers, public ones included (a public answer of ours still names the caller's sandbox).
 *
 * A probe refused (credentials, a revoked link, the source's own error) is the answer: a set is
 * never served against the source's word. A probe that could not reach the source serves the last
 * confirmed set, marked `stale` (the storefront tells a 3.1 buyer with STALE_RESPONSE).
 *
 * With `signals`, a source asked under the storefront's own credential is also subscribed to
 * (its feed webhooks, signals.ts): while that subscription is confirmed and no signal arrived
 * since the set was confirmed (read from the database, so a signal any instance received
 * counts), a brief is answered from the set without asking the source at all, for at most the
 * safety net's age; then, or after a signal, the next brief probes as above.
 */
export function createFeedMirror(options: FeedMirrorOptions = {}): FeedMirror {
  const store = createMirrorStore({ ...defaultMirrorBounds, ...options.bounds });
  const now = options.now ?? Date.now;
  const notPublishingMs = options.notPublishingMs ?? 600_000;
  const fillMs = options.fillTimeoutMs ?? 30_000;
  // Sources (by row version) whose wholesale answer carried no version, until when.
  const plain = new Map<string, number>();

  function isPlain(source: SourceRow): boolean {
    const until = plain.get(rowKey(source));
    return until !== undefined && until > now();
  }

  function markPlain(source: SourceRow) {
    if (plain.size > 10_000) plain.clear();
    plain.set(rowKey(source), now() + notPublishingMs);
  }

  /**
   * What one probe or fetch of a set settled to, shared by every brief that waits on it:
   * the set to serve, the source's own answer, not a feed, or the source unreachable.
   */
  type Settled =
    | { kind: 'set'; entry: MirrorEntry; latencyMs: number }
    | { kind: 'answer'; result: ToolCallResult<unknown> }
    | { kind: 'plain' };
  // Probes and fetches under way, by set and the version asked with (one per source at a time).
  const flights = new Map<string, Promise<Settled>>();

  async function answer(
    key: FeedMirrorKey,
    asked: Record<string, unknown>,
    send: SendProducts,
    timeoutMs: number,
    sendSync?: SendSyncAccounts,
  ): Promise<MirroredAnswer | undefined> {
    if (!publishesFeeds(key.source) || !mirrorable(asked) || isPlain(key.source)) return undefined;
    const wholesale = wholesaleOf(asked);
    const digest = sourceAnswerDigest({ ...key, tool: 'get_products', args: wholesale });
    const held = store.use(digest);
    const { signals } = options;
    // Read before the probe: a signal that lands while it is under way makes the next brief ask.
    const watched = signals && sendSync ? await signals.stateOf(key, wholesale) : undefined;
    if (held && watched && signals?.quiet(watched.state, held, now())) {
      return { result: served(held, asked), feed: feedOf(held) };
    }
    const flightKey = `${digest}\n${held?.version ?? ''}`;
    let flight = flights.get(flightKey);
    if (!flight) {
      const watch = () => {
        if (watched && sendSync)
          signals?.ensure(watched.digest, watched.state, key, wholesale, sendSync);
      };
      flight = fetchSet(digest, held, wholesale, send, Math.max(timeoutMs, fillMs), watched, watch)
        .catch((error: unknown): Settled => ({ kind: 'answer', result: thrown(error) }))
        .finally(() => flights.delete(flightKey));
      flights.set(flightKey, flight);
    }
    const settled = await withinBudget(flight, timeoutMs);
    if (settled.kind === 'plain') {
      markPlain(key.source);
      return undefined;
    }
    if (settled.kind === 'set') {
      const { entry, latencyMs } = settled;
      return { result: served(entry, asked, latencyMs), feed: feedOf(entry) };
    }
    const { result } = settled;
    if (!result.ok && held && unreachable.has(result.error.code)) {
      const ageSeconds = Math.max(0, Math.floor((now() - held.confirmedAt) / 1000));
      return { result: served(held, asked), stale: { ageSeconds, failure: result } };
    }
    return { result };
  }

  /**
   * Asks the source for the set (or only whether `held` is current) and keeps what it answers.
   * Runs to the end whoever still waits: a buyer whose budget ran out gets a timeout, and the
   * set is held for the next brief (without this, a source slower than the budget was fetched
   * whole and dropped on every brief, and never subscribed to).
   */
  async function fetchSet(
    digest: string,
    held: MirrorEntry | undefined,
    wholesale: Record<string, unknown>,
    send: SendProducts,
    timeoutMs: number,
    watched: { state?: { signalSeq: number } | undefined } | undefined,
    watch: () => void,
  ): Promise<Settled> {
    const askedAt = now();
    const result = await send(
      held ? { ...wholesale, if_wholesale_feed_version: held.version } : wholesale,
      timeoutMs,
    );
    if (!result.ok || result.status !== 'completed' || !isRecord(result.data)) {
      return { kind: 'answer', result };
    }
    const data = result.data;
    if (held && data['unchanged'] === true) {
      held.confirmedAt = Math.max(held.confirmedAt, askedAt);
      held.signalSeq = watched?.state?.signalSeq;
      watch();
      return { kind: 'set', entry: held, latencyMs: 0 };
    }
    if (!Array.isArray(data['products'])) {
      // `unchanged` for a version we do not hold, or no products: the set is unknown now.
      store.drop(digest);
      return { kind: 'answer', result };
    }
    const version = data['wholesale_feed_version'];
    const paged = isRecord(data['pagination']) && data['pagination']['has_more'] === true;
    if (typeof version !== 'string' || version === '' || paged) {
      // Not a feed we can hold whole: asked as before from now on (this once, the plain ask).
      store.drop(digest);
      return { kind: 'plain' };
    }
    const { items, bytes } = preparedProducts(data['products']);
    const errorsJson = JSON.stringify(Array.isArray(data['errors']) ? data['errors'] : []);
    const entry: MirrorEntry = {
      version,
      scope: typeof data['cache_scope'] === 'string' ? data['cache_scope'] : 'account',
      items,
      errors: deepFreeze(JSON.parse(errorsJson) as unknown[]),
      answers: new Map(),
      bytes: bytes + errorsJson.length,
      askedAt,
      confirmedAt: askedAt,
      signalSeq: watched?.state?.signalSeq,
    };
    if (store.fits(items.length, entry.bytes)) {
      store.keep(digest, entry);
      watch();
    } else store.drop(digest);
    return { kind: 'set', entry, latencyMs: result.latencyMs };
  }

  return { answer };
}

/** What `flight` settles to within `timeoutMs`, else a timeout (the flight goes on). */
async function withinBudget<T extends { kind: string }>(
  flight: Promise<T>,
  timeoutMs: number,
): Promise<T | { kind: 'answer'; result: ToolCallFailure }> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<{ kind: 'answer'; result: ToolCallFailure }>((resolve) => {
    timer = setTimeout(() => {
      const message = `no answer within ${timeoutMs} ms`;
      resolve({ kind: 'answer', result: failure('timeout', message, timeoutMs) });
    }, timeoutMs);
  });
  try {
    return await Promise.race([flight, budget]);
  } finally {
    clearTimeout(timer);
  }
}

/** A send that threw (it should not): a protocol error, never the buyer's 500. */
function thrown(error: unknown): ToolCallFailure {
  return failure('protocol_error', error instanceof Error ? error.message : String(error), 0);
}

function failure(code: 'timeout' | 'protocol_error', message: string, latencyMs: number) {
  return { ok: false as const, latencyMs, error: { code, message } };
}

const feedOf = (entry: MirrorEntry) => ({ version: entry.version, scope: entry.scope });

/** A completed answer of the set for `asked`. */
function served(
  entry: MirrorEntry,
  asked: Record<string, unknown>,
  latencyMs = 0,
): ToolCallResult<unknown> {
  return {
    ok: true,
    latencyMs,
    status: 'completed',
    data: heldAnswer(entry.answers, entry.items, entry.errors, asked),
  };
}

/**
 * Sources that publish wholesale feed versions: those that speak AdCP 3.1 (a linked storefront,
 * an AGENT whose probe reported a 3.1 release or later). Another source is asked as before; one
 * that turns out not to publish is found on its first answer.
 */
export const publishesFeeds = (source: Pick<SourceRow, 'executionType' | 'capabilities'>) =>
  speaksAdcp31(source);

/** A brief or a wholesale listing; refine asks about products by id and goes to the source. */
function mirrorable(asked: Record<string, unknown>): boolean {
  const mode = asked['buying_mode'];
  return (mode === undefined || mode === 'brief' || mode === 'wholesale') && !asked['refine'];
}

/**
 * The wholesale request the set is asked with: the brief's request without what a brief alone
 * asks (the brief, the mode, refine, a page), in AdCP 3.1. Filters, property list, catalog, the
 * brand, the account and the link chain stay: the source applies them, and they key the set.
 */
function wholesaleOf(asked: Record<string, unknown>): Record<string, unknown> {
  const {
    brief: _brief,
    buying_mode: _mode,
    refine: _refine,
    pagination: _pagination,
    adcp_version: _version,
    if_wholesale_feed_version: _token,
    if_pricing_version: _pricing,
    // A 3.1 buyer's key for its read: never what the set is.
    idempotency_key: _key,
    ...rest
  } = asked;
  return { ...rest, buying_mode: 'wholesale', adcp_version: '3.1' };
}

const rowKey = (source: SourceRow) => `${source.id}:${source.updatedAt.getTime()}`;
