import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { type CrashPhase, crashPoints } from './crash-points.js';
import * as store from './store.js';
import type { IntentRow } from './store.js';
import type { IntentOutcome } from './tables.js';

export type WriteIntent = IntentRow;

/** A write about to be sent to a seller. */
export interface WriteSpec {
  /** The resolver that establishes its outcome if its caller cannot (a registered kind). */
  kind: string;
  subjectId: string;
  customerId: number;
  target: string;
  tool: string;
  idempotencyKey: string;
  /** Exactly what is sent, without credentials (a push_notification_config is left out). */
  request: Record<string, unknown>;
  expect?: Record<string, unknown> | undefined;
}

/** What establishing an intent's outcome came to. */
export type Established =
  | { settled: Exclude<IntentOutcome, 'answered' | 'refused'> }
  /** resend false: the target ran it and its answer was lost out of schema (verdict.ts). */
  | { unknown: string; resend?: false };

/**
 * The port every kind of seller write implements (campaign buys, a storefront's forwards, and
 * the modular ledger's and adapters' writes as they land): how to establish what became of one
 * of its intents whose outcome is unknown. In this order: whether its subject already records
 * the outcome (its caller committed, then died); else whether the target holds what it asked
 * for (looked up by what identifies it there: the buy's id, its po_number, get_media_buys);
 * else its stored request sent again under its key, and the answer recorded. An answer that
 * still leaves the outcome unknown (IDEMPOTENCY_EXPIRED, a timeout) is `unknown`: looked at
 * again later, never reported as a failure while the write may have taken effect.
 */
export interface WriteResolver {
  kind: string;
  /** Longest one establishing run takes (the calls it makes, with their budgets). */
  leaseMs: number;
  establish(intent: WriteIntent): Promise<Established>;
}

export interface SellerWritesOptions {
  db: Db;
  /** First look at an unknown outcome this many seconds after; each further look doubles it. */
  recoverySeconds: number;
  /** Tests only: the crash-point file (crash-points.ts). */
  crashFile?: string | undefined;
  now?: () => Date;
  onError?: ((error: unknown, context: string) => void) | undefined;
}

export type SellerWrites = ReturnType<typeof createSellerWrites>;

/**
 * How long a caller holds its intent: its call's budget, half as much again and a second for
 * recording the answer. A resolver's run, which may make a look-up and a resend, holds three.
 */
export const callLeaseMs = (budgetMs: number) => Math.ceil(budgetMs * 1.5) + 1000;
export const resolverLeaseMs = (budgetMs: number) => 3 * callLeaseMs(budgetMs);

const maxDelaySeconds = 600;
/** Intents one recovery run establishes at once (each makes a call or two to a seller). */
const recoveryParallel = 4;
/** Intents one recovery run takes: two rounds (the run queues the next at once if more are due). */
const recoveryBatch = 2 * recoveryParallel;

const newIntentId = () => `wi_${randomBytes(10).toString('hex')}`;
const newToken = () => randomBytes(9).toString('hex');

/**
 * Durable, resumable writes to sellers (issue 26). A caller records its intent before the
 * call (`begin`), and records the outcome on its own subject before settling the intent
 * (`settle`); when the answer leaves it unknown (`unknown`), or the process dies with the
 * intent held, recovery (a job, or a caller that finds the intent open: `resume`) establishes
 * the outcome through the kind's resolver before anything is sent again.
 */
export function createSellerWrites(options: SellerWritesOptions) {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const resolvers = new Map<string, WriteResolver>();
  const crash = crashPoints(options.crashFile);
  let wake: ((delaySeconds: number) => Promise<void>) | undefined;

  const delayAfter = (attempts: number) =>
    Math.min(options.recoverySeconds * 2 ** Math.max(0, attempts - 1), maxDelaySeconds);

  /** Runs the kind's resolver on an intent held by this caller, and records what it came to. */
  async function establishHeld(intent: WriteIntent): Promise<Established> {
    const resolver = resolvers.get(intent.kind);
    let result: Established;
    try {
      if (!resolver) throw new Error(`no resolver for seller writes of kind ${intent.kind}`);
      result = await resolver.establish(intent);
    } catch (error) {
      options.onError?.(error, `seller write ${intent.id} (${intent.kind})`);
      result = { unknown: error instanceof Error ? error.message : String(error) };
    }
    if ('settled' in result) await store.settle(db, intent.id, result.settled, now());
    else await release(intent, result.unknown, result.resend === false);
    return result;
  }

  async function release(intent: WriteIntent, reason: string, resendBlocked = false) {
    const delay = delayAfter(intent.attempts);
    await store.release(
      db,
      intent.id,
      intent.leaseToken ?? '',
      new Date(now().getTime() + delay * 1000),
      reason.slice(0, 1000),
      now(),
      resendBlocked,
    );
    await wake?.(delay).catch((error: unknown) => options.onError?.(error, 'seller write wake'));
  }

  const leaseOf = (ms: number) => ({ token: newToken(), until: new Date(now().getTime() + ms) });

  return {
    register(resolver: WriteResolver) {
      if (resolvers.has(resolver.kind)) throw new Error(`${resolver.kind} registered twice`);
      resolvers.set(resolver.kind, resolver);
    },
    /** The recovery job's way to be woken when an intent is left for it (seconds from now). */
    onWake(fn: (delaySeconds: number) => Promise<void>) {
      wake = fn;
    },

    /**
     * Records a write before it is sent, held by the caller for `leaseMs` (its call's budget
     * and a margin); recovery looks at it once that lease runs out. `held: false` answers an
     * intent of the same key still open: its outcome is unknown, and nothing may be sent under
     * the key until it is established (`resume`).
     */
    async begin(spec: WriteSpec, leaseMs: number) {
      const lease = leaseOf(leaseMs);
      const { row, held } = await store.begin(
        db,
        {
          id: newIntentId(),
          ...spec,
          expect: spec.expect ?? null,
          leaseToken: lease.token,
          leaseUntil: lease.until,
          dueAt: lease.until,
        },
        now(),
      );
      // Should this process die holding it, recovery looks once the lease runs out.
      if (held) {
        await wake?.(leaseMs / 1000).catch((error: unknown) =>
          options.onError?.(error, 'seller write wake'),
        );
      }
      return { intent: row, held };
    },

    /** Tests only: dies here when the crash file names this point (crash-points.ts). */
    checkpoint(kind: string, phase: CrashPhase) {
      crash(kind, phase);
    },

    /** The caller recorded the outcome on its subject: the intent is done. */
    async settle(intent: WriteIntent, outcome: IntentOutcome) {
      await store.settle(db, intent.id, outcome, now());
    },

    /**
     * The answer left the outcome unknown: recovery establishes it, beginning after a delay.
     * `resend: false` (the target ran it, its answer out of schema): recovery only looks it up.
     */
    unknown: (intent: WriteIntent, reason: string, options?: { resend?: false }) =>
      release(intent, reason, options?.resend === false),

    /** Open intents about these subjects (what a buy is waiting to learn). */
    openOf: (subjectIds: string[]) => store.openOf(db, subjectIds),

    /** The write recorded under a key (a retry's earlier attempt), open or settled, if any. */
    findByKey: (kind: string, target: string, idempotencyKey: string) =>
      store.findByKey(db, kind, target, idempotencyKey),

    /**
     * Establishes an open intent now, if nobody holds it (its holder died or let go): what the
     * kind's resolver came to, or undefined when another caller or run holds it.
     */
    async resume(intent: WriteIntent): Promise<Established | undefined> {
      const resolver = resolvers.get(intent.kind);
      const held = await store.takeOver(db, intent.id, leaseOf(resolver?.leaseMs ?? 60_000), now());
      return held ? establishHeld(held) : undefined;
    },

    /** One recovery run: establishes the intents due. Answers how many it took. */
    async recoverDue(): Promise<number> {
      const longest = Math.max(60_000, ...[...resolvers.values()].map((r) => r.leaseMs));
      const rounds = recoveryBatch / recoveryParallel;
      const due = await store.takeDue(db, leaseOf(longest * rounds), now(), recoveryBatch);
      for (let i = 0; i < due.length; i += recoveryParallel) {
        await Promise.all(due.slice(i, i + recoveryParallel).map(establishHeld));
      }
      return due.length;
    },

    /** When recovery should look next; null when no intent is open. */
    nextDueAt: () => store.nextDueAt(db),

    /**
     * Deletes up to `limit` intents settled before `before`, oldest first (the retention job,
     * src/jobs/retention.ts): a settled intent only records what was sent to whom. Open intents
     * are never deleted. Answers how many went.
     */
    pruneSettled: (before: Date, limit: number) => store.deleteSettledBefore(db, before, limit),
  };
}
