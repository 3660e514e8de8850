import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { AdServerError } from '../port.js';
import { httpFailure, unreachable } from '../shared/http-errors.js';
import { retrying, type RetryOptions } from '../shared/retry.js';

/*
 * SpringServe's v0 REST API (springserve.atlassian.net/wiki/spaces/SSD/pages/1573617663/
 * API+-+Getting+Started): POST /api/v0/auth with the API user's email and password answers a
 * token that expires after two hours and travels bare in the Authorization header; a pre-minted
 * token is used as is. List endpoints page with `page` (from 1) and `per`, and answer a JSON
 * array (an empty one past the last page). The account is capped at 240 requests a minute and
 * reports at 10 a minute: a 429 is retried with backoff, as is a 5xx; a 401 mid-session
 * re-authenticates once (the token may have expired).
 */

export const springServeProvider = 'SpringServe';

export interface SpringServeCredentials {
  email?: string | undefined;
  password?: string | undefined;
  apiToken?: string | undefined;
}

export interface SpringServeClientOptions extends RetryOptions {
  /** e.g. https://console.springserve.com (/api/v0/… is appended). */
  baseUrl: string;
  credentials: SpringServeCredentials;
  fetch: OutboundFetch;
  now?: () => number;
}

export type Query = Record<string, string | number | Array<string | number> | undefined>;

export interface SpringServeCall {
  <T>(method: string, path: string, input?: { query?: Query; body?: unknown }): Promise<T>;
}

/** The API's error body: `{"error": "…"}`, with `errors` per field on a validation failure. */
function reasonOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const fields =
    record['errors'] && typeof record['errors'] === 'object'
      ? Object.entries(record['errors'] as Record<string, unknown>)
          .map(([field, message]) => `${field} ${String(message)}`)
          .join('; ')
      : '';
  const error = typeof record['error'] === 'string' ? record['error'] : '';
  return [error, fields].filter(Boolean).join(': ') || undefined;
}

export function springServeClient(options: SpringServeClientOptions): SpringServeCall {
  const retry = retrying(options);
  const now = options.now ?? Date.now;
  const base = options.baseUrl.replace(/\/$/, '');
  let cached: { token: string; expiresAt: number } | undefined;

  async function send(method: string, url: string, headers: Record<string, string>, body?: string) {
    try {
      const response = await options.fetch(url, { method, headers, body, timeoutMs: 60_000 });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, ok: response.ok, parsed, text };
    } catch (error) {
      if (error instanceof AdServerError) throw error;
      throw unreachable(springServeProvider);
    }
  }

  async function token(): Promise<string> {
    const { email, password, apiToken } = options.credentials;
    if (!(email && password)) {
      if (apiToken) return apiToken;
      throw new AdServerError(
        'ADAPTER_INVALID_CONFIG',
        'No SpringServe credentials are configured',
      );
    }
    if (cached && cached.expiresAt - 60_000 > now()) return cached.token;
    const answer = await retry(async () => {
      const res = await send(
        'POST',
        `${base}/api/v0/auth`,
        { 'content-type': 'application/json', accept: 'application/json' },
        JSON.stringify({ email, password }),
      );
      if (res.status === 400 || res.status === 401) {
        throw new AdServerError(
          'ADAPTER_INVALID_CREDENTIALS',
          'SpringServe refused the API user’s email and password',
          reasonOf(res.parsed),
        );
      }
      if (!res.ok) throw httpFailure(springServeProvider, res.status, reasonOf(res.parsed));
      return res.parsed as Record<string, unknown> | undefined;
    });
    const minted = answer?.['token'];
    if (typeof minted !== 'string' || !minted) {
      throw new AdServerError(
        'ADAPTER_CONNECTION_FAILED',
        'SpringServe answered the authentication without a token',
        undefined,
        true,
      );
    }
    const expiration = Date.parse(String(answer?.['expiration'] ?? ''));
    // Documented: a token expires after two hours.
    cached = {
      token: minted,
      expiresAt: Number.isNaN(expiration) ? now() + 2 * 3600_000 : expiration,
    };
    return minted;
  }

  const call: SpringServeCall = async <T>(
    method: string,
    path: string,
    input: { query?: Query; body?: unknown } = {},
  ): Promise<T> => {
    const url = new URL(`${base}/api/v0/${path.replace(/^\//, '')}`);
    for (const [name, value] of Object.entries(input.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value))
        for (const v of value) url.searchParams.append(`${name}[]`, String(v));
      else url.searchParams.set(name, String(value));
    }
    const body = input.body === undefined ? undefined : JSON.stringify(input.body);
    let reauthenticated = false;
    return retry(async () => {
      for (;;) {
        const res = await send(
          method,
          url.toString(),
          {
            authorization: await token(),
            accept: 'application/json',
            ...(body !== undefined && { 'content-type': 'application/json' }),
          },
          body,
        );
        if (res.status === 401 && cached && !reauthenticated) {
          // The session token expired (two hours): authenticate again, once.
          cached = undefined;
          reauthenticated = true;
          continue;
        }
        if (!res.ok) throw httpFailure(springServeProvider, res.status, reasonOf(res.parsed));
        if (res.parsed === undefined) {
          throw new AdServerError(
            'ADAPTER_CONNECTION_FAILED',
            `SpringServe's answer to ${method} ${path} is not readable JSON`,
            undefined,
            true,
          );
        }
        return res.parsed as T;
      }
    });
  };
  return call;
}
