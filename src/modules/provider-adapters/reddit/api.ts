import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';
import { apiUrlOf, providerSender, statusRefusal } from '../shared/provider-http.js';

/*
 * Reddit Ads API v3 (https://ads-api.reddit.com/docs/v3/) as the Reddit adapter calls it: the
 * token as a bearer, a descriptive User-Agent (Reddit's API rules refuse generic ones), request
 * bodies wrapped as `{data: {…}}` and answers as `{data}`; lists answer
 * `{data: [...], pagination: {next_url}}`, the next page's full URL to follow as given.
 *
 * Errors by HTTP status, the one part of Reddit's error answers its reference documents for
 * every operation: 401 for a bad, expired or revoked token, 403 when the member has no access
 * to the ad account, 400 and 422 for a refused field, 404 for an unknown object, 429 when a
 * rate-limit policy (per 60-second window: 400 reads and 200 writes of campaign management, 200
 * creative-management calls) is spent, and 5xx for Reddit's own failures. The body is never
 * shown to the buyer.
 */

export const redditUserAgent = 'server:interchange-adapter:v1 (AdCP storefront)';

export function redditError(status: number): ProviderError | null {
  if (status >= 200 && status < 300) return null;
  const plain = statusRefusal(status, {
    provider: 'Reddit',
    retry: 'later',
    // Windows are a minute long: reported at once with a minute to wait.
    retryAfterSeconds: 60,
    forbidden: 'The Reddit connection lacks access to this ad account (adsedit)',
  });
  if (plain) return plain;
  if (status === 404)
    return new ProviderError('INVALID_REQUEST', 'Reddit does not know this object');
  return new ProviderError(
    'INVALID_REQUEST',
    `Reddit refused a field of this request (HTTP ${status})`,
  );
}

export interface RedditApi {
  get<T>(path: string, token: string, query?: Record<string, string>): Promise<T>;
  /** POST or PATCH `{data: object}`; the answer's `data`. */
  write<T>(method: 'POST' | 'PATCH', path: string, token: string, object: unknown): Promise<T>;
  /** Every page of a list (`pagination.next_url` on the API's own origin), up to `limit` items. */
  pages<T>(path: string, token: string, query: Record<string, string>, limit: number): Promise<T[]>;
  /** A report's metric rows (POST, `{data: {metrics}}`), its next pages posted the same way. */
  report<T>(path: string, token: string, request: unknown, maxPages: number): Promise<T[]>;
  /**
   * A write whose answer need carry no object (audience members, conversion events): POST or
   * PATCH `{data: object}`; the answer as given.
   */
  command(method: 'POST' | 'PATCH', path: string, token: string, object: unknown): Promise<unknown>;
  /** DELETE; an object Reddit no longer knows (404) is gone either way. */
  remove(path: string, token: string): Promise<void>;
}

export function createRedditApi(
  fetch: OutboundFetch,
  apiUrl: string,
  /** A reading of Reddit's refusals for one part of the API (catalogs: catalogs.ts). */
  options: { errorOf?: (status: number) => ProviderError | null } = {},
): RedditApi {
  const errorOf = options.errorOf ?? redditError;
  const send = providerSender(fetch, {
    provider: 'Reddit',
    errorOf: (status) => errorOf(status),
    // A create lost in transit may have been made: the adapter looks for it by name instead.
    retryPosts: false,
  });
  // A deletion retried after a lost answer meets a 404: the object is gone, as asked.
  const sendDelete = providerSender(fetch, {
    provider: 'Reddit',
    errorOf: (status) => (status === 404 ? null : errorOf(status)),
  });
  const origin = new URL(apiUrl).origin;
  const urlOf = (path: string, query?: Record<string, string>) => apiUrlOf(apiUrl, path, query);
  const headers = (token: string, json: boolean) => ({
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'user-agent': redditUserAgent,
    ...(json && { 'content-type': 'application/json' }),
  });

  /** The next page's URL when it is on the API's own origin (a page cannot send our token away). */
  const nextOf = (link: unknown, current: string) => {
    if (typeof link !== 'string' || !link) return undefined;
    const url = new URL(link, current);
    return url.origin === origin ? url.toString() : undefined;
  };

  return {
    async get<T>(path: string, token: string, query?: Record<string, string>) {
      const answer = await send<{ data?: T }>(urlOf(path, query), {
        method: 'GET',
        headers: headers(token, false),
      });
      return answer.data as T;
    },
    async write<T>(method: 'POST' | 'PATCH', path: string, token: string, object: unknown) {
      const answer = await send<{ data?: T }>(urlOf(path), {
        method,
        headers: headers(token, true),
        body: JSON.stringify({ data: object }),
      });
      if (!answer.data) throw new ProviderError('INVALID_REQUEST', 'Reddit answered no object');
      return answer.data;
    },
    command: (method, path, token, object) =>
      send(urlOf(path), {
        method,
        headers: headers(token, true),
        body: JSON.stringify({ data: object }),
      }),
    async remove(path, token) {
      await sendDelete(urlOf(path), { method: 'DELETE', headers: headers(token, false) });
    },
    async pages<T>(path: string, token: string, query: Record<string, string>, limit: number) {
      const items: T[] = [];
      let next: string | undefined = urlOf(path, { ...query, 'page.size': '100' });
      while (next && items.length < limit) {
        const page: { data?: T[]; pagination?: { next_url?: unknown } } = await send(next, {
          method: 'GET',
          headers: headers(token, false),
        });
        items.push(...(Array.isArray(page.data) ? page.data : []));
        next = nextOf(page.pagination?.next_url, next);
      }
      return items.slice(0, limit);
    },
    async report<T>(path: string, token: string, request: unknown, maxPages: number) {
      const rows: T[] = [];
      let next: string | undefined = urlOf(path);
      for (let n = 0; next && n < maxPages; n++) {
        const page: { data?: { metrics?: T[] }; pagination?: { next_url?: unknown } } = await send(
          next,
          {
            method: 'POST',
            headers: headers(token, true),
            body: JSON.stringify({ data: request }),
          },
        );
        rows.push(...(Array.isArray(page.data?.metrics) ? page.data.metrics : []));
        next = nextOf(page.pagination?.next_url, next);
      }
      return rows;
    },
  };
}
