import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';
import { apiUrlOf, providerSender, statusRefusal } from '../shared/provider-http.js';

/*
 * Pinterest REST API v5 (https://developers.pinterest.com/docs/api/v5/, and its OpenAPI
 * description, github.com/pinterest/api-description v5/openapi.json) as the Pinterest adapter
 * calls it: JSON bodies, the token as a bearer (never in a URL), lists paged by `bookmark`
 * (`{items, bookmark}`), and the ads writes in bulk (an array of objects answered
 * `{items: [{data, exceptions}]}`, where a refused object carries its exceptions, HTTP 200).
 *
 * Errors are `{code, message}`: HTTP 401 (code 2, "Authentication failed") for a bad, expired
 * or revoked token; 403 (code 29) when the user has no access to the ad account; 429 (code 8)
 * when a rate limit of the app or user is exceeded (limits per minute by category: ads_read,
 * ads_write, …); 400 for a parameter refused; 5xx and 503 (code 4197, "ramped down") for
 * Pinterest's own failures.
 */

export interface PinterestErrorBody {
  code?: unknown;
  message?: unknown;
}

export function pinterestError(status: number, body: PinterestErrorBody): ProviderError | null {
  if (status >= 200 && status < 300) return null;
  const plain = statusRefusal(status, {
    provider: 'Pinterest',
    retry: 'later',
    // Limits reset per minute: reported at once with a minute to wait.
    retryAfterSeconds: 60,
    forbidden:
      'The Pinterest connection lacks access to this ad account (ads:write, Campaign Manager)',
  });
  if (plain) return plain;
  const code = typeof body.code === 'number' ? ` (code ${body.code})` : '';
  return new ProviderError('INVALID_REQUEST', `Pinterest refused a parameter of this buy${code}`);
}

/** One object of a bulk write: its data, or why Pinterest refused it. */
interface BulkItem<T> {
  data?: T | null;
  exceptions?: Array<{ code?: unknown; message?: unknown }> | null;
}

export interface PinterestApi {
  get<T>(path: string, token: string, query?: Record<string, string>): Promise<T>;
  post<T>(path: string, token: string, body: unknown, query?: Record<string, string>): Promise<T>;
  /** PATCH one object (not the bulk form: customer lists and audiences). */
  patch<T>(path: string, token: string, body: unknown): Promise<T>;
  /** A bulk write of one object (POST or PATCH an array): its data, or its exception thrown. */
  one<T>(method: 'POST' | 'PATCH', path: string, token: string, object: unknown): Promise<T>;
  /** Every page of a bookmark-paged list, up to `limit` items. */
  pages<T>(path: string, token: string, query: Record<string, string>, limit: number): Promise<T[]>;
}

export interface PinterestApiOptions {
  /** false: a create that failed in transit is not sent again (it is found by name instead). */
  retryPosts?: boolean;
  /** Pinterest's refusal in the caller's words (catalogs: a 403 is not a lost grant). */
  errorOf?: typeof pinterestError;
}

export function createPinterestApi(
  fetch: OutboundFetch,
  apiUrl: string,
  options: PinterestApiOptions = {},
): PinterestApi {
  const errorOf = options.errorOf ?? pinterestError;
  const send = providerSender(fetch, {
    provider: 'Pinterest',
    retryPosts: options.retryPosts ?? true,
    errorOf: (status, body) => errorOf(status, body as PinterestErrorBody),
  });
  const urlOf = (path: string, query?: Record<string, string>) => apiUrlOf(apiUrl, path, query);
  const headers = (token: string, json: boolean) => ({
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    ...(json && { 'content-type': 'application/json' }),
  });

  const get = <T>(path: string, token: string, query?: Record<string, string>) =>
    send<T>(urlOf(path, query), { method: 'GET', headers: headers(token, false) });

  return {
    get,
    post: (path, token, body, query) =>
      send(urlOf(path, query), {
        method: 'POST',
        headers: headers(token, true),
        body: JSON.stringify(body),
      }),
    patch: (path, token, body) =>
      send(urlOf(path), {
        method: 'PATCH',
        headers: headers(token, true),
        body: JSON.stringify(body),
      }),
    async one<T>(method: 'POST' | 'PATCH', path: string, token: string, object: unknown) {
      const answer = await send<{ items?: Array<BulkItem<T>> }>(urlOf(path), {
        method,
        headers: headers(token, true),
        body: JSON.stringify([object]),
      });
      const [item] = answer.items ?? [];
      const refused = item?.exceptions?.[0];
      if (refused || !item?.data) {
        const code = typeof refused?.code === 'number' ? ` (code ${refused.code})` : '';
        throw new ProviderError('INVALID_REQUEST', `Pinterest refused a part of this buy${code}`);
      }
      return item.data;
    },
    async pages<T>(path: string, token: string, query: Record<string, string>, limit: number) {
      const items: T[] = [];
      let bookmark: string | null | undefined;
      do {
        const page = await get<{ items?: T[]; bookmark?: string | null }>(path, token, {
          ...query,
          page_size: '100',
          ...(bookmark && { bookmark }),
        });
        items.push(...(page.items ?? []));
        bookmark = page.items?.length ? page.bookmark : null;
      } while (bookmark && items.length < limit);
      return items.slice(0, limit);
    },
  };
}
