import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { bodyOf, listenFake } from '../listen.js';
import { adsApi, reply, spotifyError, type Request } from './ads.js';
import { createSpotifyState, type FakeSpotifyOptions, type SpotifyState } from './state.js';
import { answerConsent } from '../oauth-consent.js';

/*
 * A fake Spotify over a real socket, written from Spotify's documentation, so the Spotify adapter
 * runs as it would in production (its base URLs are configuration):
 * - Spotify Accounts ("Ads API Quickstart", https://developer.spotify.com/documentation/ads-api/
 *   quick-start, and "Authorization Code Flow" / "Refreshing tokens" of the Web API docs): the
 *   consent page GET /authorize?client_id&response_type=code&redirect_uri&state, redirecting back
 *   with `code` and `state`, or `error=access_denied` and `state`; POST /api/token with the app as
 *   HTTP Basic: grant_type=authorization_code (a code is used once, with its redirect_uri) answers
 *   access_token, token_type Bearer, expires_in 3600, refresh_token, scope; grant_type=
 *   refresh_token answers a new access token and no new refresh token (the old one stays good);
 *   an RFC 6749 `error` (invalid_grant, invalid_client) otherwise;
 * - the Ads API under /ads/v3 with the token as a bearer (ads.ts; "API Design", the v3.0
 *   reference), lists paged by limit/offset, errors as `{error: {code, message}}` with HTTP 400,
 *   401, 403, 404, and injected 429 (with Retry-After) and 5xx.
 */

export interface FakeSpotify {
  url: string;
  apiUrl: string;
  authorizeUrl: string;
  state: SpotifyState;
  close(): Promise<void>;
}

export async function startFakeSpotify(options: FakeSpotifyOptions): Promise<FakeSpotify> {
  const state = createSpotifyState(options);
  const { url, close } = await listenFake(
    (req, res) => handle(state, req, res),
    (res) => reply(res, 500, spotifyError('INTERNAL_ERROR', 'Internal server error')),
  );
  return {
    url,
    apiUrl: `${url}/ads/v3`,
    authorizeUrl: `${url}/authorize`,
    state,
    close,
  };
}

async function handle(state: SpotifyState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  if (url.pathname === '/authorize' && method === 'GET') return consent(state, url, res);
  const raw = await bodyOf(req);
  if (url.pathname === '/api/token' && method === 'POST') {
    const form = new URLSearchParams(raw.toString());
    state.calls.push({ method, path: url.pathname, grant: form.get('grant_type') ?? '' });
    return token(state, req.headers.authorization, form, res);
  }
  if (!url.pathname.startsWith('/ads/v3/')) {
    return reply(res, 404, spotifyError('NOT_FOUND', 'Not found'));
  }
  const path = url.pathname.slice('/ads/v3'.length);
  state.calls.push({ method, path });
  const failure = state.takeFailure(method, path);
  if (failure && !failure.afterActing) {
    return reply(res, failure.status, failure.body, failure.headers);
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const grant = state.live(bearer);
  if (!grant) return reply(res, 401, spotifyError('UNAUTHORIZED', 'Invalid access token'));
  const request: Request = {
    method,
    path,
    query: url.searchParams,
    raw,
    contentType: req.headers['content-type'] ?? '',
    grant,
  };
  if (!failure) return adsApi(state, request, res);
  // The request is carried out, but its answer is lost on the way back.
  await adsApi(state, request, new ServerResponse(new IncomingMessage(new Socket())));
  return reply(res, failure.status, failure.body, failure.headers);
}

function consent(state: SpotifyState, url: URL, res: ServerResponse) {
  return answerConsent(
    {
      clientId: state.options.clientId,
      redirectUris: state.options.redirectUris,
      refusal: 'INVALID_CLIENT: Invalid redirect URI',
      approves: state.consent === 'approve',
      approved: (redirectUri) => ({
        code: state.issueCode(redirectUri, [...state.consentAccounts]),
      }),
    },
    url,
    res,
  );
}

function token(
  state: SpotifyState,
  authorization: string | undefined,
  form: URLSearchParams,
  res: ServerResponse,
) {
  const refuse = (error: string, description: string) =>
    reply(res, 400, { error, error_description: description });
  const basic = Buffer.from(`${state.options.clientId}:${state.options.clientSecret}`).toString(
    'base64',
  );
  if (authorization !== `Basic ${basic}`) {
    return reply(res, 401, { error: 'invalid_client', error_description: 'Invalid client' });
  }
  if (form.get('grant_type') === 'authorization_code') {
    const code = state.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.redirectUri !== form.get('redirect_uri')) {
      return refuse('invalid_grant', 'Invalid authorization code');
    }
    code.used = true;
    const issued = state.issueTokens(code.accountIds, true);
    return reply(res, 200, {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: issued.seconds,
      refresh_token: issued.refresh,
      scope: '',
    });
  }
  if (form.get('grant_type') === 'refresh_token') {
    const refresh = state.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!refresh || refresh.revoked) return refuse('invalid_grant', 'Refresh token revoked');
    const issued = state.issueTokens(refresh.accountIds, false);
    return reply(res, 200, {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: issued.seconds,
      scope: '',
    });
  }
  return refuse('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
}
