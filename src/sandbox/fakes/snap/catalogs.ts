import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { reply, snapError, type Request } from './http.js';
import type { FakeSnapCatalog, SnapState } from './state.js';

/*
 * The fake Snap's product catalogs (Marketing API "Dynamic Product Ads Guide",
 * https://developers.snap.com/api/marketing-api/Ads-API/dynamic-product-ads, and "API Patterns"
 * for the list, replace and delete calls it does not spell out):
 * - POST /organizations/{id}/catalogs takes `{catalogs: [{organization_id, name, vertical,
 *   event_sources?}]}`: name (1 to 375 characters), organization_id and vertical (UNKNOWN_VERTICAL,
 *   COMMERCE, HOTELS, PLACES, FLIGHTS) required, at most 10 catalogs a request and 200 an
 *   organization; `source` FEED and `default_product_set_id` are set by Snap. GET lists them;
 *   GET and DELETE /catalogs/{id}. An organization none of the token's ad accounts belongs to
 *   is 403 (Snap asks for Organization Admin);
 * - POST /catalogs/{id}/product_feeds takes `{product_feeds: [{catalog_id, name,
 *   default_currency, status, schedule: {url, interval_type, interval_count, …}}]}` (the shape of
 *   Snap's example, which integrations quote: github.com repositories calling it with the
 *   "Badger Burrow supplies" feed); GET lists them, PUT replaces one whole (by `id`).
 * Snap fetches the feed itself: nothing here reads the URL. Answers wrap objects as ads.ts does.
 */

type Item = Record<string, unknown>;

const verticals = ['UNKNOWN_VERTICAL', 'COMMERCE', 'HOTELS', 'PLACES', 'FLIGHTS'];
const intervalTypes = ['HOURLY', 'DAILY', 'WEEKLY'];
const maxPerOrganization = 200;
const maxPerRequest = 10;

const wrapped = (res: ServerResponse, plural: string, singular: string, objects: Item[]) =>
  reply(res, 200, {
    request_status: 'SUCCESS',
    request_id: randomBytes(12).toString('hex'),
    [plural]: objects.map((o) => ({ sub_request_status: 'SUCCESS', [singular]: o })),
  });

const bad = (res: ServerResponse, message: string) => reply(res, 400, snapError('E1001', message));

function listOf(req: Request, plural: string): Item[] {
  try {
    const body = JSON.parse(req.raw.toString() || '{}') as Item;
    return Array.isArray(body[plural]) ? (body[plural] as Item[]) : [];
  } catch {
    return [];
  }
}

const catalogView = (c: FakeSnapCatalog) => ({
  id: c.id,
  organization_id: c.organizationId,
  ...c.fields,
  source: 'FEED',
  default_product_set_id: `${c.id}-all`,
});

/** Why Snap refuses the catalog, or undefined. */
function catalogRefusal(c: Item, organizationId: string): string | undefined {
  if (c.organization_id !== organizationId) return 'organization_id does not match';
  if (typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 375) {
    return 'name must be 1 to 375 characters';
  }
  if (!verticals.includes(String(c.vertical))) return 'vertical is required';
  return undefined;
}

/** Why Snap refuses the product feed, or undefined. */
function feedRefusal(f: Item, catalogId: string): string | undefined {
  if (f.catalog_id !== catalogId) return 'catalog_id does not match';
  if (typeof f.name !== 'string' || !f.name) return 'name is required';
  if (typeof f.default_currency !== 'string' || !/^[A-Z]{3}$/.test(f.default_currency)) {
    return 'default_currency is required';
  }
  const schedule = (f.schedule ?? {}) as Item;
  if (typeof schedule.url !== 'string' || !schedule.url) return 'schedule.url is required';
  if (!intervalTypes.includes(String(schedule.interval_type))) {
    return 'schedule.interval_type is required';
  }
  const count = Number(schedule.interval_count ?? 1);
  if (!Number.isInteger(count) || count < 1) return 'schedule.interval_count must be positive';
  return undefined;
}

/** Answers a catalog call, or returns false when the path is not one. */
export function catalogsApi(state: SnapState, req: Request, res: ServerResponse): boolean {
  return route(state, req, res) !== false;
}

function route(state: SnapState, req: Request, res: ServerResponse): false | void {
  const { method, path, grant } = req;
  const reaches = (organizationId: string) =>
    state.accounts.some(
      (a) => a.organizationId === organizationId && grant.accountIds.includes(a.id),
    );
  const owned = /^\/organizations\/([^/]+)\/catalogs$/.exec(path);
  if (owned) {
    const organizationId = owned[1]!;
    if (!reaches(organizationId)) return reply(res, 403, snapError('E1003', 'Forbidden'));
    const held = [...state.catalogs.values()].filter((c) => c.organizationId === organizationId);
    if (method === 'GET') return wrapped(res, 'catalogs', 'catalog', held.map(catalogView));
    if (method !== 'POST') return reply(res, 405, snapError('E1001', 'Method not allowed'));
    const asked = listOf(req, 'catalogs');
    if (!asked.length) return bad(res, 'catalogs is required');
    if (asked.length > maxPerRequest)
      return bad(res, `At most ${maxPerRequest} catalogs a request`);
    if (held.length + asked.length > maxPerOrganization) {
      return bad(res, `At most ${maxPerOrganization} catalogs an organization`);
    }
    const refusal = asked.map((c) => catalogRefusal(c, organizationId)).find(Boolean);
    if (refusal) return bad(res, refusal);
    const made = asked.map((c) => {
      const { organization_id: _o, ...fields } = c;
      const catalog = { id: randomUUID(), organizationId, fields, feeds: new Map() };
      state.catalogs.set(catalog.id, catalog);
      return catalog;
    });
    if (state.loseAnswerOf === 'catalog') {
      // Made at Snap, but the answer never arrives: the connection is cut.
      state.loseAnswerOf = undefined;
      res.socket?.destroy();
      return;
    }
    return wrapped(res, 'catalogs', 'catalog', made.map(catalogView));
  }
  const scoped = /^\/catalogs\/([^/]+)(\/product_feeds)?$/.exec(path);
  if (!scoped) return false;
  const catalog = state.catalogs.get(scoped[1]!);
  if (!catalog || !reaches(catalog.organizationId)) {
    return reply(res, 404, snapError('E3003', 'Resource not found'));
  }
  if (!scoped[2]) {
    if (method === 'GET') return wrapped(res, 'catalogs', 'catalog', [catalogView(catalog)]);
    if (method !== 'DELETE') return reply(res, 405, snapError('E1001', 'Method not allowed'));
    state.catalogs.delete(catalog.id);
    return wrapped(res, 'catalogs', 'catalog', [catalogView(catalog)]);
  }
  if (method === 'GET') {
    return wrapped(res, 'product_feeds', 'product_feed', [...catalog.feeds.values()]);
  }
  const [feed] = listOf(req, 'product_feeds');
  const refusal = feed ? feedRefusal(feed, catalog.id) : 'product_feeds is required';
  if (refusal) return bad(res, refusal);
  if (method === 'POST') {
    const made = { ...feed, id: randomUUID() };
    catalog.feeds.set(made.id, made);
    return wrapped(res, 'product_feeds', 'product_feed', [made]);
  }
  if (method === 'PUT') {
    const id = String(feed!.id ?? '');
    if (!catalog.feeds.has(id)) return reply(res, 404, snapError('E3003', 'Resource not found'));
    catalog.feeds.set(id, { ...feed });
    return wrapped(res, 'product_feeds', 'product_feed', [{ ...feed }]);
  }
  return reply(res, 405, snapError('E1001', 'Method not allowed'));
}
