import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { ProviderError } from '../errors.js';
import { providerSender } from '../shared/provider-http.js';

/*
 * TikTok API for Business (Marketing API v1.3) as the TikTok adapter calls it: JSON bodies, the
 * advertiser's token in the `Access-Token` header (never in a URL), GET parameters that are lists
 * or objects sent JSON-encoded, and every answer in TikTok's envelope
 * `{code, message, request_id, data}`, HTTP 200 even for most refusals. Pages are numbered
 * (`page`, `page_size`, answered with `data.page_info.total_page`).
 *
 * Return codes, from "Appendix - Return Codes"
 * (https://business-api.tiktok.com/portal/docs?id=1737172488964097) and "Rate limits"
 * (https://business-api.tiktok.com/portal/docs?id=1725359439428610): 40100 too many requests
 * (QPS/QPM limits, which reset within seconds); 40001 no permission for the advertiser; 40102
 * access token expired, 40104 empty, 40105 invalid or revoked; 40101 the app id or secret is
 * wrong; 40110 the auth code is invalid or used; 40002 and other 400xx a parameter refused;
 * 50000 and 50002 TikTok's own failure.
 */

export interface TikTokEnvelope {
  code?: unknown;
  message?: unknown;
  request_id?: unknown;
  data?: unknown;
}

const grantLostCodes = new Set([40001, 40102, 40104, 40105]);

export function tiktokError(status: number, body: TikTokEnvelope): ProviderError | null {
  const code = typeof body.code === 'number' ? body.code : undefined;
  if (status >= 200 && status < 300 && code === 0) return null;
  if (status === 429 || code === 40100) {
    return new ProviderError('RATE_LIMITED', 'TikTok is rate limiting this app; retry shortly', {
      retryable: true,
      retryAfterSeconds: 5,
    });
  }
  if (code !== undefined && grantLostCodes.has(code)) {
    return new ProviderError(
      'AUTH_REQUIRED',
      code === 40001
        ? 'The TikTok connection lacks permission for this advertiser account'
        : 'The TikTok connection has lost its authorization',
      { grantLost: true },
    );
  }
  if (status >= 500 || code === 50000 || code === 50002 || code === undefined) {
    return new ProviderError('SERVICE_UNAVAILABLE', 'TikTok is temporarily unavailable', {
      retryable: true,
    });
  }
  if (code === 40101) {
    return new ProviderError(
      'SERVICE_UNAVAILABLE',
      "TikTok refused this instance's app credentials (INTERCHANGE_TIKTOK_CLIENT_ID/_SECRET)",
    );
  }
  if (code === 40110) {
    return new ProviderError('AUTH_REQUIRED', 'TikTok refused the authorization code');
  }
  if (code >= 40000 && code < 50000) {
    return new ProviderError('INVALID_REQUEST', `TikTok refused a parameter of this buy (${code})`);
  }
  return new ProviderError('SERVICE_UNAVAILABLE', `TikTok refused the request (code ${code})`);
}

export interface PageInfo {
  page?: number;
  page_size?: number;
  total_number?: number;
  total_page?: number;
}

export interface TikTokApi {
  get<T>(path: string, token: string | null, query?: Record<string, unknown>): Promise<T>;
  post<T>(path: string, token: string | null, body: Record<string, unknown>): Promise<T>;
  /**
   * A POST that makes an object, sent once whatever `retryPosts`: TikTok may have made it and
   * lost the answer (the caller looks it up by name instead of sending it again).
   */
  create<T>(path: string, token: string, body: Record<string, unknown>): Promise<T>;
  /** A multipart/form-data POST of fields and one file (customer files for audiences). */
  upload<T>(
    path: string,
    token: string,
    fields: Record<string, string>,
    file: { name: string; content: string },
  ): Promise<T>;
  /** Every page of a numbered list (`data.list`, `data.page_info`), up to `limit` items. */
  pages<T>(
    path: string,
    token: string,
    query: Record<string, unknown>,
    limit: number,
    pageSize?: number,
  ): Promise<T[]>;
}

export interface TikTokApiOptions {
  timeoutMs?: number;
  rateLimitRetryMs?: number;
  /** false: a create that failed in transit is not sent again (it is found by name instead). */
  retryPosts?: boolean;
  /** TikTok's envelope in the caller's words (catalogs: a permission is not a lost grant). */
  errorOf?: typeof tiktokError;
}

export function createTikTokApi(
  fetch: OutboundFetch,
  apiUrl: string,
  options: TikTokApiOptions = {},
): TikTokApi {
  const errorOf = options.errorOf ?? tiktokError;
  const http = {
    provider: 'TikTok',
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    // TikTok's limits are per second and per minute: one more try a second later often passes.
    rateLimitRetryMs: options.rateLimitRetryMs ?? 1000,
    errorOf: (status: number, body: unknown) => errorOf(status, body as TikTokEnvelope),
  };
  const send = providerSender(fetch, { ...http, retryPosts: options.retryPosts ?? true });
  const sendOnce = providerSender(fetch, { ...http, retryPosts: false });
  // TikTok's paths end in a slash (/campaign/get/).
  const urlOf = (path: string, query?: Record<string, unknown>) => {
    const url = new URL(`${apiUrl}/${path.replace(/^\/+|\/+$/g, '')}/`);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
    return url.toString();
  };
  const auth = (token: string | null): Record<string, string> =>
    token ? { 'access-token': token } : {};
  const dataOf = <T>(envelope: TikTokEnvelope) => (envelope.data ?? {}) as T;

  async function get<T>(path: string, token: string | null, query?: Record<string, unknown>) {
    return dataOf<T>(
      await send<TikTokEnvelope>(urlOf(path, query), {
        method: 'GET',
        headers: { ...auth(token), accept: 'application/json' },
      }),
    );
  }

  const postWith =
    (sender: typeof send) =>
    async <T>(path: string, token: string | null, body: Record<string, unknown>) =>
      dataOf<T>(
        await sender<TikTokEnvelope>(urlOf(path), {
          method: 'POST',
          headers: { ...auth(token), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );

  return {
    get,
    post: postWith(send),
    create: postWith(sendOnce),
    async upload<T>(
      path: string,
      token: string,
      fields: Record<string, string>,
      file: { name: string; content: string },
    ) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set('file', new Blob([file.content], { type: 'text/plain' }), file.name);
      return dataOf<T>(
        await send<TikTokEnvelope>(urlOf(path), {
          method: 'POST',
          headers: auth(token),
          body: form,
        }),
      );
    },
    async pages<T>(
      path: string,
      token: string,
      query: Record<string, unknown>,
      limit: number,
      pageSize = 100,
    ) {
      const items: T[] = [];
      for (let page = 1; items.length < limit; page++) {
        const data = await get<{ list?: T[]; page_info?: PageInfo }>(path, token, {
          ...query,
          page,
          page_size: pageSize,
        });
        items.push(...(data.list ?? []));
        const total = data.page_info?.total_page ?? 1;
        if (page >= total || !data.list?.length) break;
      }
      return items.slice(0, limit);
    },
  };
}
