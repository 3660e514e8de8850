import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AmazonAdsApp } from '../../../provider-config.js';
import { ProviderError } from '../errors.js';
import { parseLossless, stringifyLossless } from '../../../platform/lossless-json.js';
import { apiUrlOf, providerSender } from '../shared/provider-http.js';

/*
 * The Amazon Ads API as the Amazon adapter calls it ("Making API calls" and "Rate limiting",
 * https://advertising.amazon.com/API/docs/en-us/reference/concepts/rate-limiting): the token as
 * a bearer, the app's client id in Amazon-Advertising-API-ClientId and the advertiser's profile
 * in Amazon-Advertising-API-Scope (every call but the profile list), JSON bodies. Sponsored
 * Display writes take a list and answer HTTP 207 with one `{code, …Id, description}` per
 * object; reporting v3 answers one object.
 *
 * Errors (`{code, details}`, reporting v3 `{code, detail}`): 401 for a bad, expired or revoked
 * token or a profile the grant cannot reach, 403 for a missing permission, 400/422 for a refused
 * parameter, 425 for a report request identical to one already queued (its id in `detail`),
 * 429 with Retry-After (seconds) when throttled, 5xx for Amazon's own failures.
 */

/** Reporting v3 refused a duplicate of a queued report: that report's id, to be collected. */
export class DuplicateReport extends ProviderError {
  constructor(readonly reportId: string) {
    super('INVALID_REQUEST', 'Amazon already has this report queued');
  }
}

interface AmazonErrorBody {
  code?: unknown;
  details?: unknown;
  detail?: unknown;
}

const retryAfterOf = (headers: Headers) => {
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), 3600) : 5;
};

export function amazonError(
  status: number,
  body: AmazonErrorBody,
  headers: Headers,
): ProviderError | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) {
    return new ProviderError('RATE_LIMITED', 'Amazon Ads is rate limiting this app; retry later', {
      retryable: true,
      retryAfterSeconds: retryAfterOf(headers),
    });
  }
  if (status === 401 || status === 403) {
    return new ProviderError(
      'AUTH_REQUIRED',
      'The Amazon Ads connection has lost its authorization for this profile',
      { grantLost: true },
    );
  }
  if (status === 425) {
    const id = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(
      String(body.detail ?? body.details ?? ''),
    )?.[0];
    if (id) return new DuplicateReport(id);
  }
  if (status >= 500) {
    return new ProviderError('SERVICE_UNAVAILABLE', 'Amazon Ads is temporarily unavailable', {
      retryable: true,
    });
  }
  const code = typeof body.code === 'string' ? ` (${body.code.slice(0, 60)})` : '';
  return new ProviderError('INVALID_REQUEST', `Amazon Ads refused a parameter of this buy${code}`);
}

/** Who calls: the grant's token and, for everything but the profile list, the profile. */
export interface AmazonCaller {
  token: string;
  profileId?: string;
}

/** One object of a Sponsored Display write's 207 answer. */
export type MultiStatusItem = Record<string, unknown> & { code?: unknown; description?: unknown };

export interface AmazonApi {
  get<T>(caller: AmazonCaller, path: string, query?: Record<string, string>): Promise<T>;
  /** Creates one object (POST a list of one); a lost answer is not sent again. */
  create(
    caller: AmazonCaller,
    path: string,
    object: Record<string, unknown>,
  ): Promise<MultiStatusItem>;
  /** Changes one object (PUT a list of one). */
  update(
    caller: AmazonCaller,
    path: string,
    object: Record<string, unknown>,
  ): Promise<MultiStatusItem>;
  /** A POST whose repetition makes nothing twice (report requests, upload URLs). */
  post<T>(caller: AmazonCaller, path: string, body: unknown, contentType?: string): Promise<T>;
}

export function createAmazonApi(fetch: OutboundFetch, app: AmazonAdsApp): AmazonApi {
  const options = {
    provider: 'Amazon Ads',
    // Sponsored Display ids are int64 numbers, many past 2^53: read them as digit strings.
    parse: parseLossless,
    errorOf: (status: number, body: unknown, headers: Headers) =>
      amazonError(status, body as AmazonErrorBody, headers),
  };
  const send = providerSender(fetch, options);
  const sendOnce = providerSender(fetch, { ...options, retryPosts: false });
  const urlOf = (path: string, query?: Record<string, string>) => apiUrlOf(app.apiUrl, path, query);
  const headers = (caller: AmazonCaller, contentType?: string) => ({
    authorization: `Bearer ${caller.token}`,
    'amazon-advertising-api-clientid': app.clientId ?? '',
    ...(caller.profileId && { 'amazon-advertising-api-scope': caller.profileId }),
    accept: 'application/json',
    ...(contentType && { 'content-type': contentType }),
  });
  const first = (answer: unknown, what: string): MultiStatusItem => {
    const item = Array.isArray(answer) ? (answer[0] as MultiStatusItem | undefined) : undefined;
    if (!item || item.code !== 'SUCCESS') {
      const code = typeof item?.code === 'string' ? ` (${item.code.slice(0, 60)})` : '';
      throw new ProviderError('INVALID_REQUEST', `Amazon Ads refused the ${what}${code}`);
    }
    return item;
  };
  const what = (path: string) => path.split('/').at(-1) ?? 'object';

  return {
    get: (caller, path, query) =>
      send(urlOf(path, query), { method: 'GET', headers: headers(caller) }),
    async create(caller, path, object) {
      const answer = await sendOnce<unknown>(urlOf(path), {
        method: 'POST',
        headers: headers(caller, 'application/json'),
        body: stringifyLossless([object]),
      });
      return first(answer, what(path));
    },
    async update(caller, path, object) {
      const answer = await send<unknown>(urlOf(path), {
        method: 'PUT',
        headers: headers(caller, 'application/json'),
        body: stringifyLossless([object]),
      });
      return first(answer, what(path));
    },
    post: (caller, path, body, contentType = 'application/json') =>
      send(urlOf(path), {
        method: 'POST',
        headers: headers(caller, contentType),
        body: stringifyLossless(body),
      }),
  };
}
