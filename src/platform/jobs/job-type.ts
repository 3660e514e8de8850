import type { z } from 'zod';

/** What a handler learns about the job it runs. */
export interface JobContext {
  id: string;
  /** 0 on the first run, then 1, 2, … on each retry. */
  retryCount: number;
}

/**
 * One kind of background work: a name, the payload it accepts and what to do with it. The
 * payload is checked when sent and again when run (a job may outlive a deploy that changed it).
 */
export interface JobType<Payload> {
  /** Letters, digits, '-', '_' and '.'; also the queue's name in the database. */
  name: string;
  payload: z.ZodType<Payload>;
  handler: (payload: Payload, context: JobContext) => Promise<void>;
  /** Retries after a failure, each delaySeconds later (doubling with backoff). */
  retry?: { limit: number; delaySeconds: number; backoff: boolean };
  /**
   * How long one run may take; a run still going after this (or left behind by an instance
   * that died) is failed and retried.
   */
  timeoutSeconds?: number;
  /**
   * What a singleton key admits: 'queued' (at most one job waiting per key; a running one does
   * not count) or 'queued-and-running' (one waiting and one running per key). Without it keys
   * admit any number. A job of a singleton type sent without a key has the type itself as key.
   */
  singleton?: 'queued' | 'queued-and-running';
  /** Handlers of this type one instance runs at once; INTERCHANGE_JOBS_CONCURRENCY when unset. */
  concurrency?: number;
}

export const defaultRetry = { limit: 5, delaySeconds: 30, backoff: true } as const;
export const defaultTimeoutSeconds = 15 * 60;

/** Declares a job type; the identity function that gives the payload its type. */
export function defineJob<Payload>(type: JobType<Payload>): JobType<Payload> {
  return type;
}

/** The queue that receives a type's jobs once their retries are spent. */
export function deadLetterQueueOf(name: string): string {
  return `${name}.dead`;
}
