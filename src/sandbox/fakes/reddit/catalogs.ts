import type { ServerResponse } from 'node:http';
import type { Request } from './http.js';
import { error, page, reply } from './http.js';
import type { FakeRedditAccount, FakeRedditCatalog, RedditState } from './state.js';

/*
 * The fake Reddit's product catalogs (Ads API v3, https://ads-api.reddit.com/docs/v3/: "Create
 * Product Catalog", "List Product Catalogs", "Get Product Catalog", "Delete Product Catalog",
 * "Batch Create Products", "Batch Delete Products", "Create Product Feed", "List Product Feeds",
 * "Update Product Feed"; the shapes as Reddit's OpenAPI description has them, read in the
 * Stainless-generated client github.com/selalipop/reddit-ad-sdk, src/resources/businesses/
 * product-catalogs.ts, product-catalogs/products.ts, product-catalogs/product-feeds.ts and
 * product-feeds.ts; the 1,000-product batches as github.com/filippofinke/reddit-ads-mcp
 * src/tools/catalogs.ts reads them; feed URLs as Reddit's "Catalog Requirements" help page says):
 * - POST /businesses/{id}/product_catalogs `{data: {name, default_currency, default_language}}`
 *   (currency USD, GBP, CAD, EUR, AUD, JPY, CHF, NZD, SEK or NOK; language en, de, es, fr, it or
 *   pt) makes an empty catalog of a business the member reaches; GET lists them;
 *   GET and DELETE /product_catalogs/{id} (204);
 * - POST /product_catalogs/{id}/products/batch_upsert `{data: [product]}`, at most 1,000, keyed
 *   by `id`: each answered in order `{status: CREATED | UPDATED | UNCHANGED, product}` or
 *   `{status: INVALID, issues: [{code, field, message, severity}]}` (a sale price not below the
 *   price is INVALID_SALE_PRICE here); a product without id, title, link, image_link or a price
 *   written `49.99 USD`, or with a field Reddit does not know, refuses the whole batch (400);
 * - POST …/products/batch_delete `{data: [id]}`, at most 1,000: `{data: {id: DELETED | NOT_FOUND}}`;
 * - POST /product_catalogs/{id}/product_feeds `{data: {name, url, mode, schedule}}`: `url` over
 *   HTTPS, FTP or SFTP, `mode` REPLACE or UPDATE, at most 2 feeds of different modes; GET lists
 *   them; PATCH /product_feeds/{id} changes one.
 * Writes are recorded (state.catalogWrites) as Reddit took them.
 */

type Item = Record<string, unknown>;

const currencies = ['USD', 'GBP', 'CAD', 'EUR', 'AUD', 'JPY', 'CHF', 'NZD', 'SEK', 'NOK'];
const languages = ['en', 'de', 'es', 'fr', 'it', 'pt'];
const availabilities = ['BACKORDER', 'IN_STOCK', 'OUT_OF_STOCK', 'PREORDER'];
const intervals = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'];
const productFields = new Set([
  'id',
  'title',
  'description',
  'link',
  'mobile_link',
  'image_link',
  'additional_image_links',
  'lifestyle_image_link',
  'price',
  'sale_price',
  'sale_price_effective_date',
  'availability',
  'condition',
  'brand',
  'gtin',
  'mpn',
  'item_group_id',
  'google_product_category',
  'product_type',
  'adult',
  'age_group',
  'gender',
  'color',
  'size',
  'size_type',
  'material',
  'pattern',
  'expiration_date',
  'custom_label_0',
  'custom_label_1',
  'custom_label_2',
  'custom_label_3',
  'custom_label_4',
]);
const priced = /^(\d+(?:\.\d{1,2})?) ([A-Z]{3})$/;
const maxBatch = 1000;

const dataOf = (req: Request) => (req.body as Item | undefined)?.data;

function catalogView(id: string, c: FakeRedditCatalog) {
  return {
    id,
    business_id: c.businessId,
    name: c.name,
    default_currency: c.currency,
    default_language: c.language,
    data_sources: c.feeds.size ? ['FEED_SYNC'] : ['MANUAL'],
    summary: { products_count: c.products.size },
  };
}

/** Why the whole batch is refused, or undefined. */
function batchRefusal(products: Item[]): string | undefined {
  for (const p of products) {
    const unknown = Object.keys(p).find((k) => !productFields.has(k));
    if (unknown) return `Unknown product field: ${unknown}`;
    const lacking = ['id', 'title', 'link', 'image_link', 'price'].find((f) => !p[f]);
    if (lacking) return `${lacking} is required`;
    if (!priced.test(String(p.price))) return 'price must be a number and an ISO 4217 code';
    if (p.availability !== undefined && !availabilities.includes(String(p.availability))) {
      return 'availability: invalid value';
    }
  }
  return undefined;
}

function upsert(state: RedditState, catalogId: string, catalog: FakeRedditCatalog, items: Item[]) {
  const outcomes = items.map((p) => {
    const sale = priced.exec(String(p.sale_price ?? ''));
    const price = priced.exec(String(p.price))!;
    if (sale && Number(sale[1]) >= Number(price[1])) {
      return {
        status: 'INVALID',
        issues: [
          {
            code: 'INVALID_SALE_PRICE',
            field: 'sale_price',
            message: 'The sale price must be lower than the price',
            severity: 'CRITICAL',
          },
        ],
      };
    }
    const id = String(p.id);
    const held = catalog.products.get(id);
    const status = !held
      ? 'CREATED'
      : JSON.stringify(held) === JSON.stringify(p)
        ? 'UNCHANGED'
        : 'UPDATED';
    catalog.products.set(id, { ...p });
    return { status, product: { ...p } };
  });
  state.catalogWrites.push({
    catalogId,
    op: 'upsert',
    ids: items.map((p) => String(p.id)),
  });
  return outcomes;
}

/** Answers a catalog call, or returns false when the path is not one. */
export function catalogsApi(
  state: RedditState,
  req: Request,
  res: ServerResponse,
  reachable: FakeRedditAccount[],
): boolean {
  return route(state, req, res, reachable) !== false;
}

function route(
  state: RedditState,
  req: Request,
  res: ServerResponse,
  reachable: FakeRedditAccount[],
): false | void {
  const { method, path } = req;
  const reaches = (businessId: string) => reachable.some((a) => a.businessId === businessId);
  const owned = /^\/businesses\/([^/]+)\/product_catalogs$/.exec(path);
  if (owned) {
    const businessId = owned[1]!;
    if (!reaches(businessId)) return error(res, 403, 'Forbidden');
    if (method === 'GET') {
      const items = [...state.catalogs.entries()]
        .filter(([, c]) => c.businessId === businessId)
        .map(([id, c]) => catalogView(id, c));
      return page(req, res, state, items);
    }
    if (method !== 'POST') return error(res, 405, 'Method Not Allowed');
    const data = (dataOf(req) ?? {}) as Item;
    if (typeof data.name !== 'string' || !data.name) return error(res, 400, 'name is required');
    if (!currencies.includes(String(data.default_currency))) {
      return error(res, 400, 'default_currency: invalid value');
    }
    if (!languages.includes(String(data.default_language))) {
      return error(res, 400, 'default_language: invalid value');
    }
    const id = state.newId();
    const catalog: FakeRedditCatalog = {
      businessId,
      name: data.name,
      currency: String(data.default_currency),
      language: String(data.default_language),
      products: new Map(),
      feeds: new Map(),
    };
    state.catalogs.set(id, catalog);
    if (state.loseAnswerOf === '/product_catalogs') {
      // Made at Reddit, but the answer never arrives: the connection is cut.
      state.loseAnswerOf = undefined;
      res.socket?.destroy();
      return;
    }
    return reply(res, 200, { data: catalogView(id, catalog) });
  }
  const feedPath = /^\/product_feeds\/([^/]+)$/.exec(path);
  if (feedPath) {
    const entry = [...state.catalogs.values()].find((c) => c.feeds.has(feedPath[1]!));
    if (!entry || !reaches(entry.businessId)) return error(res, 404, 'Feed not found');
    const feed = entry.feeds.get(feedPath[1]!)!;
    if (method === 'GET') return reply(res, 200, { data: feed });
    if (method !== 'PATCH') return error(res, 405, 'Method Not Allowed');
    const refusal = feedRefusal({ ...feed, ...((dataOf(req) ?? {}) as Item) });
    if (refusal) return error(res, 400, refusal);
    Object.assign(feed, dataOf(req));
    return reply(res, 200, { data: feed });
  }
  const scoped = /^\/product_catalogs\/([^/]+)(\/.*)?$/.exec(path);
  if (!scoped) return false;
  const catalogId = scoped[1]!;
  const catalog = state.catalogs.get(catalogId);
  if (!catalog || !reaches(catalog.businessId)) return error(res, 404, 'Catalog not found');
  const rest = scoped[2] ?? '';
  if (rest === '' && method === 'GET')
    return reply(res, 200, { data: catalogView(catalogId, catalog) });
  if (rest === '' && method === 'DELETE') {
    state.catalogs.delete(catalogId);
    res.writeHead(204);
    res.end();
    return;
  }
  if (rest === '/products/batch_upsert' && method === 'POST') {
    const items = dataOf(req);
    if (!Array.isArray(items) || !items.length) return error(res, 400, 'data is required');
    if (items.length > maxBatch) return error(res, 400, `At most ${maxBatch} products a batch`);
    const refusal = batchRefusal(items as Item[]);
    if (refusal) return error(res, 400, refusal);
    return reply(res, 200, { data: upsert(state, catalogId, catalog, items as Item[]) });
  }
  if (rest === '/products/batch_delete' && method === 'POST') {
    const ids = dataOf(req);
    if (!Array.isArray(ids) || !ids.length) return error(res, 400, 'data is required');
    if (ids.length > maxBatch) return error(res, 400, `At most ${maxBatch} products a batch`);
    const outcome = Object.fromEntries(
      ids.map((id) => [String(id), catalog.products.delete(String(id)) ? 'DELETED' : 'NOT_FOUND']),
    );
    state.catalogWrites.push({ catalogId, op: 'delete', ids: ids.map(String) });
    return reply(res, 200, { data: outcome });
  }
  if (rest === '/product_feeds' && method === 'GET') {
    return page(req, res, state, [...catalog.feeds.values()]);
  }
  if (rest === '/product_feeds' && method === 'POST') {
    const data = (dataOf(req) ?? {}) as Item;
    const refusal = feedRefusal(data);
    if (refusal) return error(res, 400, refusal);
    const feeds = [...catalog.feeds.values()];
    if (feeds.length >= 2 || feeds.some((f) => f.mode === data.mode)) {
      return error(res, 400, 'A catalog holds at most 2 feeds, of different modes');
    }
    const feed = { ...data, id: state.newId(), catalog_id: catalogId };
    catalog.feeds.set(feed.id, feed);
    return reply(res, 200, { data: feed });
  }
  return error(res, 404, 'Not Found');
}

function feedRefusal(feed: Item): string | undefined {
  if (typeof feed.url !== 'string' || !/^(https|s?ftp):\/\//.test(feed.url)) {
    return 'url must be an HTTPS, FTP or SFTP URL';
  }
  if (feed.mode !== 'REPLACE' && feed.mode !== 'UPDATE') return 'mode must be REPLACE or UPDATE';
  const schedule = (feed.schedule ?? {}) as Item;
  if (schedule.interval !== undefined && !intervals.includes(String(schedule.interval))) {
    return 'schedule.interval: invalid value';
  }
  return undefined;
}
