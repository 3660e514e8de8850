import type { ServerResponse } from 'node:http';
import { ok, refuse } from './envelope.js';
import type { FakeTikTokToken, TikTokState } from './state.js';

/*
 * The fake TikTok's catalogs, from the v1.3 documentation ("Catalog": Catalog Create, Get and
 * Delete, Upload products, Catalog Product Delete, Catalog Product Log, Catalog Feed Create, Get
 * and Update; business-api.tiktok.com/portal/docs?id=1740306481704961, …?id=1740497429681153,
 * …?id=1740570027173889) and the request and answer rules of TikTok's SDK
 * (github.com/tiktok/tiktok-business-api-sdk yml_files/catalog_*.yml):
 * - a catalog belongs to a Business Center (`bc_id`): a token reaches the centers that own its
 *   advertisers (`owner_bc_id`), others are 40001;
 * - /catalog/create/ needs bc_id, name, catalog_type and catalog_conf {region_code, currency},
 *   answering `catalog_id`; /catalog/get/ lists `catalog_id`, `catalog_name`, `catalog_type`,
 *   `catalog_conf` in numbered pages; /catalog/delete/;
 * - /catalog/product/upload/ takes `products` keyed by sku_id (an upload of a sku_id the catalog
 *   holds replaces it); a product without sku_id, title, image_url, a positive price_info.price
 *   or landing_page.landing_page_url fails the whole request (40002), as TikTok's WooCommerce
 *   plugin warns; it answers `feed_log_id`, read back from /catalog/product/log/
 *   (`product_feed_log`: process_status, add_count, update_count, error_count, feed_log_data);
 *   /catalog/product/delete/ takes `sku_ids`;
 * - feeds: /catalog/feed/create/ and /catalog/feed/update/ (feed_name, update_mode,
 *   schedule_param with source.uri and interval_type), /catalog/feed/get/ (`feed_list`).
 * Ingestion is the fake's own: products are in the catalog as soon as they are uploaded.
 */

type Input = Record<string, unknown>;

const missing = (res: ServerResponse, field: string) =>
  refuse(res, 40002, `${field}: Missing data for required field.`);

function productProblem(p: Input): string | null {
  const price = (p.price_info as Input | undefined)?.price;
  const landing = (p.landing_page as Input | undefined)?.landing_page_url;
  if (!p.sku_id) return 'sku_id';
  if (!p.title) return 'title';
  if (!p.image_url) return 'image_url';
  if (typeof price !== 'number' || price <= 0) return 'price_info.price';
  if (typeof landing !== 'string' || !landing) return 'landing_page.landing_page_url';
  return null;
}

/** Answers a catalog call, or returns false when the path is not one. */
export function catalogApi(
  state: TikTokState,
  token: FakeTikTokToken,
  method: string,
  path: string,
  input: Input,
  res: ServerResponse,
): boolean {
  if (!path.startsWith('/catalog/')) return false;
  const bcId = String(input.bc_id ?? '');
  if (!bcId) return (missing(res, 'bc_id'), true);
  const reaches = state.advertisers.some(
    (a) => a.owner_bc_id === bcId && token.advertiserIds.includes(a.advertiser_id),
  );
  if (!reaches) return (refuse(res, 40001, 'No permission to operate Business Center'), true);
  const route = `${method} ${path}`;

  if (route === 'POST /catalog/create') {
    const conf = input.catalog_conf as Input | undefined;
    if (!input.name) return (missing(res, 'name'), true);
    if (input.catalog_type !== 'ECOM') return (missing(res, 'catalog_type'), true);
    if (!conf?.region_code || !conf.currency) return (missing(res, 'catalog_conf'), true);
    const id = state.addCatalog(bcId, String(input.name), conf);
    if (state.takeLostAnswer(path)) return (refuse(res, 50000, 'System error'), true);
    return (ok(res, { catalog_id: id }), true);
  }
  if (route === 'GET /catalog/get') {
    const all = [...state.catalogs.values()].filter((c) => c.bcId === bcId);
    const size = Number(input.page_size ?? 10);
    const page = Number(input.page ?? 1);
    ok(res, {
      list: all.slice((page - 1) * size, page * size).map((c) => ({
        catalog_id: c.id,
        catalog_name: c.name,
        catalog_type: 'ECOM',
        catalog_conf: c.conf,
        bc_info: { bc_id: bcId },
      })),
      page_info: {
        page,
        page_size: size,
        total_number: all.length,
        total_page: Math.ceil(all.length / size) || 1,
      },
    });
    return true;
  }
  const catalog = state.catalogs.get(String(input.catalog_id ?? ''));
  if (!catalog || catalog.bcId !== bcId)
    return (refuse(res, 40002, 'catalog_id: Catalog does not exist.'), true);

  if (route === 'POST /catalog/delete') {
    state.catalogs.delete(catalog.id);
    return (ok(res, { catalog_id: catalog.id }), true);
  }
  if (route === 'POST /catalog/product/upload') {
    const products = Array.isArray(input.products) ? (input.products as Input[]) : [];
    if (!products.length) return (missing(res, 'products'), true);
    for (const p of products) {
      const problem = productProblem(p);
      if (problem) return (missing(res, `products.${problem}`), true);
    }
    let added = 0;
    for (const p of products) {
      if (!catalog.products.has(String(p.sku_id))) added++;
      catalog.products.set(String(p.sku_id), p);
    }
    const logId = state.addFeedLog({
      process_status: 'SUCCESS',
      add_count: added,
      update_count: products.length - added,
      error_count: 0,
      feed_log_data: { error_affected_products: [], warn_affected_products: [] },
    });
    return (ok(res, { feed_log_id: logId }), true);
  }
  if (route === 'GET /catalog/product/log') {
    const log = state.feedLogs.get(String(input.feed_log_id ?? ''));
    if (!log) return (refuse(res, 40002, 'feed_log_id: not found.'), true);
    return (ok(res, { product_feed_log: { catalog_id: catalog.id, ...log } }), true);
  }
  if (route === 'POST /catalog/product/delete') {
    const ids = Array.isArray(input.sku_ids) ? input.sku_ids.map(String) : [];
    if (!ids.length) return (missing(res, 'sku_ids'), true);
    for (const id of ids) catalog.products.delete(id);
    const logId = state.addFeedLog({ process_status: 'SUCCESS', delete_count: ids.length });
    return (ok(res, { feed_log_id: logId }), true);
  }
  if (route === 'GET /catalog/feed/get') {
    return (ok(res, { feed_list: catalog.feeds }), true);
  }
  if (route === 'POST /catalog/feed/create' || route === 'POST /catalog/feed/update') {
    const schedule = input.schedule_param as { source?: { uri?: string }; interval_type?: string };
    if (!input.feed_name) return (missing(res, 'feed_name'), true);
    if (!input.update_mode) return (missing(res, 'update_mode'), true);
    if (!schedule?.source?.uri || !schedule.interval_type)
      return (missing(res, 'schedule_param'), true);
    const feed = {
      feed_id: String(input.feed_id ?? state.nextFeedId()),
      feed_name: String(input.feed_name),
      update_mode: input.update_mode,
      schedule_param: schedule,
    };
    const at = catalog.feeds.findIndex((f) => f.feed_id === feed.feed_id);
    if (route.endsWith('update') && at < 0)
      return (refuse(res, 40002, 'feed_id: not found.'), true);
    if (at >= 0) catalog.feeds[at] = feed;
    else catalog.feeds.push(feed);
    return (ok(res, { feed_id: feed.feed_id, feed_name: feed.feed_name, status: 'ON' }), true);
  }
  return false;
}
