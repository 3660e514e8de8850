import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { listenFake } from '../listen.js';
import { createTikTokState, type FakeTikTokOptions, type TikTokState } from './state.js';
import { envelope, ok, refuse, reply } from './envelope.js';
import { catalogApi } from './catalogs.js';
import { socialWrites, trackEvents } from './social.js';
import { writes } from './writes.js';
import { lists } from './lists.js';

/*
 * A fake TikTok API for Business over a real socket, written from TikTok's public documentation
 * (https://business-api.tiktok.com/portal/docs), so the TikTok adapter runs as it would in
 * production (its base URLs are configuration):
 * - the advertiser authorization page (GET /portal/auth?app_id&state&redirect_uri) and its
 *   redirect back with `auth_code` and `state` ("Authorization", docs?id=1738373141733378);
 * - POST /open_api/v1.3/oauth2/access_token/ (app_id, secret, auth_code; a code is used once)
 *   answering a long-term token and its advertiser_ids, POST /oauth2/revoke_token/, and
 *   GET /oauth2/advertiser/get/ with the app's id and secret ("Authentication",
 *   docs?id=1738373164380162; "Get authorized ad accounts", docs?id=1738455508553729);
 * - the Marketing API with the token in the Access-Token header: /advertiser/info/,
 *   /tool/region/, /identity/get|create/, /file/image|video/ad/upload/, /campaign/create/,
 *   /campaign/status/update/, /adgroup/create/, /ad/create/ (writes.ts; a create whose answer
 *   `loseNextAnswer` took is made, then answered 50000), /campaign|adgroup|ad/get/ with
 *   filtering and numbered pages (lists.ts), and the synchronous
 *   report /report/integrated/get/ with numbered pages and page_info ("Campaign",
 *   docs?id=1739318962329602; "Ad group", docs?id=1739499616346114; "Ad",
 *   docs?id=1739953377508354; "Synchronous reports", docs?id=1738864915188737);
 * - catalogs of the advertisers' Business Centers, their products and feeds (catalogs.ts);
 * - every answer in the envelope {code, message, request_id, data}, HTTP 200 even for refusals:
 *   40105 for a bad or revoked token, 40001 for another advertiser, 40002 for a missing
 *   parameter, 40110 for a used auth code, 40101 for wrong app credentials; injected 40100 rate
 *   limits, HTTP 429s and HTTP 500s ("Appendix - Return Codes", docs?id=1737172488964097;
 *   "Rate limits", docs?id=1725359439428610).
 */

export interface FakeTikTok {
  url: string;
  apiUrl: string;
  authorizeUrl: string;
  state: TikTokState;
  close(): Promise<void>;
}

const prefix = '/open_api/v1.3';

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  // A file upload (multipart/form-data): its fields, and the file as {name, text}.
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } })
      .formData()
      .catch(() => undefined);
    const out: Record<string, unknown> = {};
    for (const [k, v] of form ?? []) {
      out[k] = typeof v === 'string' ? v : { name: v.name, text: await v.text() };
    }
    return out;
  }
  if (!raw.length) return {};
  try {
    return JSON.parse(raw.toString()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** GET parameters as TikTok reads them: lists and objects arrive JSON-encoded. */
function queryOf(url: URL): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) {
    try {
      query[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      query[k] = v;
    }
  }
  return query;
}

export async function startFakeTikTok(options: FakeTikTokOptions): Promise<FakeTikTok> {
  const state = createTikTokState(options);
  const { url, close } = await listenFake(
    (req, res) => handle(state, req, res),
    (res) => reply(res, envelope(50000, 'System error'), 500),
  );
  return {
    url,
    apiUrl: `${url}${prefix}`,
    authorizeUrl: `${url}/portal/auth`,
    state,
    close,
  };
}

async function handle(state: TikTokState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  if (url.pathname === '/portal/auth') return authorize(state, url, res);
  if (!url.pathname.startsWith(`${prefix}/`) || !url.pathname.endsWith('/')) {
    return reply(res, envelope(40002, 'Path not found'), 404);
  }
  const path = url.pathname.slice(prefix.length, -1);
  const input = method === 'GET' ? queryOf(url) : await bodyOf(req);
  state.calls.push({ method, path });

  if (path === '/oauth2/access_token' && method === 'POST') return accessToken(state, input, res);
  if (path === '/oauth2/revoke_token' && method === 'POST') {
    if (input.app_id !== state.options.appId || input.secret !== state.options.secret) {
      return refuse(res, 40101, 'Invalid app_id or secret');
    }
    const token = state.tokens.get(String(input.access_token));
    if (token) token.revoked = true;
    return ok(res, {});
  }

  const failure = state.takeFailure(path);
  if (failure) return reply(res, failure.body, failure.status);
  const header = req.headers['access-token'];
  const token = state.live(typeof header === 'string' ? header : undefined);
  if (!token) return refuse(res, 40105, 'Access token is incorrect or has been revoked.');

  if (path === '/oauth2/advertiser/get' && method === 'GET') {
    if (input.app_id !== state.options.appId || input.secret !== state.options.secret) {
      return refuse(res, 40101, 'Invalid app_id or secret');
    }
    return ok(res, {
      list: token.advertiserIds.map((id) => ({
        advertiser_id: id,
        advertiser_name: state.advertisers.find((a) => a.advertiser_id === id)?.name ?? id,
      })),
    });
  }
  if (path === '/advertiser/info' && method === 'GET') {
    const ids = Array.isArray(input.advertiser_ids) ? input.advertiser_ids.map(String) : [];
    if (!ids.length) return refuse(res, 40002, 'advertiser_ids: Missing data for required field.');
    if (ids.some((id) => !token.advertiserIds.includes(id))) {
      return refuse(res, 40001, 'No permission to operate advertiser');
    }
    return ok(res, { list: state.advertisers.filter((a) => ids.includes(a.advertiser_id)) });
  }
  if (path === '/event/track' && method === 'POST') {
    return trackEvents(state, token.advertiserIds, input, res);
  }
  if (catalogApi(state, token, method, path, input, res)) return;
  const advertiserId = String(input.advertiser_id ?? '');
  if (!advertiserId) return refuse(res, 40002, 'advertiser_id: Missing data for required field.');
  if (!token.advertiserIds.includes(advertiserId)) {
    return refuse(res, 40001, 'No permission to operate advertiser');
  }
  const route = `${method} ${path}`;
  const handler = writes[route] ?? lists[route] ?? socialWrites[route];
  if (!handler) return reply(res, envelope(40002, 'Path not found'), 404);
  if (method === 'POST' && state.takeLostAnswer(path)) {
    // Made at TikTok, but its answer is lost: a system error comes back instead.
    handler(state, advertiserId, input, unheard());
    return refuse(res, 50000, 'System error');
  }
  return handler(state, advertiserId, input, res);
}

/** A response nobody reads (the answer a lost create would have had). */
const unheard = () => new ServerResponse(new IncomingMessage(new Socket()));

function authorize(state: TikTokState, url: URL, res: ServerResponse) {
  const q = url.searchParams;
  const redirectUri = q.get('redirect_uri') ?? '';
  const allowed = state.options.redirectUris;
  if (
    q.get('app_id') !== state.options.appId ||
    !redirectUri ||
    (allowed && !allowed.includes(redirectUri))
  ) {
    res.writeHead(400, { 'content-type': 'text/html' });
    return res.end(
      '<p>The redirect URL does not match the advertiser redirect URL of the app.</p>',
    );
  }
  const back = new URL(redirectUri);
  if (state.consent === 'approve') {
    const code = state.issueCode(redirectUri, [...state.consentAdvertisers]);
    back.searchParams.set('auth_code', code);
  }
  back.searchParams.set('state', q.get('state') ?? '');
  res.writeHead(302, { location: back.toString() });
  res.end();
}

function accessToken(state: TikTokState, input: Record<string, unknown>, res: ServerResponse) {
  if (input.app_id !== state.options.appId || input.secret !== state.options.secret) {
    return refuse(res, 40101, 'Invalid app_id or secret');
  }
  const code = state.codes.get(String(input.auth_code ?? ''));
  if (!code || code.used) return refuse(res, 40110, 'Auth code is invalid or has expired');
  code.used = true;
  return ok(res, {
    access_token: state.issueToken(code.advertiserIds),
    advertiser_ids: code.advertiserIds,
    scope: [4, 5, 6, 7],
  });
}
