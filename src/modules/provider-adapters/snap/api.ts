import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';
import { apiUrlOf, providerSender, statusRefusal } from '../shared/provider-http.js';

/*
 * Snap's Marketing API (https://developers.snap.com/api/marketing-api/Ads-API/introduction) as
 * the Snap adapter calls it: the token as a bearer, JSON bodies that wrap objects in a list
 * under their plural name (`{campaigns: [{…}]}`), answers in the same shape with each object
 * under its singular name and its own `sub_request_status`
 * (`{request_status, request_id, campaigns: [{sub_request_status, campaign}]}`), and lists paged
 * by `paging.next_link` ("API Patterns").
 *
 * Errors ("Errors", "Rate Limits"): `{request_status: "ERROR", debug_message, display_message,
 * error_code}` with HTTP 401 for a bad, expired or revoked token, 403 when the user has no
 * access to the ad account, 400 for a refused parameter and 404 for an unknown object; HTTP 429
 * when the app (20 requests a second) or the token (10 a second) is over its limit; 5xx for
 * Snap's own failures.
 */

export interface SnapErrorBody {
  request_status?: unknown;
  error_code?: unknown;
}

export function snapError(status: number, body: SnapErrorBody): ProviderError | null {
  if (status >= 200 && status < 300 && body.request_status !== 'ERROR') return null;
  const plain = statusRefusal(status, {
    provider: 'Snap',
    retry: 'shortly',
    retryAfterSeconds: 5,
    forbidden: 'The Snap connection lacks access to this ad account',
  });
  if (plain) return plain;
  const code = typeof body.error_code === 'string' ? ` (${body.error_code})` : '';
  return new ProviderError('INVALID_REQUEST', `Snap refused a parameter of this request${code}`);
}

type Wrapped = Record<string, unknown> & { paging?: { next_link?: unknown } };

/** The objects of an answer (`campaigns[].campaign`); one Snap refused fails the call. */
export function entities<T>(answer: Wrapped, plural: string, singular: string): T[] {
  const list = Array.isArray(answer[plural])
    ? (answer[plural] as Array<Record<string, unknown>>)
    : [];
  return list.map((item) => {
    const status = String(item.sub_request_status ?? 'SUCCESS').toUpperCase();
    if (status !== 'SUCCESS' || !item[singular]) {
      throw new ProviderError(
        'INVALID_REQUEST',
        `Snap refused a part of this request (${singular})`,
      );
    }
    return item[singular] as T;
  });
}

export interface SnapApi {
  get<T>(path: string, token: string, query?: Record<string, string>): Promise<T>;
  /**
   * Creates (POST) or replaces (PUT) one object: `{plural: [object]}`, answered as the object.
   * `once`: a create that failed in transit is not sent again (Snap may have made it; the caller
   * finds it by name instead of making a second).
   */
  one<T>(
    method: 'POST' | 'PUT',
    path: string,
    token: string,
    names: [plural: string, singular: string],
    object: Record<string, unknown>,
    options?: { once?: boolean },
  ): Promise<T>;
  /** Deletes an object (DELETE /campaigns/{id}). */
  remove(path: string, token: string): Promise<unknown>;
  /** Sends a JSON body as is (a segment's users: POST to add, DELETE with a body to remove). */
  json<T>(
    method: 'POST' | 'DELETE',
    path: string,
    token: string,
    body: Record<string, unknown>,
  ): Promise<T>;
  /** Posts a file as multipart/form-data (media upload). */
  upload<T>(path: string, token: string, file: Blob, filename: string): Promise<T>;
  /** Every page of a list (`paging.next_link` on the API's own origin), up to `limit` items. */
  pages<T>(path: string, token: string, names: [string, string], limit: number): Promise<T[]>;
}

export function createSnapApi(
  fetch: OutboundFetch,
  apiUrl: string,
  rateLimitRetryMs = 1000,
  /** A reading of Snap's refusals for one part of the API (catalogs: catalogs.ts). */
  errorOf: (status: number, body: SnapErrorBody) => ProviderError | null = snapError,
): SnapApi {
  const send = providerSender(fetch, {
    provider: 'Snap',
    // Snap's limits are per second: one more try a second later often passes.
    rateLimitRetryMs,
    errorOf: (status, body) => errorOf(status, body as SnapErrorBody),
  });
  const sendOnce = providerSender(fetch, {
    provider: 'Snap',
    rateLimitRetryMs,
    errorOf: (status, body) => errorOf(status, body as SnapErrorBody),
    retryPosts: false,
  });
  const origin = new URL(apiUrl).origin;
  const urlOf = (path: string, query?: Record<string, string>) => apiUrlOf(apiUrl, path, query);
  const auth = (token: string) => ({
    authorization: `Bearer ${token}`,
    accept: 'application/json',
  });
  const get = <T>(path: string, token: string, query?: Record<string, string>) =>
    send<T>(urlOf(path, query), { method: 'GET', headers: auth(token) });

  return {
    get,
    async one<T>(
      method: 'POST' | 'PUT',
      path: string,
      token: string,
      [plural, singular]: [string, string],
      object: Record<string, unknown>,
      options?: { once?: boolean },
    ) {
      const answer = await (options?.once ? sendOnce : send)<Wrapped>(urlOf(path), {
        method,
        headers: { ...auth(token), 'content-type': 'application/json' },
        body: JSON.stringify({ [plural]: [object] }),
      });
      const [made] = entities<T>(answer, plural, singular);
      if (!made) throw new ProviderError('INVALID_REQUEST', `Snap answered no ${singular}`);
      return made;
    },
    remove: (path, token) => send(urlOf(path), { method: 'DELETE', headers: auth(token) }),
    json: (method, path, token, body) =>
      send(urlOf(path), {
        method,
        headers: { ...auth(token), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    upload: (path, token, file, filename) => {
      const form = new FormData();
      form.set('file', file, filename);
      return send(urlOf(path), { method: 'POST', headers: auth(token), body: form });
    },
    async pages<T>(
      path: string,
      token: string,
      [plural, singular]: [string, string],
      limit: number,
    ) {
      const items: T[] = [];
      let next: string | undefined = urlOf(path, { limit: '200' });
      while (next && items.length < limit) {
        const page: Wrapped = await send<Wrapped>(next, { method: 'GET', headers: auth(token) });
        items.push(...entities<T>(page, plural, singular));
        const link = page.paging?.next_link;
        // Only follow a next page on the same API (a page cannot send our token elsewhere).
        next = typeof link === 'string' && new URL(link).origin === origin ? link : undefined;
      }
      return items.slice(0, limit);
    },
  };
}
