import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyOf, listenFake } from '../listen.js';
import { gzipSync } from 'node:zlib';
import { stringifyLossless } from '../../../platform/lossless-json.js';
import { adsApi, amazonError, reply, type Request } from './ads.js';
import { createAmazonState, type AmazonState, type FakeAmazonOptions } from './state.js';
import { answerConsent } from '../oauth-consent.js';

/*
 * A fake Amazon Ads API over a real socket, written from Amazon's documentation (the Amazon Ads
 * API guides at https://advertising.amazon.com/API/docs/en-us/: "Create an authorization grant",
 * "Access tokens", "Profiles", "Rate limiting", "Errors", Sponsored Display campaigns, ad groups,
 * product ads and creatives, "Creative asset library", "Version 3 reporting"; and the requests
 * and sample answers of Amazon's Postman collection, github.com/amzn/ads-advanced-tools-docs,
 * postman/Amazon_Ads_API.postman_collection.json), so the Amazon adapter runs as it would in
 * production (its base URLs are configuration):
 * - Login with Amazon's consent page (GET /ap/oa?client_id&scope=advertising::campaign_management
 *   &response_type=code&redirect_uri&state), redirecting back with `code`, `scope` and `state`,
 *   or `error=access_denied`;
 * - POST /auth/o2/token with client_id and client_secret in the form: authorization_code (a code
 *   is used once, with its redirect_uri) and refresh_token (the refresh token stays valid until
 *   the grant is removed), answering access_token, refresh_token, token_type and expires_in;
 * - the API (ads.ts) with the token as a bearer, the app's client id in
 *   Amazon-Advertising-API-ClientId and the profile in Amazon-Advertising-API-Scope;
 * - a pre-signed upload URL (PUT /s3/…) and report files (GET /report-files/…), which take no
 *   token: they stand for S3, and record any Authorization header sent to them;
 * - errors as `{code, details}`: 401 for a bad, expired or revoked token or an unknown scope, 400
 *   and 404, 429 with Retry-After, and injected 5xx.
 */

export interface FakeAmazon {
  url: string;
  apiUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  state: AmazonState;
  /** Authorization headers that reached the S3 stand-ins (there should be none). */
  tokensSentToStorage: string[];
  close(): Promise<void>;
}

export async function startFakeAmazon(options: FakeAmazonOptions): Promise<FakeAmazon> {
  const state = createAmazonState(options);
  const tokensSentToStorage: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse, url: string) {
    const at = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    if (at.pathname === '/ap/oa' && method === 'GET') return consent(state, at, res);
    const raw = await bodyOf(req);
    if (at.pathname === '/auth/o2/token' && method === 'POST') {
      const form = new URLSearchParams(raw.toString());
      state.calls.push({ method, path: at.pathname, grant: form.get('grant_type') ?? '' });
      return token(state, form, res);
    }
    if (at.pathname.startsWith('/s3/') || at.pathname.startsWith('/report-files/')) {
      if (req.headers.authorization) tokensSentToStorage.push(req.headers.authorization);
      return storage(state, method, at.pathname, req.headers['content-type'] ?? '', raw, res);
    }
    const path = at.pathname;
    state.calls.push({
      method,
      path,
      headers: {
        clientId: String(req.headers['amazon-advertising-api-clientid'] ?? ''),
        scope: String(req.headers['amazon-advertising-api-scope'] ?? ''),
      },
    });
    const failure = state.takeFailure(path, method);
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      return res.end(JSON.stringify(failure.body));
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grant = state.live(bearer);
    if (!grant || req.headers['amazon-advertising-api-clientid'] !== options.clientId) {
      return reply(res, 401, amazonError('UNAUTHORIZED', 'Not authorized'));
    }
    const request: Request = { method, path, query: at.searchParams, raw, grant, scope: null };
    const scope = req.headers['amazon-advertising-api-scope'];
    if (scope !== undefined) {
      const profileId = Number(scope);
      if (!grant.profileIds.includes(profileId)) {
        return reply(
          res,
          401,
          amazonError('UNAUTHORIZED', `Not authorized to access scope ${String(scope)}`),
        );
      }
      request.scope = profileId;
    }
    return adsApi(state, request, res, url);
  }

  const { url, close } = await listenFake(handle, (res) =>
    reply(res, 500, amazonError('INTERNAL_ERROR', 'Internal error')),
  );
  return {
    url,
    apiUrl: url,
    authorizeUrl: `${url}/ap/oa`,
    tokenUrl: `${url}/auth/o2/token`,
    state,
    tokensSentToStorage,
    close,
  };
}

function consent(state: AmazonState, url: URL, res: ServerResponse) {
  return answerConsent(
    {
      clientId: state.options.clientId,
      redirectUris: state.options.redirectUris,
      scope: 'advertising::campaign_management',
      refusal: 'An unknown client, scope or redirect URI.',
      approves: state.consent === 'approve',
      approved: (redirectUri) => ({
        code: state.issueCode(redirectUri, [...state.consentProfiles]),
        scope: 'advertising::campaign_management',
      }),
      denied: { error_description: 'The user denied the request' },
    },
    url,
    res,
  );
}

function token(state: AmazonState, form: URLSearchParams, res: ServerResponse) {
  const refuse = (error: string) => reply(res, 400, { error, error_description: error });
  if (
    form.get('client_id') !== state.options.clientId ||
    form.get('client_secret') !== state.options.clientSecret
  ) {
    return reply(res, 401, { error: 'invalid_client', error_description: 'Client unknown' });
  }
  let issued: ReturnType<AmazonState['issueTokens']>;
  if (form.get('grant_type') === 'authorization_code') {
    const code = state.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.redirectUri !== form.get('redirect_uri')) {
      return refuse('invalid_grant');
    }
    code.used = true;
    issued = state.issueTokens(code.profileIds);
  } else if (form.get('grant_type') === 'refresh_token') {
    const refreshToken = form.get('refresh_token') ?? '';
    const refresh = state.refreshTokens.get(refreshToken);
    if (!refresh || refresh.revoked) return refuse('invalid_grant');
    issued = state.issueTokens(refresh.profileIds, refreshToken);
  } else {
    return refuse('unsupported_grant_type');
  }
  return reply(res, 200, {
    access_token: issued.token,
    refresh_token: issued.refresh,
    token_type: 'bearer',
    expires_in: issued.seconds,
  });
}

/** The S3 stand-ins: a pre-signed upload takes a file; a report file answers gzip JSON. */
function storage(
  state: AmazonState,
  method: string,
  path: string,
  contentType: string,
  raw: Buffer,
  res: ServerResponse,
) {
  if (method === 'PUT' && path.startsWith('/s3/')) {
    state.uploads.set(path, { bytes: raw.length, type: contentType });
    res.writeHead(200);
    return res.end();
  }
  const report = state.reports.get(path.slice('/report-files/'.length).replace(/\.json\.gz$/, ''));
  if (method !== 'GET' || !report) {
    res.writeHead(403, { 'content-type': 'application/xml' });
    return res.end('<Error><Code>AccessDenied</Code></Error>');
  }
  const rows = state
    .ofKind('adGroup', report.profileId)
    .filter((g) => state.delivered.has(g.id))
    .map((g) => ({
      campaignId: BigInt(String(g.fields.campaignId)),
      adGroupId: BigInt(g.id),
      ...state.delivered.get(g.id),
    }));
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  res.end(gzipSync(Buffer.from(stringifyLossless(rows))));
}
