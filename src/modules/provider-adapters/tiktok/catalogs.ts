import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type {
  CatalogProduct,
  ProductAvailability,
  ProviderCatalogs,
  ProviderFeed,
} from '../catalogs/contract.js';
import type { AdapterContext } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import { createTikTokApi, tiktokError, type TikTokEnvelope } from './api.js';

/*
 * TikTok's catalogs, from the TikTok API for Business v1.3 documentation ("Catalog",
 * business-api.tiktok.com/portal/docs: Catalog Create docs?id=1740306481704961, Catalog Get,
 * Catalog Delete docs?id=1740310064588801, Upload products docs?id=1740497429681153, Catalog
 * Product Delete docs?id=1740562489236481, Catalog Product Log docs?id=1740570027173889, Catalog
 * Feed Create) and the request and answer shapes of TikTok's own SDK (github.com/tiktok/
 * tiktok-business-api-sdk, yml_files/catalog_*.yml) and WooCommerce plugin:
 * - a catalog belongs to a Business Center: the one that owns the connected advertiser
 *   (`owner_bc_id` of /advertiser/info/). /catalog/create/ (`bc_id`, `name`, `catalog_type:
 *   ECOM`, `catalog_conf: {region_code, currency}`) answers `catalog_id`; /catalog/get/ (bc_id,
 *   numbered pages) lists `catalog_id` and `catalog_name`; /catalog/delete/ (bc_id, catalog_id);
 * - products by /catalog/product/upload/ (bc_id, catalog_id, `products` keyed by `sku_id`: an
 *   upload of a sku_id the catalog holds replaces it), answered `feed_log_id`, whose outcome
 *   /catalog/product/log/ tells (`product_feed_log.process_status`, and per issue the products
 *   it affects: `feed_log_data.error_affected_products[].affected_product_item_list[].sku_id`);
 *   removed by /catalog/product/delete/ (`sku_ids`). Prices are in the catalog's currency (its
 *   catalog_conf), so a product priced in another currency is refused before it is sent;
 * - a feed URL as a scheduled feed TikTok fetches itself (/catalog/feed/create/ and
 *   /catalog/feed/update/: `feed_name`, `update_mode: OVERWRITE`, `schedule_param` with
 *   `source.uri`, `interval_type` HOURLY or DAILY and `interval_count`; /catalog/feed/get/
 *   lists them).
 */

const availability: Record<ProductAvailability, string> = {
  in_stock: 'IN_STOCK',
  out_of_stock: 'OUT_OF_STOCK',
  preorder: 'PREORDER',
  backorder: 'AVAILABLE_FOR_ORDER',
  discontinued: 'DISCONTINUED',
};

const schedules: Record<
  ProviderFeed['frequency'],
  { interval_type: string; interval_count: number }
> = {
  realtime: { interval_type: 'HOURLY', interval_count: 1 },
  hourly: { interval_type: 'HOURLY', interval_count: 1 },
  daily: { interval_type: 'DAILY', interval_count: 1 },
  weekly: { interval_type: 'DAILY', interval_count: 7 },
};

function productOf(p: CatalogProduct) {
  return {
    sku_id: p.id,
    ...(p.itemGroupId && { item_group_id: p.itemGroupId }),
    title: p.title,
    description: p.description,
    availability: availability[p.availability],
    image_url: p.imageLink,
    ...(p.additionalImageLinks.length && { additional_image_link: p.additionalImageLinks }),
    ...(p.brand && { brand: p.brand }),
    product_detail: {
      condition: p.condition.toUpperCase(),
      ...(p.gtin && { gtin: p.gtin }),
      ...(p.mpn && { mpn: p.mpn }),
      ...(p.category && { product_category: p.category }),
    },
    price_info: { price: p.price, ...(p.salePrice !== null && { sale_price: p.salePrice }) },
    landing_page: { landing_page_url: p.link },
  };
}

/** TikTok's refusals said of catalogs: no permission on the Business Center is not a lost grant. */
function catalogError(status: number, body: TikTokEnvelope): ProviderError | null {
  const code = typeof body.code === 'number' ? body.code : undefined;
  if (status >= 200 && status < 300 && code === 40001) {
    return new ProviderError(
      'AUTH_REQUIRED',
      "The TikTok connection may not manage the Business Center's catalogs",
    );
  }
  if (status >= 200 && status < 300 && code !== undefined && code >= 40002 && code < 40100) {
    return new ProviderError(
      'INVALID_REQUEST',
      `TikTok refused a parameter of this catalog (${code})`,
    );
  }
  return tiktokError(status, body);
}

interface FeedLog {
  product_feed_log?: {
    process_status?: unknown;
    feed_log_data?: {
      error_affected_products?: Array<{
        issue?: unknown;
        affected_product_item_list?: Array<{ sku_id?: unknown }>;
      }>;
    };
  };
}

export function tiktokCatalogs(fetch: OutboundFetch, apiUrl: string): ProviderCatalogs {
  const api = createTikTokApi(fetch, apiUrl, { errorOf: catalogError });
  // Makes catalogs and feeds: not sent again after a failure in transit (found by name instead).
  const once = createTikTokApi(fetch, apiUrl, { errorOf: catalogError, retryPosts: false });
  const centers = new WeakMap<
    AdapterContext,
    Promise<{ bcId: string; country: string; currency: string }>
  >();

  async function lookUpCenter(ctx: AdapterContext) {
    const info = await api.get<{
      list?: Array<{ owner_bc_id?: unknown; country?: unknown; currency?: unknown }>;
    }>('advertiser/info', ctx.accessToken, {
      advertiser_ids: [ctx.account.id],
      fields: ['advertiser_id', 'owner_bc_id', 'country', 'currency'],
    });
    const [advertiser] = info.list ?? [];
    const bcId = advertiser?.owner_bc_id;
    if ((typeof bcId !== 'string' && typeof bcId !== 'number') || !String(bcId)) {
      throw new ProviderError(
        'UNSUPPORTED_FEATURE',
        'The connected TikTok advertiser belongs to no Business Center, and TikTok keeps catalogs in one',
      );
    }
    const currency =
      typeof advertiser?.currency === 'string' ? advertiser.currency : ctx.account.currency;
    return {
      bcId: String(bcId),
      country: typeof advertiser?.country === 'string' ? advertiser.country : 'US',
      currency: (currency ?? 'USD').toUpperCase(),
    };
  }

  const centerOf = (ctx: AdapterContext) => {
    let found = centers.get(ctx);
    if (!found) {
      found = lookUpCenter(ctx);
      centers.set(ctx, found);
    }
    return found;
  };

  const idOf = (id: unknown, what: string) =>
    createdId(id, `TikTok made the ${what} without an id`, { numbers: true });

  return {
    types: ['product'],
    // TikTok's own WooCommerce plugin uploads 100 products a call.
    itemsPerCall: 100,
    feedFormats: ['google_merchant_center', 'facebook_catalog'],

    async createCatalog(ctx, name) {
      const center = await centerOf(ctx);
      const made = await once.post<{ catalog_id?: unknown }>('catalog/create', ctx.accessToken, {
        bc_id: center.bcId,
        name,
        catalog_type: 'ECOM',
        catalog_conf: { region_code: center.country, currency: center.currency },
      });
      return idOf(made.catalog_id, 'catalog');
    },

    async findCatalog(ctx, name) {
      const center = await centerOf(ctx);
      const found = await api.pages<{ catalog_id?: unknown; catalog_name?: unknown }>(
        'catalog/get',
        ctx.accessToken,
        { bc_id: center.bcId },
        5000,
      );
      const match = found.find((c) => c.catalog_name === name);
      return match ? idOf(match.catalog_id, 'catalog') : null;
    },

    async deleteCatalog(ctx, catalogId) {
      const center = await centerOf(ctx);
      await api.post('catalog/delete', ctx.accessToken, {
        bc_id: center.bcId,
        catalog_id: catalogId,
      });
    },

    async writeItems(ctx, catalogId, change) {
      const center = await centerOf(ctx);
      const target = { bc_id: center.bcId, catalog_id: catalogId };
      if (change.remove.length) {
        await api.post('catalog/product/delete', ctx.accessToken, {
          ...target,
          sku_ids: change.remove,
        });
      }
      const other = change.upsert.filter((p) => p.currency !== center.currency);
      const rejected = other.map((p) => ({
        id: p.id,
        reasons: [`TikTok takes prices in the catalog's currency (${center.currency})`],
      }));
      const sending = change.upsert.filter((p) => p.currency === center.currency);
      if (!sending.length) return { rejected, pending: 0 };
      const uploaded = await api.post<{ feed_log_id?: unknown }>(
        'catalog/product/upload',
        ctx.accessToken,
        { ...target, products: sending.map(productOf) },
      );
      const log = await api.get<FeedLog>('catalog/product/log', ctx.accessToken, {
        ...target,
        feed_log_id: idOf(uploaded.feed_log_id, 'upload'),
      });
      const feedLog = log.product_feed_log;
      for (const issue of feedLog?.feed_log_data?.error_affected_products ?? []) {
        const reason = typeof issue.issue === 'string' ? issue.issue : 'TikTok refused the product';
        for (const item of issue.affected_product_item_list ?? []) {
          if (typeof item.sku_id !== 'string') continue;
          const known = rejected.find((r) => r.id === item.sku_id);
          if (known) known.reasons.push(reason);
          else rejected.push({ id: item.sku_id, reasons: [reason] });
        }
      }
      const processing = feedLog?.process_status === 'PROCESSING';
      return { rejected, pending: processing ? sending.length : 0 };
    },

    async registerFeed(ctx, catalogId, feed, feedId) {
      const center = await centerOf(ctx);
      const target = { bc_id: center.bcId, catalog_id: catalogId };
      const body = {
        ...target,
        feed_name: feed.name.slice(0, 128),
        update_mode: 'OVERWRITE',
        schedule_param: {
          source: { uri: feed.url },
          ...schedules[feed.frequency],
          timezone: 'UTC',
        },
      };
      // A feed made before a lost answer is found again by its name, not made twice.
      const existing =
        feedId ??
        (
          await api.get<{ feed_list?: Array<{ feed_id?: unknown; feed_name?: unknown }> }>(
            'catalog/feed/get',
            ctx.accessToken,
            target,
          )
        ).feed_list?.find((f) => f.feed_name === body.feed_name)?.feed_id;
      if (existing !== undefined && existing !== null) {
        const id = idOf(existing, 'feed');
        await api.post('catalog/feed/update', ctx.accessToken, { ...body, feed_id: id });
        return id;
      }
      const made = await once.post<{ feed_id?: unknown }>(
        'catalog/feed/create',
        ctx.accessToken,
        body,
      );
      return idOf(made.feed_id, 'feed');
    },
  };
}
