import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';
import { providerSender, statusRefusal } from '../shared/provider-http.js';

/*
 * Spotify's Ads API v3 (https://developer.spotify.com/documentation/ads-api/reference/v3.0, base
 * https://api-partner.spotify.com/ads/v3) as the Spotify adapter calls it: the token as a bearer,
 * JSON bodies and answers, objects under their ad account (`/ad_accounts/{id}/campaigns`, …),
 * lists paged by `limit` (at most 50) and `offset` with `paging.total_results`, array query
 * parameters repeated (`fields=IMPRESSIONS&fields=SPEND`), no DELETE on live objects (they are
 * archived).
 *
 * Errors ("API Design": "Rate Limiting"; the reference's error answers): HTTP 429 with a
 * `Retry-After` header in seconds when the app is over its limit (per client id, over a 30 s
 * window); 401 for a bad, expired or revoked token; 403 when the user may not use the ad account
 * (or has not accepted the API terms); 400/422 for a refused field, 404 for an unknown object,
 * 5xx for Spotify's own failures. The body names an error code (`error.code`, or `messages[]`
 * with a code each, as the reference's two shapes give it); we report the code, never the text.
 */

interface SpotifyErrorBody {
  error?: { code?: unknown };
  messages?: Array<{ code?: unknown; error_code?: unknown }>;
}

/** Seconds from a Retry-After header (seconds, or an HTTP date), within reason. */
function retryAfterOf(headers: Headers): number {
  const raw = headers.get('retry-after');
  const seconds = raw && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  const fromDate = raw ? (Date.parse(raw) - Date.now()) / 1000 : Number.NaN;
  const value = Number.isFinite(seconds) ? seconds : fromDate;
  return Number.isFinite(value) && value > 0 ? Math.min(Math.ceil(value), 3600) : 30;
}

function codeOf(body: SpotifyErrorBody): string | null {
  const code = body.error?.code ?? body.messages?.[0]?.code ?? body.messages?.[0]?.error_code;
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,80}$/.test(code) ? code : null;
}

export function spotifyError(
  status: number,
  body: SpotifyErrorBody,
  headers: Headers,
): ProviderError | null {
  if (status >= 200 && status < 300) return null;
  const plain = statusRefusal(status, {
    provider: 'Spotify',
    retry: 'later',
    retryAfterSeconds: retryAfterOf(headers),
    forbidden: 'The Spotify connection lacks access to this ad account',
  });
  if (plain) return plain;
  if (status === 404) return new ProviderError('REFERENCE_NOT_FOUND', 'Spotify has no such object');
  const code = codeOf(body);
  return new ProviderError(
    'INVALID_REQUEST',
    `Spotify refused a parameter of this buy${code ? ` (${code})` : ''}`,
  );
}

export type Query = Record<string, string | string[]>;

export interface SpotifyApi {
  get<T>(path: string, token: string, query?: Query): Promise<T>;
  patch<T>(path: string, token: string, body: Record<string, unknown>): Promise<T>;
  /** A POST sent at most once by itself (its answer may be lost after Spotify acted). */
  postOnce<T>(path: string, token: string, body: Record<string, unknown>): Promise<T>;
  /** A POST that may safely be repeated (an upload to the same asset). */
  post<T>(path: string, token: string, body: Record<string, unknown> | FormData): Promise<T>;
  /** Every page of an offset-paged list under `key`, up to `limit` items. */
  pages<T>(path: string, token: string, key: string, limit: number, query?: Query): Promise<T[]>;
}

export function createSpotifyApi(fetch: OutboundFetch, apiUrl: string): SpotifyApi {
  const options = {
    provider: 'Spotify',
    // Spotify's window is 30 s: a throttle is reported with Retry-After, not tried again at once.
    errorOf: (status: number, body: unknown, headers: Headers) =>
      spotifyError(status, body as SpotifyErrorBody, headers),
  };
  const send = providerSender(fetch, options);
  const sendOnce = providerSender(fetch, { ...options, retryPosts: false });
  const urlOf = (path: string, query?: Query) => {
    const url = new URL(`${apiUrl}/${path.replace(/^\/+/, '')}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
    }
    return url.toString();
  };
  const auth = (token: string) => ({
    authorization: `Bearer ${token}`,
    accept: 'application/json',
  });
  const json = (token: string) => ({ ...auth(token), 'content-type': 'application/json' });
  const get = <T>(path: string, token: string, query?: Query) =>
    send<T>(urlOf(path, query), { method: 'GET', headers: auth(token) });

  return {
    get,
    patch: (path, token, body) =>
      send(urlOf(path), { method: 'PATCH', headers: json(token), body: JSON.stringify(body) }),
    postOnce: (path, token, body) =>
      sendOnce(urlOf(path), { method: 'POST', headers: json(token), body: JSON.stringify(body) }),
    post: (path, token, body) =>
      body instanceof FormData
        ? send(urlOf(path), { method: 'POST', headers: auth(token), body })
        : send(urlOf(path), { method: 'POST', headers: json(token), body: JSON.stringify(body) }),
    async pages<T>(path: string, token: string, key: string, limit: number, query: Query = {}) {
      const items: T[] = [];
      for (let offset = 0; items.length < limit;) {
        const page = await get<Record<string, unknown> & { paging?: { total_results?: unknown } }>(
          path,
          token,
          { ...query, limit: '50', offset: String(offset) },
        );
        const list = Array.isArray(page[key]) ? (page[key] as T[]) : [];
        items.push(...list);
        offset += list.length;
        const total = Number(page.paging?.total_results ?? 0);
        if (!list.length || !(offset < total)) break;
      }
      return items.slice(0, limit);
    },
  };
}
