import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyOf, listenFake } from '../listen.js';
import { adsApi } from './ads.js';
import { reply, type Request } from './http.js';
import { createPinterestState, type FakePinterestOptions, type PinterestState } from './state.js';
import { answerConsent } from '../oauth-consent.js';

/*
 * A fake Pinterest over a real socket, written from Pinterest's public documentation and its
 * OpenAPI description (https://developers.pinterest.com/docs/api/v5/, github.com/pinterest/
 * api-description v5/openapi.json), so the Pinterest adapter runs as it would in production
 * (its base URLs are configuration):
 * - the consent page (GET /oauth/?client_id&redirect_uri&response_type=code&scope&state) and its
 *   redirect back with `code` and `state`, or `error=access_denied` when the person declines
 *   ("Set up authentication and authorization");
 * - POST /v5/oauth/token with HTTP Basic app credentials: grant_type=authorization_code (a code
 *   is used once, with the redirect_uri it was issued for) and grant_type=refresh_token (the
 *   continuous refresh token is replaced with each use), answering access_token, refresh_token,
 *   expires_in, refresh_token_expires_in and scope;
 * - the ads API with the token as a bearer (ads.ts): /v5/ad_accounts with bookmark paging,
 *   /v5/ad_accounts/{id}, bulk POST and PATCH of campaigns, ad groups and ads answered
 *   {items: [{data, exceptions}]}, GET of a campaign, POST /v5/pins?ad_account_id and the
 *   synchronous ad group analytics;
 * - catalogs, their item batches and batch status (catalogs.ts), for the scopes the person
 *   granted at consent (`scope`, comma-separated);
 * - errors as {code, message}: 401 code 2 for a bad, expired or revoked token, 403 code 29 for
 *   an ad account the user cannot reach, 400 for a refused parameter, and injected 429 (code 8)
 *   rate limits and 5xx.
 */

/** A registered video upload posted to storage (multipart: the upload parameters, then `file`). */
async function storeMedia(state: PinterestState, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const form = await new Response(Buffer.concat(chunks), {
    headers: { 'content-type': req.headers['content-type'] ?? '' },
  })
    .formData()
    .catch(() => undefined);
  const key = form?.get('key');
  const file = form?.get('file');
  const media = [...state.media.values()].find((m) => m.key === key);
  if (!media || !file || typeof file === 'string' || file.size === 0) {
    res.writeHead(400, { 'content-type': 'application/xml' });
    return res.end('<Error><Code>InvalidArgument</Code></Error>');
  }
  media.bytes = file.size;
  media.status = 'processing';
  res.writeHead(204);
  res.end();
}

export interface FakePinterest {
  url: string;
  apiUrl: string;
  authorizeUrl: string;
  state: PinterestState;
  close(): Promise<void>;
}

export async function startFakePinterest(options: FakePinterestOptions): Promise<FakePinterest> {
  const state = createPinterestState(options);
  const { url, close } = await listenFake(
    (req, res) => handle(state, req, res),
    (res) => reply(res, 500, { code: 1, message: 'Internal server error.' }),
  );
  return {
    url,
    apiUrl: `${url}/v5`,
    authorizeUrl: `${url}/oauth/`,
    state,
    close,
  };
}

async function handle(state: PinterestState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  if (url.pathname === '/oauth/' && method === 'GET') return consent(state, url, res);
  // Pinterest's media storage: the registered upload's form, with no API token.
  if (url.pathname === '/media-upload/' && method === 'POST') return storeMedia(state, req, res);
  if (!url.pathname.startsWith('/v5/')) return reply(res, 404, { code: 3, message: 'Not found.' });
  const path = url.pathname.slice('/v5'.length);
  const raw = (await bodyOf(req)).toString();
  if (path === '/oauth/token' && method === 'POST') {
    const form = new URLSearchParams(raw);
    state.calls.push({ method, path, grant: form.get('grant_type') ?? '' });
    return token(state, req, form, res);
  }
  state.calls.push({ method, path });
  const failure = state.takeFailure(path, method);
  if (failure) return reply(res, failure.status, failure.body);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const grant = state.live(bearer);
  if (!grant) return reply(res, 401, { code: 2, message: 'Authentication failed.' });
  let body: unknown = undefined;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    return reply(res, 400, { code: 1, message: 'Invalid JSON body.' });
  }
  const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
  const request: Request = { method, path, query: url.searchParams, body, grant, origin };
  return adsApi(state, request, res);
}

function consent(state: PinterestState, url: URL, res: ServerResponse) {
  return answerConsent(
    {
      clientId: state.options.clientId,
      redirectUris: state.options.redirectUris,
      refusal: 'Invalid client_id, response_type or redirect_uri.',
      approves: state.consent === 'approve',
      approved: (redirectUri, q) => {
        const code = state.issueCode(redirectUri, [...state.consentAccounts]);
        const asked = (q.get('scope') ?? '').split(',').filter(Boolean);
        state.grantScopes.set(
          code,
          asked.filter((s) => !state.declinedScopes.has(s)),
        );
        return { code };
      },
    },
    url,
    res,
  );
}

function token(
  state: PinterestState,
  req: IncomingMessage,
  form: URLSearchParams,
  res: ServerResponse,
) {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const [id, secret] = Buffer.from(basic ?? '', 'base64')
    .toString()
    .split(':');
  if (id !== state.options.clientId || secret !== state.options.clientSecret) {
    return reply(res, 401, { code: 2, message: 'Authentication failed.' });
  }
  let accountIds: string[];
  let responseType: string;
  let scopes: string[];
  if (form.get('grant_type') === 'authorization_code') {
    const code = state.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.redirectUri !== form.get('redirect_uri')) {
      return reply(res, 400, { code: 1, message: 'Invalid authorization code.' });
    }
    code.used = true;
    accountIds = code.accountIds;
    responseType = 'authorization_code';
    scopes = state.scopesOf(form.get('code') ?? '');
  } else if (form.get('grant_type') === 'refresh_token') {
    const refresh = state.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!refresh || refresh.used) {
      return reply(res, 400, { code: 1, message: 'Invalid refresh token.' });
    }
    refresh.used = true;
    accountIds = refresh.accountIds;
    responseType = 'refresh_token';
    scopes = state.scopesOf(form.get('refresh_token') ?? '');
  } else {
    return reply(res, 400, { code: 1, message: 'Unsupported grant_type.' });
  }
  const issued = state.issueTokens(accountIds);
  state.grantScopes.set(issued.token, scopes);
  state.grantScopes.set(issued.refresh, scopes);
  return reply(res, 200, {
    access_token: issued.token,
    refresh_token: issued.refresh,
    response_type: responseType,
    token_type: 'bearer',
    expires_in: issued.seconds,
    refresh_token_expires_in: 60 * 86_400,
    refresh_token_expires_at: Math.floor(Date.now() / 1000) + 60 * 86_400,
    scope: scopes.join(','),
  });
}
