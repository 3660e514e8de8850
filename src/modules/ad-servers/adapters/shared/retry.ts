import { AdServerError } from '../port.js';

/*
 * The retry rule every ad-server adapter follows: a failure the adapter marked retryable (quota,
 * rate limit, server error, a cut-off transfer) is tried again with doubling backoff, up to the
 * caller's attempts; anything else fails at once.
 */

export interface RetryOptions {
  /** Attempts for a retryable failure; 1 disables retries. */
  attempts?: number | undefined;
  /** Backoff before the second attempt; doubles after. */
  backoffMs?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A runner that retries what `once` throws as a retryable AdServerError. */
export function retrying(options: RetryOptions) {
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 500;
  const sleep = options.sleep ?? defaultSleep;
  return async <T>(once: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once();
      } catch (error) {
        if (!(error instanceof AdServerError) || !error.retryable || attempt >= attempts) {
          throw error;
        }
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  };
}
