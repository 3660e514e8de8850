import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';
import { apiUrlOf, providerSender } from '../shared/provider-http.js';

/*
 * The Graph API as the Meta adapter calls it: JSON answers, form-encoded writes, the token in
 * the Authorization header (never in a URL, where logs would keep it), cursor pagination, and
 * Meta's error object mapped to our ProviderError. Error codes: Graph API "Handling Errors"
 * (https://developers.facebook.com/docs/graph-api/guides/error-handling) and the Marketing API
 * rate-limiting page (https://developers.facebook.com/docs/marketing-api/overview/rate-limiting).
 */

export interface GraphErrorBody {
  error?: { message?: unknown; type?: unknown; code?: unknown; error_subcode?: unknown };
}

/** Meta's error codes that mean "slow down": app, user, page, ads-management and catalog throttles. */
const throttled = new Set([4, 17, 32, 613, 80000, 80003, 80004, 80005, 80008, 80009, 80014]);

export function graphError(status: number, body: GraphErrorBody): ProviderError {
  const code = typeof body.error?.code === 'number' ? body.error.code : undefined;
  if (code === 190 || code === 102) {
    return new ProviderError('AUTH_REQUIRED', 'The Meta connection has lost its authorization', {
      grantLost: true,
    });
  }
  if (code === 10 || (code !== undefined && code >= 200 && code < 300)) {
    return new ProviderError(
      'AUTH_REQUIRED',
      'The Meta connection lacks a permission it needs (ads_management)',
      { grantLost: true },
    );
  }
  if (code !== undefined && throttled.has(code)) {
    return new ProviderError('RATE_LIMITED', 'Meta is throttling this ad account; retry later', {
      retryable: true,
      retryAfterSeconds: 60,
    });
  }
  if (status >= 500 || code === 1 || code === 2) {
    return new ProviderError('SERVICE_UNAVAILABLE', 'Meta is temporarily unavailable', {
      retryable: true,
    });
  }
  if (code === 100) {
    return new ProviderError('INVALID_REQUEST', 'Meta refused a parameter of this buy');
  }
  return new ProviderError('SERVICE_UNAVAILABLE', `Meta refused the request (HTTP ${status})`);
}

export interface Graph {
  get<T>(path: string, token: string, query?: Record<string, string>): Promise<T>;
  post<T>(path: string, token: string | null, form: Record<string, unknown>): Promise<T>;
  /**
   * A POST that makes an object, sent once whatever the client's `retryPosts`: Meta may have
   * made it and lost the answer (the caller looks it up by name instead of sending it again).
   */
  create<T>(path: string, token: string, form: Record<string, unknown>): Promise<T>;
  /** DELETE, with a form body when given (Custom Audience Users takes its payload so). */
  delete<T>(path: string, token: string, form?: Record<string, unknown>): Promise<T>;
  /** Every page of a list edge (cursor pagination through paging.next), up to `limit` items. */
  list<T>(path: string, token: string, query: Record<string, string>, limit: number): Promise<T[]>;
}

const formOf = (form: Record<string, unknown>) =>
  new URLSearchParams(
    Object.entries(form)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString();

export interface GraphOptions {
  timeoutMs?: number;
  /** false: a create that failed in transit is not sent again (it is found by name instead). */
  retryPosts?: boolean;
  /** Meta's error object in the caller's words (catalogs: a permission is not a lost grant). */
  errorOf?: typeof graphError;
}

export function createGraph(
  fetch: OutboundFetch,
  apiUrl: string,
  options: GraphOptions = {},
): Graph {
  const errorOf = options.errorOf ?? graphError;
  // A transient failure gets one quick second try; a throttle is reported, not hammered.
  const http = {
    provider: 'Meta',
    timeoutMs: options.timeoutMs ?? 10_000,
    errorOf: (status: number, body: unknown) =>
      status >= 200 && status < 300 ? null : errorOf(status, body as GraphErrorBody),
  };
  const send = providerSender(fetch, { ...http, retryPosts: options.retryPosts ?? true });
  const sendOnce = providerSender(fetch, { ...http, retryPosts: false });
  const urlOf = (path: string, query?: Record<string, string>) => apiUrlOf(apiUrl, path, query);
  const auth = (token: string | null): Record<string, string> =>
    token ? { authorization: `Bearer ${token}` } : {};
  return {
    get: (path, token, query) =>
      send(urlOf(path, query), {
        method: 'GET',
        headers: { ...auth(token), accept: 'application/json' },
      }),
    post: (path, token, form) =>
      send(urlOf(path), {
        method: 'POST',
        headers: { ...auth(token), 'content-type': 'application/x-www-form-urlencoded' },
        body: formOf(form),
      }),
    create: (path, token, form) =>
      sendOnce(urlOf(path), {
        method: 'POST',
        headers: { ...auth(token), 'content-type': 'application/x-www-form-urlencoded' },
        body: formOf(form),
      }),
    delete: (path, token, form) =>
      send(urlOf(path), {
        method: 'DELETE',
        headers: form
          ? { ...auth(token), 'content-type': 'application/x-www-form-urlencoded' }
          : auth(token),
        ...(form && { body: formOf(form) }),
      }),
    async list<T>(path: string, token: string, query: Record<string, string>, limit: number) {
      const items: T[] = [];
      let next: string | undefined = urlOf(path, query);
      const origin = new URL(apiUrl).origin;
      while (next && items.length < limit) {
        const page: { data?: T[]; paging?: { next?: string } } = await send(next, {
          method: 'GET',
          headers: auth(token),
        });
        items.push(...(page.data ?? []));
        // Only follow a next page on the same API (a page cannot send our token elsewhere).
        next =
          page.paging?.next && new URL(page.paging.next).origin === origin
            ? page.paging.next
            : undefined;
      }
      return items.slice(0, limit);
    },
  };
}
