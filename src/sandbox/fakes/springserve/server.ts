import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkRatios,
  createCampaign,
  createDemandTag,
  createVideo,
  deleteDemandTag,
  deliveryRows,
  makeAccount,
  pageOf,
  ValidationError,
  type FakeAccount,
  type Obj,
} from './account.js';

/*
 * A fake SpringServe (Magnite) v0 API over a real loopback socket, written from its public
 * documentation:
 * - springserve.atlassian.net/wiki/spaces/SSD/pages/1573617663/API+-+Getting+Started: base URL,
 *   POST /api/v0/auth with email and password (JSON in the wiki's examples, form-encoded in the
 *   OpenAPI document: both accepted) answering {token, expiration}, a token that expires after
 *   two hours and travels bare in the Authorization header (or as `Bearer`), and the caps of
 *   240 requests a minute per account and 10 a minute to the reporting endpoint;
 * - the v0 OpenAPI document served at console.springserve.com/api-docs (Auth, Accounts
 *   current, Supply Tags, Demand Partners, Keys and values, Campaigns, Demand Tags and their
 *   demand_tag_keys, Tag Creatives, Videos, Report): list endpoints paged by `page` (from 1) and
 *   `per`, answering a JSON array; errors as {"error": …} with `errors` per field on validation;
 *   a line item's `line_item_ratios` ({creative_id, ratio}) and `format: video`;
 * - springserve.atlassian.net/wiki/spaces/SSD/pages/2202042358/Video+Creative+API
 *   (POST /api/v0/videos with `demand_partner_id`, `name` and `creative_remote_url`: a video
 *   registered by its URL, answered with its id and `creative_content_type`; GET /videos/{id})
 *   and …/3641147393/Tag+Creative+API (`vast_endpoint_url`, a VAST tag's URL);
 * - springserve.atlassian.net/wiki/spaces/SSD/pages/1585119232/Supply (a supply tag's
 *   environment: Desktop, Mobile Web, In-App or Connected TV; the API's `environment` values
 *   other than `desktop`, which the OpenAPI examples show, are our reading of those labels);
 * - springserve.atlassian.net/wiki/spaces/SSD/pages/1588035581/Demand+Tag+API (demand tag
 *   bodies, demand_tag_priorities) and …/1588035603/Reporting+API (POST /api/v0/report with
 *   start_date, end_date, interval, dimensions; rows with `date`; `page` for the next page).
 * The status codes of permission, rate-limit and validation failures (403, 429, 422) are not in
 * those pages: they are the usual Rails answers, checked against documentation only.
 */

export interface FakeUser {
  password: string;
  /** False: the user belongs to no account (GET /accounts/current answers 404). */
  hasAccount?: boolean;
  /** False: reads of supply and campaigns answer 403. */
  canRead?: boolean;
}

export interface FakeSpringServe {
  url: string;
  account: FakeAccount;
  users: Map<string, FakeUser>;
  /** A token as the console mints one for a user (the hosted `apiToken` path). */
  mintToken(email: string): string;
  /** The next `times` requests matching `METHOD path` (e.g. `GET supply_tags`) answer `status`. */
  failNext(route: string, status: 429 | 500 | 503, times?: number): void;
  /** A demand tag whose name contains this is refused with a validation error. */
  refuseDemandTagsNamed?: string;
  /** Ends every session now, as the two-hour expiry would. */
  expireTokens(): void;
  /** Requests per minute per token before a 429 (documented: 240). */
  ratePerMinute: number;
  /** Rows per report page (500 unless a test shrinks it to make many pages). */
  reportPageSize: number;
  /** POST /report calls answered. */
  reportPages: number;
  /** Rows put at the head of every report (a test's malformed rows); none unless a test sets them. */
  leadingReportRows: Array<Record<string, unknown>>;
  /** Successful POST /api/v0/auth calls. */
  authentications: number;
  calls: Array<{ method: string; route: string; query: string }>;
  /** Every Authorization header and body received. */
  received: string[];
  close(): Promise<void>;
}

const twoHours = 2 * 3600_000;

export async function startFakeSpringServe(options: { supplyTags?: number } = {}) {
  const account = makeAccount(options.supplyTags ?? 0);
  const tokens = new Map<string, { email: string; expiresAt: number }>();
  const failures: Array<{ route: string; status: number; times: number }> = [];
  const windows = new Map<string, number[]>();
  const fake: FakeSpringServe = {
    url: '',
    account,
    users: new Map([['ops+api@sportsnews.example', { password: 'correct horse battery' }]]),
    mintToken(email) {
      const token = randomBytes(12).toString('hex');
      tokens.set(token, { email, expiresAt: Date.now() + twoHours });
      return token;
    },
    failNext(route, status, times = 1) {
      failures.push({ route, status, times });
    },
    expireTokens() {
      for (const session of tokens.values()) session.expiresAt = 0;
    },
    ratePerMinute: 240,
    reportPageSize: 500,
    reportPages: 0,
    leadingReportRows: [],
    authentications: 0,
    calls: [],
    received: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function readBody(req: IncomingMessage): Promise<Obj> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    fake.received.push(text);
    if (!text) return {};
    if (String(req.headers['content-type']).includes('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(text));
    }
    return JSON.parse(text) as Obj;
  }

  function authenticate(body: Obj, res: ServerResponse) {
    const user = fake.users.get(String(body['email'] ?? ''));
    if (!user || user.password !== body['password']) {
      return send(res, 400, { error: 'Invalid email or password' });
    }
    fake.authentications++;
    const token = fake.mintToken(String(body['email']));
    return send(res, 200, {
      token,
      expiration: new Date(tokens.get(token)!.expiresAt).toISOString(),
    });
  }

  /** The route's answer, or undefined for an unknown route (404). */
  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Obj,
    user: FakeUser,
  ): [number, unknown] | undefined {
    const page = Math.max(1, Number(query.get('page') ?? 1));
    const per = Math.min(1000, Math.max(1, Number(query.get('per') ?? 10)));
    const list = (map: Map<number, Obj>, filter?: (o: Obj) => boolean): [number, unknown] => [
      200,
      pageOf(map, page, per, filter),
    ];
    const id = Number(path.split('/')[1]);
    const denied: [number, unknown] = [
      403,
      { error: 'You are not authorized to perform this action' },
    ];
    if (path === 'accounts/current' && method === 'GET') {
      return user.hasAccount === false
        ? [404, { error: 'Object not found' }]
        : [200, { id: account.id, name: account.name }];
    }
    if (user.canRead === false && !path.startsWith('accounts')) return denied;
    const byPath: Record<string, () => [number, unknown] | undefined> = {
      'GET supply_tags': () => list(account.supplyTags),
      'GET demand_partners': () => list(account.demandPartners),
      'POST demand_partners': () => {
        const created = { active: true, ...body, id: account.nextId() };
        account.demandPartners.set(Number(created.id), created);
        return [201, created];
      },
      'GET keys': () => list(account.keys),
      'GET keys/:id/values': () => list(account.values, (v) => v['key_id'] === id),
      'GET campaigns': () => list(account.campaigns),
      'POST campaigns': () => [201, createCampaign(account, body)],
      'GET campaigns/:id': () =>
        account.campaigns.has(id) ? [200, account.campaigns.get(id)] : undefined,
      'PUT campaigns/:id': () => {
        const campaign = account.campaigns.get(id);
        if (!campaign) return undefined;
        Object.assign(campaign, body, { id });
        return [200, campaign];
      },
      'DELETE campaigns/:id': () => (account.campaigns.delete(id) ? [200, { id }] : undefined),
      'GET demand_tags': () => list(account.demandTags),
      'POST demand_tags': () => [201, createDemandTag(account, body, fake.refuseDemandTagsNamed)],
      'GET demand_tags/:id': () =>
        account.demandTags.has(id) ? [200, account.demandTags.get(id)] : undefined,
      'PUT demand_tags/:id': () => {
        const tag = account.demandTags.get(id);
        if (!tag) return undefined;
        checkRatios(account, tag, body);
        Object.assign(tag, body, { id });
        return [200, tag];
      },
      'DELETE demand_tags/:id': () => (deleteDemandTag(account, id) ? [200, { id }] : undefined),
      'POST demand_tags/:id/demand_tag_keys': () => {
        if (!account.demandTags.has(id)) return undefined;
        if (!account.keys.has(Number(body['key_id'])))
          throw new ValidationError({ key_id: 'does not exist' });
        const created = { ...body, id: account.nextId(), demand_tag_id: id };
        account.demandTagKeys.set(Number(created.id), created);
        return [201, created];
      },
      'POST tag_creatives': () => {
        if (!body['name'] || !body['vast_endpoint_url'])
          throw new ValidationError({ vast_endpoint_url: "can't be blank" });
        const created = { ...body, id: account.nextId(), account_id: account.id };
        account.tagCreatives.set(Number(created.id), created);
        return [201, created];
      },
      'POST videos': () => [201, createVideo(account, body)],
      'GET videos/:id': () => (account.videos.has(id) ? [200, account.videos.get(id)] : undefined),
      'POST report': () => {
        const rows = [...fake.leadingReportRows, ...deliveryRows(account, body)];
        const reportPage = Math.max(1, Number(body['page'] ?? 1));
        const size = fake.reportPageSize;
        fake.reportPages++;
        return [200, rows.slice((reportPage - 1) * size, reportPage * size)];
      },
    };
    const key = `${method} ${path.replace(/\/\d+/, '/:id')}`;
    return byPath[key]?.();
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/api\/v0\/(.+)$/.exec(url.pathname);
    if (!match) return send(res, 404, { error: 'Not found' });
    const path = match[1]!.replace(/\/$/, '');
    const method = req.method ?? 'GET';
    const body = await readBody(req).catch(() => undefined);
    if (body === undefined) return send(res, 400, { error: 'Malformed JSON' });
    if (path === 'auth' && method === 'POST') return authenticate(body, res);

    const header = String(req.headers['authorization'] ?? '');
    fake.received.push(header);
    const session = tokens.get(header.replace(/^Bearer /, ''));
    if (!session || session.expiresAt < Date.now())
      return send(res, 401, { error: 'Unauthorized' });
    const user = fake.users.get(session.email) ?? { password: '' };
    const routeName = `${method} ${path.replace(/\/\d+/g, '/:id')}`;
    fake.calls.push({ method, route: routeName, query: url.search });

    const failure = failures.find((f) => f.route === routeName && f.times > 0);
    if (failure) {
      failure.times--;
      return send(res, failure.status, {
        error: failure.status === 429 ? 'Rate limit exceeded' : 'Internal Server Error',
      });
    }
    const now = Date.now();
    const window = (windows.get(session.email) ?? []).filter((t) => t > now - 60_000);
    window.push(now);
    windows.set(session.email, window);
    if (window.length > fake.ratePerMinute) return send(res, 429, { error: 'Rate limit exceeded' });

    try {
      const answer = route(method, path, url.searchParams, body, user);
      if (!answer) return send(res, 404, { error: 'Object not found' });
      return send(res, answer[0], answer[1]);
    } catch (error) {
      if (error instanceof ValidationError)
        return send(res, 422, { error: 'Validation failed', errors: error.errors });
      throw error;
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'Internal Server Error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
