import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';

/*
 * One JSON exchange with a provider's API, the same for every adapter: through the guarded
 * outbound client, the answer read as JSON (an unreadable body is an empty object), and the
 * provider's refusal turned into a ProviderError by the adapter's own reading of its error
 * envelope. A transient failure is tried once more after a short wait; a throttle is tried once
 * more only when the provider's limits reset within a second or two (`rateLimitRetryMs`),
 * otherwise it is reported at once rather than hammered. Either way the buyer's call spends at
 * most one short wait here, and the last refusal is what the buyer hears.
 */

export interface ProviderHttpOptions {
  /** The provider's name in buyer-safe messages ("Meta could not be reached"). */
  provider: string;
  timeoutMs?: number;
  /** Wait before the second try of a transient (5xx, unreachable) failure. */
  retryDelayMs?: number;
  /** Wait before the second try of a throttle; undefined: a throttle is not retried. */
  rateLimitRetryMs?: number;
  /**
   * The provider's answer as an error, or null when it is a success. Some providers (TikTok)
   * answer HTTP 200 with an error code in the body, so the body is always consulted.
   */
  errorOf(status: number, body: unknown, headers: Headers): ProviderError | null;
  /**
   * false: a POST that failed in transit is not sent again (the provider may have made the
   * object and lost its answer; the adapter finds it instead of making a second one).
   */
  retryPosts?: boolean;
  /** Reads an answer's text (default JSON.parse; Amazon's int64 ids need parseLossless). */
  parse?: (text: string) => unknown;
}

/** A path under a provider's API root (leading slashes dropped), with its query parameters set. */
export function apiUrlOf(apiUrl: string, path: string, query?: Record<string, string>): string {
  const url = new URL(`${apiUrl}/${path.replace(/^\/+/, '')}`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

export type ProviderSend = <T>(url: string, init: RequestInit) => Promise<T>;

export function providerSender(fetch: OutboundFetch, options: ProviderHttpOptions): ProviderSend {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryDelayMs = options.retryDelayMs ?? 250;

  async function once(url: string, init: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, timeoutMs });
    } catch {
      throw new ProviderError('SERVICE_UNAVAILABLE', `${options.provider} could not be reached`, {
        retryable: true,
      });
    }
    let body: unknown;
    try {
      body = (options.parse ?? JSON.parse)(await res.text());
    } catch {
      body = {};
    }
    const error = options.errorOf(res.status, body ?? {}, res.headers);
    if (error) throw error;
    return body;
  }

  return async function send<T>(url: string, init: RequestInit): Promise<T> {
    try {
      return (await once(url, init)) as T;
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable) throw error;
      if (options.retryPosts === false && init.method === 'POST') throw error;
      const wait = error.code === 'RATE_LIMITED' ? options.rateLimitRetryMs : retryDelayMs;
      if (wait === undefined) throw error;
      await new Promise((r) => setTimeout(r, wait));
      return (await once(url, init)) as T;
    }
  };
}

/** How a provider's name and limits are worded in the refusals its HTTP status alone means. */
export interface StatusRefusalWords {
  /** The provider's name as the buyer reads it ("Reddit"). */
  provider: string;
  /** When a throttled call may be asked again, in words: "later" or "shortly". */
  retry: 'later' | 'shortly';
  /** The wait a throttle reports (its limits' window, or the provider's Retry-After). */
  retryAfterSeconds: number;
  /** The message for a 403: the grant stands but lacks access (to what, in the provider's terms). */
  forbidden: string;
}

/**
 * The refusals an HTTP status means alike at the providers that answer plainly by status: 429
 * a throttle (reported at once with its wait, not hammered), 401 the grant gone, 403 the grant
 * without access (both ask the operator to reconnect), 5xx the provider's own failure; null for
 * any other status, which the provider's own reader words.
 */
export function statusRefusal(status: number, words: StatusRefusalWords): ProviderError | null {
  const { provider } = words;
  if (status === 429) {
    return new ProviderError(
      'RATE_LIMITED',
      `${provider} is rate limiting this app; retry ${words.retry}`,
      { retryable: true, retryAfterSeconds: words.retryAfterSeconds },
    );
  }
  if (status === 401) {
    return new ProviderError(
      'AUTH_REQUIRED',
      `The ${provider} connection has lost its authorization`,
      {
        grantLost: true,
      },
    );
  }
  if (status === 403)
    return new ProviderError('AUTH_REQUIRED', words.forbidden, { grantLost: true });
  if (status >= 500) {
    return new ProviderError('SERVICE_UNAVAILABLE', `${provider} is temporarily unavailable`, {
      retryable: true,
    });
  }
  return null;
}
