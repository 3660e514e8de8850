import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyOf, listenFake } from '../listen.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { GaqlError, runGaql } from './gaql.js';
import { mutate } from './mutate.js';
import {
  createGoogleAdsState,
  googleError,
  type FakeGoogleAdsOptions,
  type GoogleAdsState,
} from './state.js';

/*
 * A fake Google (OAuth 2.0 and the Google Ads API's REST interface) over a real socket, written
 * from Google's public documentation, so the Google Ads adapter runs as in production (its base
 * URLs are configuration):
 * - the consent page GET /o/oauth2/v2/auth (client_id, redirect_uri, response_type=code, scope
 *   with https://www.googleapis.com/auth/adwords, state, code_challenge with
 *   code_challenge_method=S256) redirecting back with `code` and `state`, or
 *   `error=access_denied`; POST /token (form: authorization_code with code_verifier checked
 *   against the challenge, a code used once; refresh_token) answering {access_token,
 *   expires_in: 3599, refresh_token, scope, token_type}, refusing with {error: invalid_grant |
 *   invalid_client}; POST /revoke (form: token) ("Using OAuth 2.0 for Web Server
 *   Applications", https://developers.google.com/identity/protocols/oauth2/web-server);
 * - the Google Ads API under /v26 with the `developer-token` header and the Bearer token on
 *   every call and `login-customer-id` to reach a manager's client: GET
 *   customers:listAccessibleCustomers, POST customers/{id}/googleAds:search (pages by
 *   nextPageToken), googleAds:searchStream (an array of batches) with GAQL (gaql.ts), and
 *   googleAds:mutate (mutate.ts) ("REST interface",
 *   https://developers.google.com/google-ads/api/rest/overview; "Access levels and manager
 *   accounts", …/docs/concepts/call-structure#login-customer-id);
 * - errors as Google answers them: the RPC status and a GoogleAdsFailure (authenticationError
 *   OAUTH_TOKEN_INVALID/REVOKED/EXPIRED as 401 UNAUTHENTICATED; authorizationError
 *   USER_PERMISSION_DENIED, CUSTOMER_NOT_ENABLED (a canceled account) and
 *   DEVELOPER_TOKEN_PROHIBITED as 403 PERMISSION_DENIED; queryError as 400 INVALID_ARGUMENT) and
 *   injected 429 RESOURCE_EXHAUSTED (quotaError with
 *   quotaErrorDetails.retryDelay) and 500 INTERNAL ("Handle errors",
 *   …/docs/best-practices/understand-api-errors; "Quotas", …/docs/best-practices/quotas).
 */

export interface FakeGoogleAds {
  url: string;
  apiUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  state: GoogleAdsState;
  close(): Promise<void>;
}

const version = '/v26';

function reply(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A tiny PNG the fake serves as creatives' images (GET /cdn/*.png). */
export const pngBytes = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

export async function startFakeGoogleAds(options: FakeGoogleAdsOptions): Promise<FakeGoogleAds> {
  const state = createGoogleAdsState(options);
  const { url, close } = await listenFake(
    (req, res) => handle(state, req, res),
    (res) => {
      const { status, body } = googleError(
        500,
        'INTERNAL',
        { internalError: 'INTERNAL_ERROR' },
        'Internal error',
      );
      reply(res, body, status);
    },
  );
  return {
    url,
    apiUrl: `${url}${version}`,
    authorizeUrl: `${url}/o/oauth2/v2/auth`,
    tokenUrl: `${url}/token`,
    revokeUrl: `${url}/revoke`,
    state,
    close,
  };
}

async function handle(state: GoogleAdsState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  if (url.pathname === '/o/oauth2/v2/auth') return authorize(state, url, res);
  if (url.pathname.startsWith('/cdn/')) {
    // A path naming "broken" serves bytes that only claim to be a PNG; one naming "large" a
    // photo-sized PNG of 2 MiB (the tiny one's bytes, then padding).
    res.writeHead(200, { 'content-type': 'image/png' });
    if (url.pathname.includes('broken')) return res.end(Buffer.from('not an image'));
    if (url.pathname.includes('large')) {
      return res.end(Buffer.concat([pngBytes, Buffer.alloc((2 << 20) - pngBytes.length)]));
    }
    return res.end(pngBytes);
  }
  if (url.pathname === '/token' && method === 'POST') {
    return token(state, new URLSearchParams((await bodyOf(req)).toString()), res);
  }
  if (url.pathname === '/revoke' && method === 'POST') {
    const form = new URLSearchParams((await bodyOf(req)).toString());
    state.calls.push({ method, path: '/revoke' });
    return state.revoke(form.get('token') ?? '')
      ? reply(res, {})
      : reply(res, { error: 'invalid_token' }, 400);
  }
  if (!url.pathname.startsWith(`${version}/`)) return reply(res, { error: { code: 404 } }, 404);
  return api(state, req, url.pathname.slice(version.length), res);
}

function authorize(state: GoogleAdsState, url: URL, res: ServerResponse) {
  const q = url.searchParams;
  const redirectUri = q.get('redirect_uri') ?? '';
  const allowed = state.options.redirectUris;
  if (
    q.get('client_id') !== state.options.clientId ||
    (allowed && !allowed.includes(redirectUri)) ||
    q.get('response_type') !== 'code' ||
    !(q.get('scope') ?? '').split(' ').includes('https://www.googleapis.com/auth/adwords') ||
    q.get('code_challenge_method') !== 'S256' ||
    !q.get('code_challenge')
  ) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    return res.end('Error 400: invalid_request');
  }
  const back = new URL(redirectUri);
  back.searchParams.set('state', q.get('state') ?? '');
  if (state.consent === 'deny') {
    back.searchParams.set('error', 'access_denied');
  } else {
    const code = `4/${randomBytes(16).toString('base64url')}`;
    state.codes.set(code, {
      redirectUri,
      challenge: q.get('code_challenge')!,
      customers: [...state.consentCustomers],
      used: false,
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', 'https://www.googleapis.com/auth/adwords');
  }
  res.writeHead(302, { location: back.toString() });
  res.end();
}

function token(state: GoogleAdsState, form: URLSearchParams, res: ServerResponse) {
  const grantType = form.get('grant_type') ?? '';
  state.calls.push({ method: 'POST', path: '/token', grantType });
  const failure = state.takeFailure('/token');
  if (failure) return reply(res, failure.body, failure.status);
  if (
    form.get('client_id') !== state.options.clientId ||
    form.get('client_secret') !== state.options.clientSecret
  ) {
    return reply(res, { error: 'invalid_client', error_description: 'Unauthorized' }, 401);
  }
  const grant = (customers: string[], refreshToken?: string) => {
    const issued = state.issue(customers, refreshToken);
    return reply(res, {
      access_token: issued.token,
      expires_in: state.accessTokenSeconds,
      scope: 'https://www.googleapis.com/auth/adwords',
      token_type: 'Bearer',
      ...(refreshToken === undefined && { refresh_token: issued.refreshToken }),
    });
  };
  const invalid = (description: string) =>
    reply(res, { error: 'invalid_grant', error_description: description }, 400);
  if (grantType === 'authorization_code') {
    const code = state.codes.get(form.get('code') ?? '');
    if (!code || code.used) return invalid('Malformed auth code.');
    code.used = true;
    if (code.redirectUri !== form.get('redirect_uri')) return invalid('Bad redirect_uri');
    const challenge = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    if (challenge !== code.challenge) return invalid('Invalid code verifier.');
    return grant(code.customers);
  }
  if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token') ?? '';
    const found = state.refreshable(refreshToken);
    if (!found) return invalid('Token has been expired or revoked.');
    return grant(found.customers, refreshToken);
  }
  return reply(res, { error: 'unsupported_grant_type' }, 400);
}

async function api(state: GoogleAdsState, req: IncomingMessage, path: string, res: ServerResponse) {
  const method = req.method ?? 'GET';
  const raw = method === 'POST' ? (await bodyOf(req)).toString() : '';
  let body: Record<string, unknown> = {};
  try {
    body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  state.calls.push({
    method,
    path,
    developerToken: header('developer-token'),
    loginCustomerId: header('login-customer-id'),
    query: typeof body.query === 'string' ? body.query : undefined,
  });
  const send = (answer: { status: number; body: unknown }) =>
    reply(res, answer.body, answer.status);
  const failure = state.takeFailure(path, raw);
  if (failure) return reply(res, failure.body, failure.status);

  const bearer = /^Bearer (.+)$/.exec(header('authorization') ?? '')?.[1];
  const live = state.live(bearer);
  if (!live.token) {
    return send(
      googleError(
        401,
        'UNAUTHENTICATED',
        { authenticationError: live.error },
        'Request had invalid authentication credentials.',
      ),
    );
  }
  if (header('developer-token') !== state.options.developerToken) {
    return send(
      googleError(
        403,
        'PERMISSION_DENIED',
        { authorizationError: 'DEVELOPER_TOKEN_PROHIBITED' },
        'Developer token is not allowed with this project.',
      ),
    );
  }
  if (path === '/customers:listAccessibleCustomers' && method === 'GET') {
    return reply(res, { resourceNames: live.token.customers.map((id) => `customers/${id}`) });
  }
  const m = /^\/customers\/(\d+)\/googleAds:(search|searchStream|mutate)$/.exec(path);
  if (!m || method !== 'POST')
    return reply(res, { error: { code: 404, status: 'NOT_FOUND' } }, 404);
  const customerId = m[1] ?? '';
  const call = m[2] ?? '';
  if (!reachable(state, live.token.customers, customerId, header('login-customer-id'))) {
    return send(
      googleError(
        403,
        'PERMISSION_DENIED',
        { authorizationError: 'USER_PERMISSION_DENIED' },
        "User doesn't have permission to access customer.",
      ),
    );
  }
  if (state.customers.get(customerId)!.status !== 'ENABLED') {
    return send(
      googleError(
        403,
        'PERMISSION_DENIED',
        { authorizationError: 'CUSTOMER_NOT_ENABLED' },
        "The customer account can't be accessed because it is not yet enabled or has been deactivated.",
      ),
    );
  }
  if (call === 'mutate') {
    const operations = Array.isArray(body.mutateOperations) ? body.mutateOperations : [];
    state.mutations.push({ customerId, mutateOperations: operations });
    if (state.mutateDelayMs > 0) await sleep(state.mutateDelayMs);
    const answer = mutate(state, customerId, body);
    if (state.loseNextMutateAnswer) {
      state.loseNextMutateAnswer = false;
      return send(googleError(503, 'UNAVAILABLE', { internalError: 'TRANSIENT_ERROR' }, 'Lost'));
    }
    return send(answer);
  }
  let rows: unknown[];
  try {
    rows = runGaql(state, customerId, String(body.query ?? ''));
  } catch (error) {
    if (!(error instanceof GaqlError)) throw error;
    return send(
      googleError(400, 'INVALID_ARGUMENT', { queryError: 'UNRECOGNIZED_FIELD' }, error.message),
    );
  }
  if (call === 'searchStream') {
    const batches = [];
    for (let i = 0; i === 0 || i < rows.length; i += 10_000) {
      batches.push({
        results: rows.slice(i, i + 10_000),
        requestId: randomBytes(8).toString('hex'),
      });
    }
    return reply(res, batches);
  }
  const offset = Number(body.pageToken ?? 0) || 0;
  const page = rows.slice(offset, offset + state.pageSize);
  const more = offset + state.pageSize < rows.length;
  return reply(res, {
    results: page,
    ...(more && { nextPageToken: String(offset + state.pageSize) }),
  });
}

/**
 * Whether the user reaches the customer: directly (login-customer-id absent or the customer
 * itself), or through a manager it reaches directly named in login-customer-id.
 */
function reachable(state: GoogleAdsState, direct: string[], customerId: string, login?: string) {
  if (!state.customers.has(customerId)) return false;
  if (!login || login === customerId) return direct.includes(customerId);
  const manager = state.customers.get(login);
  return (
    direct.includes(login) && manager?.manager === true && manager.clients.includes(customerId)
  );
}
