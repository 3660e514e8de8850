import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { readXml, XmlReadError, type XmlNode } from '../shared/xml-reader.js';
import { AdServerError } from '../port.js';
import { httpFailure, unreachable } from '../shared/http-errors.js';
import { retrying, type RetryOptions } from '../shared/retry.js';

/*
 * FreeWheel's Publisher (MRM) API as the publisher's API user (api-docs.freewheel.tv/publisher/
 * docs/getting-started and …/getting-started-with-authentication): an OAuth 2.0 token from
 * POST /auth/token (form-encoded; the client-credentials grant with client_id and client_secret,
 * or the legacy password grant with username and password) answering {access_token, token_type,
 * expires_in} (seven days), sent as `Authorization: Bearer …`; a pre-minted token is used as is.
 * V4 resources speak JSON, V1-V3 resources XML only, and every request names its media type in
 * both Content-Type and Accept. FreeWheel asks clients to stay under 20 requests a second: a 429
 * is retried with backoff, as is a 5xx; a 401 mid-session mints a token again, once.
 */

export const freeWheelProvider = 'FreeWheel';

export interface FreeWheelCredentials {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  apiToken?: string | undefined;
}

export interface FreeWheelClientOptions extends RetryOptions {
  /** e.g. https://api.freewheel.tv (/auth/token, /services/v4/…, /v3/… are appended). */
  baseUrl: string;
  credentials: FreeWheelCredentials;
  fetch: OutboundFetch;
  now?: () => number;
}

export type Query = Record<string, string | number | undefined>;

export interface FreeWheelClient {
  /** A V4 JSON resource. */
  json<T>(method: string, path: string, input?: { query?: Query; body?: unknown }): Promise<T>;
  /** A V3 XML resource: the answer's root element, parsed (`lists` name repeated elements). */
  xml(
    method: string,
    path: string,
    input?: { query?: Query; body?: string; lists?: ReadonlySet<string> },
  ): Promise<XmlNode>;
}

/** FreeWheel's error bodies: JSON `{errors: [...]}`/`{message}`, or XML `<errors><error>`. */
function reasonOf(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('{')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      const errors = Array.isArray(body['errors']) ? body['errors'].map(String).join('; ') : '';
      const message = typeof body['message'] === 'string' ? body['message'] : '';
      const error = typeof body['error'] === 'string' ? body['error'] : '';
      return [error, message, errors].filter(Boolean).join(': ') || undefined;
    } catch {
      return undefined;
    }
  }
  const errors = [...trimmed.matchAll(/<error>([^<]{1,300})<\/error>/g)].map((m) => m[1]);
  return errors.length ? errors.join('; ') : undefined;
}

export function freeWheelClient(options: FreeWheelClientOptions): FreeWheelClient {
  const retry = retrying(options);
  const now = options.now ?? Date.now;
  const base = options.baseUrl.replace(/\/$/, '');
  let cached: { token: string; expiresAt: number } | undefined;

  async function send(method: string, url: string, headers: Record<string, string>, body?: string) {
    try {
      const response = await options.fetch(url, { method, headers, body, timeoutMs: 60_000 });
      return { status: response.status, ok: response.ok, text: await response.text() };
    } catch (error) {
      if (error instanceof AdServerError) throw error;
      throw unreachable(freeWheelProvider);
    }
  }

  /** The form of the grant the configured credentials allow, or undefined for a pre-minted token. */
  function grant(): URLSearchParams | undefined {
    const { clientId, clientSecret, username, password } = options.credentials;
    if (clientId && clientSecret) {
      return new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      });
    }
    if (username && password) {
      return new URLSearchParams({ grant_type: 'password', username, password });
    }
    return undefined;
  }

  async function token(): Promise<string> {
    const form = grant();
    if (!form) {
      if (options.credentials.apiToken) return options.credentials.apiToken;
      throw new AdServerError('ADAPTER_INVALID_CONFIG', 'No FreeWheel credentials are configured');
    }
    if (cached && cached.expiresAt - 60_000 > now()) return cached.token;
    const answer = await retry(async () => {
      const res = await send(
        'POST',
        `${base}/auth/token`,
        { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        form.toString(),
      );
      if (res.status === 400 || res.status === 401) {
        throw new AdServerError(
          'ADAPTER_INVALID_CREDENTIALS',
          'FreeWheel refused the API credentials',
          reasonOf(res.text),
        );
      }
      if (!res.ok) throw httpFailure(freeWheelProvider, res.status, reasonOf(res.text));
      try {
        return JSON.parse(res.text) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    });
    const minted = answer?.['access_token'];
    if (typeof minted !== 'string' || !minted) {
      throw new AdServerError(
        'ADAPTER_CONNECTION_FAILED',
        'FreeWheel answered the token request without a token',
        undefined,
        true,
      );
    }
    const seconds = Number(answer?.['expires_in']);
    // Documented: a bearer token lasts seven days (604800 seconds).
    cached = {
      token: minted,
      expiresAt: now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 604_800) * 1000,
    };
    return minted;
  }

  /** One request with its retries; a 401 on a minted token mints another once. */
  async function request(
    method: string,
    url: string,
    mediaType: string,
    body: string | undefined,
  ): Promise<string> {
    let reauthenticated = false;
    return retry(async () => {
      for (;;) {
        const res = await send(
          method,
          url,
          {
            authorization: `Bearer ${await token()}`,
            accept: mediaType,
            'content-type': mediaType,
          },
          body,
        );
        if (res.status === 401 && cached && !reauthenticated) {
          cached = undefined;
          reauthenticated = true;
          continue;
        }
        if (!res.ok) throw httpFailure(freeWheelProvider, res.status, reasonOf(res.text));
        return res.text;
      }
    });
  }

  const urlOf = (path: string, query: Query = {}) => {
    const url = new URL(`${base}/${path.replace(/^\//, '')}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  };

  const unreadable = (method: string, path: string) =>
    new AdServerError(
      'ADAPTER_CONNECTION_FAILED',
      `FreeWheel's answer to ${method} ${path} is not readable`,
      undefined,
      true,
    );

  return {
    async json<T>(method: string, path: string, input: { query?: Query; body?: unknown } = {}) {
      const body = input.body === undefined ? undefined : JSON.stringify(input.body);
      const text = await request(method, urlOf(path, input.query), 'application/json', body);
      try {
        return (text ? JSON.parse(text) : null) as T;
      } catch {
        throw unreadable(method, path);
      }
    },
    async xml(method, path, input = {}) {
      const text = await request(method, urlOf(path, input.query), 'application/xml', input.body);
      try {
        return text.trim() ? readXml(text, input.lists) : {};
      } catch (error) {
        if (error instanceof XmlReadError) throw unreadable(method, path);
        throw error;
      }
    },
  };
}
