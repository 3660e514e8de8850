import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAd, createCreative, createCreativeInstance } from './creatives.js';
import {
  type Answer,
  deliveryRows,
  listOf,
  makeNetwork,
  type FakeNetwork,
  type Obj,
} from './network.js';
import { ordersV3, xmlError } from './orders-v3.js';

/*
 * A fake FreeWheel MRM Publisher API over a real loopback socket, written from FreeWheel's public
 * documentation (api-docs.freewheel.tv/publisher):
 * - "Getting Started" and "Getting Started with Authentication": POST /auth/token with the
 *   OAuth 2.0 client-credentials or password grant (form-encoded), answering {access_token,
 *   token_type: "Bearer", expires_in: 604800}; `Authorization: Bearer …` on every call; V4
 *   resources in JSON, V1-V3 in XML only; Content-Type and Accept name the media type; clients
 *   kept under 20 requests a second (the fake answers 429 past it);
 * - reference "Site Section" (GET /services/v4/site_sections: id, name, tag, rating, status
 *   ACTIVE/INACTIVE, updated_at) and the V4 sites resource;
 * - "Campaign API V3" (/services/v3/campaign.xml), "Insertion Order API V3"
 *   (/v3/insertion_orders.xml: list, create, show, delete, book, unbook), "Placement API V3"
 *   (/services/v3/placement.xml: create, list, edit; no delete), and the V4 ads resource;
 * - reference "Creative Management API V4" (POST /services/v4/creative_resources, JSON only,
 *   creatives with their renditions), the rendition object of "Programmatic Client Creative API
 *   V4" (uri, content_type, "auto" meaning detected, width, height), "Creative Instance API v4"
 *   (POST /services/v4/creative_instances: ad_id and creative_id required, placement_id
 *   answered) and the ad types of "Proposed Ad API v4" (INSTREAM, OVERLAY, DISPLAY);
 * - JW Player's and Uplynk's FreeWheel integration pages: a site section is where the video
 *   content plays (the player names it in its ad request).
 * Checked against documentation only (docs/ad-servers.md): the V4 list envelope and its
 * `page`/`per_page`/`total_page` fields, the V3 advertiser resource, the XML of a placement's
 * schedule, price, budget, frequency cap and targeting, the book/unbook paths, the creative
 * body's `creative` wrapper and answer, the V4 ads resource's path and body, how media detection
 * tells a VAST rendition (the fake: not a video or image file), and the delivery report resource
 * (not found in the documentation at all).
 */

export interface FakeClient {
  secret: string;
  /** False: the credentials reach no network (V4 reads answer 404). */
  hasNetwork?: boolean;
  /** False: reads of inventory and orders answer 403. */
  canRead?: boolean;
}

export interface FakeFreeWheel {
  url: string;
  network: FakeNetwork;
  /** OAuth clients (client-credentials grant) and legacy users (password grant), by id/name. */
  clients: Map<string, FakeClient>;
  users: Map<string, FakeClient>;
  mintToken(clientId: string): string;
  /** The next `times` requests matching `METHOD route` (e.g. `GET site_sections`) answer `status`. */
  failNext(route: string, status: 429 | 500 | 503, times?: number): void;
  /** A placement whose name contains this is refused with a validation error. */
  refusePlacementsNamed?: string;
  expireTokens(): void;
  /** Requests a second per token before a 429 (documented: 20). */
  ratePerSecond: number;
  /** Milliseconds each V4 list answer waits (a slow network, for crash tests). */
  listDelayMs: number;
  tokenRequests: number;
  calls: Array<{ method: string; route: string; query: string }>;
  /** Every Authorization header and body received. */
  received: string[];
  close(): Promise<void>;
}

const weekSeconds = 604_800;

export async function startFakeFreeWheel(options: { siteSections?: number } = {}) {
  const network = makeNetwork(options.siteSections ?? 0);
  const tokens = new Map<string, { who: FakeClient; expiresAt: number }>();
  const failures: Array<{ route: string; status: number; times: number }> = [];
  const windows = new Map<string, number[]>();
  const fake: FakeFreeWheel = {
    url: '',
    network,
    clients: new Map([['interchange-client', { secret: 'fw-client-secret' }]]),
    users: new Map([['api_sportsnews', { secret: 'fw-legacy-password' }]]),
    mintToken(clientId) {
      const token = randomBytes(16).toString('hex');
      const who = fake.clients.get(clientId) ?? fake.users.get(clientId) ?? { secret: '' };
      tokens.set(token, { who, expiresAt: Date.now() + weekSeconds * 1000 });
      return token;
    },
    failNext(route, status, times = 1) {
      failures.push({ route, status, times });
    },
    expireTokens() {
      for (const session of tokens.values()) session.expiresAt = 0;
    },
    ratePerSecond: 20,
    listDelayMs: 0,
    tokenRequests: 0,
    calls: [],
    received: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const v3 = ordersV3(network, () => fake.refusePlacementsNamed);

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const sendXml = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
  };

  async function readText(req: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    fake.received.push(text);
    return text;
  }

  function token(res: ServerResponse, form: URLSearchParams) {
    const grant = form.get('grant_type');
    const who =
      grant === 'client_credentials'
        ? fake.clients.get(form.get('client_id') ?? '')
        : grant === 'password'
          ? fake.users.get(form.get('username') ?? '')
          : undefined;
    const secret =
      grant === 'client_credentials' ? form.get('client_secret') : form.get('password');
    if (!who || who.secret !== secret) {
      return sendJson(res, grant === 'client_credentials' ? 401 : 400, {
        error: grant === 'client_credentials' ? 'invalid_client' : 'invalid_grant',
        error_description: 'Bad credentials',
      });
    }
    fake.tokenRequests++;
    const minted = fake.mintToken(form.get('client_id') ?? form.get('username') ?? '');
    return sendJson(res, 200, {
      access_token: minted,
      token_type: 'Bearer',
      expires_in: weekSeconds,
    });
  }

  function v4(
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
  ): Answer | undefined {
    if (method === 'GET' && path === 'sites') {
      const page = listOf(network.sites, query);
      return [200, 'json', { sites: page.items, ...page, items: undefined }];
    }
    if (method === 'GET' && path === 'site_sections') {
      const page = listOf(network.siteSections, query);
      return [200, 'json', { site_sections: page.items, ...page, items: undefined }];
    }
    const input = body ? (JSON.parse(body) as Obj) : {};
    if (method === 'POST' && path === 'creative_resources') {
      const [status, answer] = createCreative(network, input);
      return [status, 'json', answer];
    }
    if (method === 'POST' && path === 'ads') {
      const [status, answer] = createAd(network, input);
      return [status, 'json', answer];
    }
    if (method === 'POST' && path === 'creative_instances') {
      const [status, answer] = createCreativeInstance(network, input);
      return [status, 'json', answer];
    }
    if (method === 'GET' && path === 'reports/placement_delivery') {
      const ids = String(query.get('placement_id') ?? '')
        .split(',')
        .map(Number);
      const rows = deliveryRows(
        network,
        ids,
        String(query.get('start_date')),
        String(query.get('end_date')),
      );
      const per = Math.min(500, Number(query.get('per_page') ?? 500));
      const page = Math.max(1, Number(query.get('page') ?? 1));
      return [
        200,
        'json',
        {
          items: rows.slice((page - 1) * per, page * per),
          page,
          total_page: Math.ceil(rows.length / per),
        },
      ];
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\//, '');
    const method = req.method ?? 'GET';
    const body = await readText(req);
    if (path === 'auth/token' && method === 'POST') return token(res, new URLSearchParams(body));

    const header = String(req.headers['authorization'] ?? '');
    fake.received.push(header);
    const session = tokens.get(header.replace(/^Bearer /, ''));
    const isXml = !path.startsWith('services/v4/');
    const fail = (status: number, message: string) =>
      isXml
        ? sendXml(res, status, xmlError(message))
        : sendJson(res, status, { errors: [message] });
    if (!session || session.expiresAt < Date.now() || !header.startsWith('Bearer '))
      return fail(401, 'Unauthorized');
    const wants = isXml ? 'application/xml' : 'application/json';
    if (!String(req.headers['accept'] ?? '').includes(wants))
      return fail(406, `Accept must be ${wants}`);
    const routeName = `${method} ${path.replace(/^services\/v4\//, '').replace(/\/\d+/g, '/:id')}`;
    fake.calls.push({ method, route: routeName, query: url.search });
    const failure = failures.find((f) => f.route === routeName && f.times > 0);
    if (failure) {
      failure.times--;
      return fail(
        failure.status,
        failure.status === 429 ? 'Too Many Requests' : 'Internal Server Error',
      );
    }
    const now = Date.now();
    const key = header;
    const window = (windows.get(key) ?? []).filter((t) => t > now - 1000);
    window.push(now);
    windows.set(key, window);
    if (window.length > fake.ratePerSecond) return fail(429, 'Too Many Requests');
    if (session.who.hasNetwork === false) return fail(404, 'Network not found');
    if (session.who.canRead === false && method === 'GET') return fail(403, 'Forbidden');

    if (fake.listDelayMs && method === 'GET' && path.startsWith('services/v4/site')) {
      await new Promise((resolve) => setTimeout(resolve, fake.listDelayMs));
    }
    const answer = path.startsWith('services/v4/')
      ? v4(method, path.slice('services/v4/'.length), url.searchParams, body)
      : v3(method, path, url.searchParams, body);
    if (!answer) return fail(404, 'Not found');
    const [status, kind, payload] = answer;
    return kind === 'json' ? sendJson(res, status, payload) : sendXml(res, status, String(payload));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => sendJson(res, 500, { errors: ['Internal Server Error'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
