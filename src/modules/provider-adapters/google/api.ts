import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { GoogleAdsApp } from '../../../provider-config.js';
import { ProviderError } from '../errors.js';
import { providerSender } from '../shared/provider-http.js';

/*
 * The Google Ads API's REST interface as the Google adapter calls it (the version is in the
 * configured base URL, v26 by default; "REST interface",
 * https://developers.google.com/google-ads/api/rest/overview): every call carries the OAuth
 * token (`Authorization: Bearer`), the app's `developer-token`, and, when the account is reached
 * through a manager account, that manager's id as `login-customer-id`. Reads are GAQL:
 * POST customers/{id}/googleAds:search (pages by `nextPageToken`) and googleAds:searchStream
 * (one answer, an array of batches); writes are POST customers/{id}/googleAds:mutate, atomic
 * unless partialFailure is asked for (it never is here). JSON answers name fields in
 * lowerCamelCase and carry int64 values as strings.
 *
 * Errors ("Handle errors", https://developers.google.com/google-ads/api/docs/best-practices/
 * understand-api-errors; "API limits and quotas", …/docs/best-practices/quotas): the Google RPC
 * status in `error.status` (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED,
 * INVALID_ARGUMENT, INTERNAL, UNAVAILABLE…) with a GoogleAdsFailure in `error.details` whose
 * errors carry an `errorCode` (e.g. {quotaError: 'RESOURCE_EXHAUSTED'},
 * {authenticationError: 'OAUTH_TOKEN_REVOKED'}) and, for quota errors,
 * `details.quotaErrorDetails.retryDelay` ("30s").
 */

interface GoogleAdsErrorEntry {
  errorCode?: Record<string, unknown>;
  details?: { quotaErrorDetails?: { retryDelay?: unknown } };
}

interface GoogleErrorBody {
  error?: {
    code?: unknown;
    status?: unknown;
    details?: Array<{ '@type'?: unknown; errors?: GoogleAdsErrorEntry[]; retryDelay?: unknown }>;
  };
}

/** The GoogleAdsFailure's error codes, e.g. ['authenticationError:OAUTH_TOKEN_REVOKED']. */
function errorCodesOf(body: GoogleErrorBody): string[] {
  const codes: string[] = [];
  for (const detail of body.error?.details ?? []) {
    for (const entry of detail.errors ?? []) {
      for (const [kind, value] of Object.entries(entry.errorCode ?? {})) {
        codes.push(`${kind}:${String(value)}`);
      }
    }
  }
  return codes;
}

/** Seconds from a protobuf Duration in JSON ("30s", "1.5s"), else undefined. */
function secondsOf(duration: unknown): number | undefined {
  if (typeof duration !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(duration);
  return match ? Math.max(1, Math.ceil(Number(match[1]))) : undefined;
}

function retryDelayOf(body: GoogleErrorBody): number | undefined {
  for (const detail of body.error?.details ?? []) {
    const direct = secondsOf(detail.retryDelay);
    if (direct !== undefined) return direct;
    for (const entry of detail.errors ?? []) {
      const delay = secondsOf(entry.details?.quotaErrorDetails?.retryDelay);
      if (delay !== undefined) return delay;
    }
  }
  return undefined;
}

const grantLostCodes = new Set([
  'authenticationError:OAUTH_TOKEN_INVALID',
  'authenticationError:OAUTH_TOKEN_REVOKED',
  'authenticationError:OAUTH_TOKEN_DISABLED',
  'authenticationError:NOT_ADS_USER',
  'authorizationError:USER_PERMISSION_DENIED',
  'authorizationError:ACTION_NOT_PERMITTED',
]);

export function googleAdsError(status: number, body: GoogleErrorBody): ProviderError | null {
  if (status >= 200 && status < 300) return null;
  const rpc = typeof body.error?.status === 'string' ? body.error.status : '';
  const codes = errorCodesOf(body);
  if (status === 429 || rpc === 'RESOURCE_EXHAUSTED' || codes.some((c) => c.startsWith('quota'))) {
    return new ProviderError('RATE_LIMITED', 'Google Ads is rate limiting this app; retry later', {
      retryable: true,
      retryAfterSeconds: retryDelayOf(body) ?? 30,
    });
  }
  if (codes.includes('authenticationError:OAUTH_TOKEN_EXPIRED')) {
    // The grant is fine: the next call refreshes the access token first.
    return new ProviderError('AUTH_REQUIRED', 'The Google Ads access token expired; retry', {
      retryable: true,
    });
  }
  if (codes.some((c) => c.includes(':DEVELOPER_TOKEN'))) {
    return new ProviderError(
      'SERVICE_UNAVAILABLE',
      "Google Ads refused this instance's developer token (INTERCHANGE_GOOGLE_DEVELOPER_TOKEN)",
    );
  }
  if (codes.includes('authorizationError:CUSTOMER_NOT_ENABLED')) {
    // A canceled or unfinished account: the grant is fine, this account cannot be used.
    return new ProviderError('ACCOUNT_SUSPENDED', 'This Google Ads account is not enabled');
  }
  if (status === 401 || rpc === 'UNAUTHENTICATED' || codes.some((c) => grantLostCodes.has(c))) {
    return new ProviderError(
      'AUTH_REQUIRED',
      'The Google Ads connection has lost its authorization',
      {
        grantLost: true,
      },
    );
  }
  if (status >= 500 || rpc === 'INTERNAL' || rpc === 'UNAVAILABLE' || rpc === 'DEADLINE_EXCEEDED') {
    return new ProviderError('SERVICE_UNAVAILABLE', 'Google Ads is temporarily unavailable', {
      retryable: true,
    });
  }
  if (status === 403 || rpc === 'PERMISSION_DENIED') {
    return new ProviderError(
      'AUTH_REQUIRED',
      'The Google Ads connection may not act on this account; its operator must reconnect',
      { grantLost: true },
    );
  }
  const first = codes[0] ? ` (${codes[0]})` : '';
  return new ProviderError('INVALID_REQUEST', `Google Ads refused this request${first}`);
}

/** A GAQL row as the REST interface answers it: nested lowerCamelCase objects. */
export type GaqlRow = Record<string, Record<string, unknown> | undefined>;

/** Whom a call acts for: the account, and the manager it is reached through (if any). */
export interface GoogleAdsCaller {
  token: string;
  customerId: string;
  loginCustomerId?: string | undefined;
}

export interface GoogleAdsApi {
  listAccessibleCustomers(token: string): Promise<string[]>;
  /** Every row of a GAQL query (googleAds:search, following nextPageToken), up to `limit`. */
  search(caller: GoogleAdsCaller, query: string, limit?: number): Promise<GaqlRow[]>;
  /** Every row of a GAQL report query in one streamed answer (googleAds:searchStream). */
  searchStream(caller: GoogleAdsCaller, query: string): Promise<GaqlRow[]>;
  /** One atomic googleAds:mutate; answers each operation's result resource name, in order. */
  mutate(caller: GoogleAdsCaller, operations: Array<Record<string, unknown>>): Promise<string[]>;
}

export function createGoogleAdsApi(
  fetch: OutboundFetch,
  app: GoogleAdsApp,
  options: { timeoutMs?: number; rateLimitRetryMs?: number } = {},
): GoogleAdsApi {
  const send = providerSender(fetch, {
    provider: 'Google Ads',
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    // RESOURCE_TEMPORARILY_EXHAUSTED often passes a second later; a longer limit is reported.
    rateLimitRetryMs: options.rateLimitRetryMs ?? 1000,
    errorOf: (status, body) => googleAdsError(status, body as GoogleErrorBody),
  });
  const headers = (token: string, loginCustomerId?: string): Record<string, string> => {
    if (!app.developerToken) {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        'Google Ads is not configured on this instance (INTERCHANGE_GOOGLE_DEVELOPER_TOKEN)',
      );
    }
    return {
      authorization: `Bearer ${token}`,
      'developer-token': app.developerToken,
      'content-type': 'application/json',
      ...(loginCustomerId && { 'login-customer-id': loginCustomerId }),
    };
  };
  const digits = (id: string) => {
    if (!/^\d{1,20}$/.test(id)) throw new ProviderError('INVALID_REQUEST', 'Not a customer id');
    return id;
  };
  const post = <T>(caller: GoogleAdsCaller, method: string, body: Record<string, unknown>) =>
    send<T>(`${app.apiUrl}/customers/${digits(caller.customerId)}/googleAds:${method}`, {
      method: 'POST',
      headers: headers(caller.token, caller.loginCustomerId),
      body: JSON.stringify(body),
    });

  return {
    async listAccessibleCustomers(token) {
      const answer = await send<{ resourceNames?: unknown }>(
        `${app.apiUrl}/customers:listAccessibleCustomers`,
        { method: 'GET', headers: headers(token) },
      );
      return (Array.isArray(answer.resourceNames) ? answer.resourceNames : [])
        .map((name) => /^customers\/(\d+)$/.exec(String(name))?.[1])
        .filter((id): id is string => id !== undefined);
    },
    async search(caller, query, limit = 10_000) {
      const rows: GaqlRow[] = [];
      let pageToken: string | undefined;
      do {
        const page: { results?: GaqlRow[]; nextPageToken?: string } = await post(caller, 'search', {
          query,
          ...(pageToken && { pageToken }),
        });
        rows.push(...(page.results ?? []));
        pageToken = page.nextPageToken || undefined;
      } while (pageToken && rows.length < limit);
      return rows.slice(0, limit);
    },
    async searchStream(caller, query) {
      const batches = await post<Array<{ results?: GaqlRow[] }> | { results?: GaqlRow[] }>(
        caller,
        'searchStream',
        { query },
      );
      return (Array.isArray(batches) ? batches : [batches]).flatMap((b) => b.results ?? []);
    },
    async mutate(caller, operations) {
      const answer = await post<{ mutateOperationResponses?: Array<Record<string, unknown>> }>(
        caller,
        'mutate',
        { mutateOperations: operations, partialFailure: false },
      );
      return (answer.mutateOperationResponses ?? []).map((response) => {
        const result = Object.values(response)[0] as { resourceName?: unknown } | undefined;
        return typeof result?.resourceName === 'string' ? result.resourceName : '';
      });
    },
  };
}

/** A GAQL string literal (single-quoted, backslash-escaped). */
export const gaqlString = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/** A GAQL LIKE pattern matching `value` anywhere ([, ], % and _ are escaped by brackets). */
export const gaqlContains = (value: string) =>
  gaqlString(`%${value.replace(/[[\]%_]/g, (c) => `[${c}]`)}%`);

/** The id at the end of a resource name (customers/1/campaigns/2 → 2). */
export const idOfResource = (resourceName: string) => resourceName.split('/').at(-1) ?? '';
