import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyOf, listenFake } from '../listen.js';
import { adsApi } from './ads.js';
import { reply, type Request } from './http.js';
import { createRedditState, type FakeRedditOptions, type RedditState } from './state.js';
import { answerConsent } from '../oauth-consent.js';

/*
 * A fake Reddit over a real socket, written from Reddit's public documentation, so the Reddit
 * adapter runs as it would in production (its base URLs are configuration):
 * - OAuth 2 as github.com/reddit-archive/reddit/wiki/OAuth2 describes it: the consent page
 *   (GET /api/v1/authorize?client_id&response_type=code&state&redirect_uri&duration&scope) and
 *   its redirect back with `code` and `state`, or `error=access_denied`; POST
 *   /api/v1/access_token with HTTP Basic app credentials, grant_type=authorization_code (a code
 *   is used once, with its redirect_uri) and grant_type=refresh_token (the refresh token stays
 *   the same), answering access_token, token_type, expires_in (3600), scope and, for a
 *   permanent grant, refresh_token; POST /api/v1/revoke_token; a request without a descriptive
 *   User-Agent is refused (429 in Reddit's API rules for generic agents; 403 here);
 * - the Ads API v3 (https://ads-api.reddit.com/docs/v3/) with the token as a bearer (ads.ts):
 *   GET /me/businesses, /businesses/{id}/ad_accounts, /ad_accounts/{id} and its /profiles;
 *   campaigns, ad groups and ads created under /ad_accounts/{id} (`{data: {…}}`), listed with
 *   page.size/page.token and `pagination.next_url`; POST /profiles/{id}/posts; GET and PATCH
 *   /campaigns/{id}; POST /ad_accounts/{id}/reports; custom audiences and their users, the
 *   account's pixel and the Conversions API (social.ts, which names its sources); the
 *   business's product catalogs, their product batches and feeds (catalogs.ts, likewise);
 * - errors by HTTP status with `{error: {code, message}}`: 401 for a bad, expired or revoked
 *   token, 403 for an ad account the member cannot reach, 400 for a refused field, 404 for an
 *   unknown object, and injected 429 and 5xx.
 */

export interface FakeReddit {
  url: string;
  apiUrl: string;
  authorizeUrl: string;
  state: RedditState;
  close(): Promise<void>;
}

export async function startFakeReddit(options: FakeRedditOptions): Promise<FakeReddit> {
  const state = createRedditState(options);
  const { url, close } = await listenFake(
    (req, res, base) => handle(state, base, req, res),
    (res) => reply(res, 500, { error: { code: 500, message: 'Internal server error' } }),
  );
  return {
    url,
    apiUrl: `${url}/api/v3`,
    authorizeUrl: `${url}/api/v1/authorize`,
    state,
    close,
  };
}

const generic = (ua: string | undefined) => !ua || /^(node|undici|curl|python)/i.test(ua);

async function handle(
  state: RedditState,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', origin);
  const method = req.method ?? 'GET';
  if (url.pathname === '/api/v1/authorize' && method === 'GET') return consent(state, url, res);
  const raw = (await bodyOf(req)).toString();
  const userAgent = req.headers['user-agent'];
  if (url.pathname.startsWith('/api/v1/') && method === 'POST') {
    const form = new URLSearchParams(raw);
    state.calls.push({
      method,
      path: url.pathname,
      grant: form.get('grant_type') ?? '',
      userAgent,
    });
    if (generic(userAgent)) return reply(res, 403, { error: 403, message: 'Blocked user agent' });
    if (!appAuthenticated(state, req))
      return reply(res, 401, { error: 401, message: 'Unauthorized' });
    if (url.pathname === '/api/v1/access_token') return token(state, form, res);
    if (url.pathname === '/api/v1/revoke_token') {
      const rt = state.refreshTokens.get(form.get('token') ?? '');
      if (rt) {
        rt.used = true;
        for (const t of state.tokens.values()) t.revoked = true;
      }
      res.writeHead(204);
      return res.end();
    }
  }
  if (!url.pathname.startsWith('/api/v3/')) {
    return reply(res, 404, { error: { code: 404, message: 'Not Found' } });
  }
  const path = url.pathname.slice('/api/v3'.length);
  state.calls.push({ method, path, userAgent });
  if (generic(userAgent))
    return reply(res, 403, { error: { code: 403, message: 'Blocked user agent' } });
  const failure = state.takeFailure(path, method);
  if (failure) return reply(res, failure.status, failure.body);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const grant = state.live(bearer);
  if (!grant) return reply(res, 401, { error: { code: 401, message: 'Unauthorized' } });
  let body: unknown = undefined;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    return reply(res, 400, { error: { code: 400, message: 'Invalid JSON body' } });
  }
  const request: Request = { method, path, query: url.searchParams, body, grant, origin };
  return adsApi(state, request, res);
}

function appAuthenticated(state: RedditState, req: IncomingMessage) {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const [id, secret] = Buffer.from(basic ?? '', 'base64')
    .toString()
    .split(':');
  return id === state.options.clientId && secret === state.options.clientSecret;
}

function consent(state: RedditState, url: URL, res: ServerResponse) {
  return answerConsent(
    {
      clientId: state.options.clientId,
      redirectUris: state.options.redirectUris,
      refusal: 'Invalid client_id, response_type or redirect_uri.',
      approves: state.consent === 'approve',
      // A temporary grant gets no refresh token: the code remembers which one was asked for.
      approved: (redirectUri, q) => ({
        code: state.issueCode(redirectUri, [
          ...state.consentAccounts,
          ...(q.get('duration') === 'permanent' ? ['permanent'] : []),
        ]),
      }),
    },
    url,
    res,
  );
}

function token(state: RedditState, form: URLSearchParams, res: ServerResponse) {
  let accountIds: string[];
  let refreshToken: string | undefined;
  if (form.get('grant_type') === 'authorization_code') {
    const code = state.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.redirectUri !== form.get('redirect_uri')) {
      return reply(res, 400, { error: 'invalid_grant' });
    }
    code.used = true;
    accountIds = code.accountIds.filter((a) => a !== 'permanent');
    const issued = state.issueTokens(accountIds);
    if (code.accountIds.includes('permanent')) refreshToken = issued.refresh;
    return reply(res, 200, {
      access_token: issued.token,
      token_type: 'bearer',
      expires_in: issued.seconds,
      scope: 'adsread adsedit adsconversions history',
      ...(refreshToken && { refresh_token: refreshToken }),
    });
  }
  if (form.get('grant_type') === 'refresh_token') {
    const refresh = state.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!refresh || refresh.used) return reply(res, 400, { error: 'invalid_grant' });
    // Reddit keeps the refresh token: only a new access token is answered.
    const issued = state.issueTokens(refresh.accountIds);
    state.refreshTokens.delete(issued.refresh);
    return reply(res, 200, {
      access_token: issued.token,
      token_type: 'bearer',
      expires_in: issued.seconds,
      scope: 'adsread adsedit adsconversions history',
    });
  }
  return reply(res, 400, { error: 'unsupported_grant_type' });
}
