import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyOf, listenFake } from '../listen.js';
import { adsApi } from './ads.js';
import { reply, snapError, type Request } from './http.js';
import { conversionsApi } from './conversions.js';
import { createSnapState, type FakeSnapOptions, type SnapState } from './state.js';
import { answerConsent } from '../oauth-consent.js';

/*
 * A fake Snap over a real socket, written from Snap's Marketing API documentation
 * (https://developers.snap.com/api/marketing-api/Ads-API/: "Authentication", "API Patterns",
 * "Organizations", "Ad Accounts", "Campaigns", "Ad Squads", "Media", "Creatives", "Ads",
 * "Measurement", "Errors", "Rate Limits"), so the Snap adapter runs as it would in production (its
 * base URLs are configuration):
 * - the consent page (GET /login/oauth2/authorize?client_id&redirect_uri&response_type=code&
 *   scope=snapchat-marketing-api&state) and its redirect back with `code` and `state`, or
 *   `error=access_denied`;
 * - POST /login/oauth2/access_token with client_id and client_secret in the form:
 *   grant_type=authorization_code (a code is used once, with its redirect_uri) and
 *   grant_type=refresh_token (a refresh token is used once and replaced), answering
 *   access_token, token_type, expires_in, refresh_token and scope; an RFC 6749 `error` otherwise;
 * - the API under /v1 with the token as a bearer (ads.ts), objects wrapped in lists under their
 *   plural name and answered with a sub_request_status each;
 * - errors as {request_status: ERROR, debug_message, display_message, error_code}: 401 for a bad,
 *   expired or revoked token, 403 for an ad account the user cannot reach, 400 and 404, and
 *   injected 429s and 5xx;
 * - customer-list segments and the account's pixel ("Customer Lists", "Snap Pixel": social.ts),
 *   the organization's product catalogs and their feeds ("Dynamic Product Ads Guide":
 *   catalogs.ts) and the Conversions API v3 under /v3 ("Using the API", "Parameters", "Verify
 *   Set Up": conversions.ts), with the same injected failures.
 */

export interface FakeSnap {
  url: string;
  apiUrl: string;
  /** The Conversions API's base (tr.snapchat.com/v3 at Snap). */
  conversionsUrl: string;
  authorizeUrl: string;
  state: SnapState;
  close(): Promise<void>;
}

export async function startFakeSnap(options: FakeSnapOptions): Promise<FakeSnap> {
  const state = createSnapState(options);
  const { url, close } = await listenFake(
    (req, res) => handle(state, req, res),
    (res) => reply(res, 500, snapError('E5000', 'Internal server error')),
  );
  return {
    url,
    apiUrl: `${url}/v1`,
    conversionsUrl: `${url}/v3`,
    authorizeUrl: `${url}/login/oauth2/authorize`,
    state,
    close,
  };
}

async function handle(state: SnapState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  if (url.pathname === '/login/oauth2/authorize' && method === 'GET') {
    return consent(state, url, res);
  }
  const raw = await bodyOf(req);
  if (url.pathname === '/login/oauth2/access_token' && method === 'POST') {
    const form = new URLSearchParams(raw.toString());
    state.calls.push({ method, path: url.pathname, grant: form.get('grant_type') ?? '' });
    return token(state, form, res);
  }
  if (url.pathname.startsWith('/v3/')) {
    // The Conversions API (tr.snapchat.com/v3): its token rides in the query, not recorded here.
    state.calls.push({ method, path: url.pathname });
    const failure = state.takeFailure(url.pathname, method);
    if (failure) return reply(res, failure.status, failure.body);
    const path = url.pathname.slice('/v3'.length);
    if (conversionsApi(state, method, path, url.searchParams, raw, res)) return;
    return reply(res, 404, { status: 'INVALID', reason: 'Not found' });
  }
  if (!url.pathname.startsWith('/v1/')) return reply(res, 404, snapError('E3003', 'Not found'));
  const path = url.pathname.slice('/v1'.length);
  state.calls.push({ method, path });
  const failure = state.takeFailure(path, method);
  if (failure) return reply(res, failure.status, failure.body);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const grant = state.live(bearer);
  if (!grant) return reply(res, 401, snapError('E1002', 'Unauthorized'));
  const request: Request = {
    method,
    path,
    query: url.searchParams,
    raw,
    contentType: req.headers['content-type'] ?? '',
    grant,
    origin: `http://${req.headers.host ?? 'fake'}`,
  };
  return adsApi(state, request, res);
}

function consent(state: SnapState, url: URL, res: ServerResponse) {
  return answerConsent(
    {
      clientId: state.options.clientId,
      redirectUris: state.options.redirectUris,
      scope: 'snapchat-marketing-api',
      refusal: 'Invalid client_id, scope or redirect_uri.',
      approves: state.consent === 'approve',
      approved: (redirectUri) => ({
        code: state.issueCode(redirectUri, [...state.consentAccounts]),
      }),
    },
    url,
    res,
  );
}

function token(state: SnapState, form: URLSearchParams, res: ServerResponse) {
  const refuse = (error: string) => reply(res, 400, { error, error_description: error });
  if (
    form.get('client_id') !== state.options.clientId ||
    form.get('client_secret') !== state.options.clientSecret
  ) {
    return reply(res, 401, { error: 'invalid_client' });
  }
  let accountIds: string[];
  if (form.get('grant_type') === 'authorization_code') {
    const code = state.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.redirectUri !== form.get('redirect_uri')) {
      return refuse('invalid_grant');
    }
    code.used = true;
    accountIds = code.accountIds;
  } else if (form.get('grant_type') === 'refresh_token') {
    const refresh = state.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!refresh || refresh.used) return refuse('invalid_grant');
    refresh.used = true;
    accountIds = refresh.accountIds;
  } else {
    return refuse('unsupported_grant_type');
  }
  const issued = state.issueTokens(accountIds);
  return reply(res, 200, {
    access_token: issued.token,
    token_type: 'Bearer',
    expires_in: issued.seconds,
    refresh_token: issued.refresh,
    scope: 'snapchat-marketing-api',
  });
}
