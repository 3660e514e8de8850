import type {
  CatalogProduct,
  ProviderCatalogs,
  ProductAvailability,
  ProviderFeed,
} from '../catalogs/contract.js';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterContext } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import { createGraph, graphError, type GraphErrorBody } from './graph.js';

/*
 * Meta's product catalogs, from the Marketing API documentation:
 * - a catalog belongs to a Business, not an ad account: the connected ad account's Business
 *   (GET /act_{id}?fields=business; AdAccount reference) owns the buyer's catalogs, made by
 *   POST /{business-id}/owned_product_catalogs (`name`, `vertical: commerce`) and listed by GET
 *   of the same edge ("Business Owned Product Catalogs"); deleted by DELETE /{catalog-id}
 *   ("Product Catalog", Deleting);
 * - managing catalogs needs the `catalog_management` permission (the Login dialog asks for it;
 *   GET /me/permissions says whether the person granted it: "Permissions Reference", the User
 *   `permissions` edge); a connection made before it was asked for is told to reconnect;
 * - items by POST /{catalog-id}/items_batch with `item_type: PRODUCT_ITEM` and `requests`, each
 *   `{method: UPDATE | DELETE, data}` keyed by `data.id` (the retailer id: the buyer's item id);
 *   UPDATE creates an item that does not exist (`allow_upsert`, default true), so a retry
 *   replaces instead of duplicating; at most 5,000 requests a call; the answer's
 *   `validation_status` names each refused retailer id with its errors ("Product Catalog Items
 *   Batch", "Catalog Batch API: Send Product Updates" and its supported fields);
 * - a feed URL as a scheduled product feed Meta fetches itself (POST /{catalog-id}/product_feeds
 *   with `name` and `schedule: {url, interval}`; POST /{feed-id} to change it; "Product Feed"
 *   reference): Meta reads CSV, TSV, RSS/ATOM XML and Google Merchant Center feeds.
 */

const availability: Record<ProductAvailability, string> = {
  in_stock: 'in stock',
  out_of_stock: 'out of stock',
  preorder: 'preorder',
  backorder: 'available for order',
  discontinued: 'discontinued',
};

const intervals: Record<ProviderFeed['frequency'], string> = {
  realtime: 'HOURLY',
  hourly: 'HOURLY',
  daily: 'DAILY',
  weekly: 'WEEKLY',
};

/** A price as Meta's batch fields write it: "12.50 USD". */
const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

function productData(p: CatalogProduct) {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    availability: availability[p.availability],
    condition: p.condition,
    price: money(p.price, p.currency),
    ...(p.salePrice !== null && { sale_price: money(p.salePrice, p.currency) }),
    link: p.link,
    image_link: p.imageLink,
    ...(p.additionalImageLinks.length && { additional_image_link: p.additionalImageLinks }),
    ...(p.brand && { brand: p.brand }),
    ...(p.gtin && { gtin: p.gtin }),
    ...(p.mpn && { mpn: p.mpn }),
    ...(p.itemGroupId && { item_group_id: p.itemGroupId }),
    ...(p.category && { google_product_category: p.category }),
  };
}

/**
 * Meta's error object said of catalogs: a permission error here is the person's role in the
 * Business (or a missing catalog_management), which a buyer's sync must not take for a lost
 * grant (that would stop the whole source); an invalid token still is one (graph.ts).
 */
function catalogError(status: number, body: GraphErrorBody): ProviderError {
  const code = typeof body.error?.code === 'number' ? body.error.code : undefined;
  if (code === 10 || (code !== undefined && code >= 200 && code < 300)) {
    return new ProviderError(
      'AUTH_REQUIRED',
      "The Meta connection may not manage this Business's catalogs (catalog_management, and a catalog role in the Business)",
    );
  }
  if (code === 100) {
    return new ProviderError('INVALID_REQUEST', 'Meta refused a parameter of this catalog');
  }
  return graphError(status, body);
}

export function metaCatalogs(fetch: OutboundFetch, apiUrl: string): ProviderCatalogs {
  const graph = createGraph(fetch, apiUrl, { errorOf: catalogError });
  // Makes catalogs and feeds: a create that failed in transit is not sent again (the next
  // sync finds it by name instead of making another).
  const once = createGraph(fetch, apiUrl, { errorOf: catalogError, retryPosts: false });
  const act = (ctx: AdapterContext) =>
    ctx.account.id.startsWith('act_') ? ctx.account.id : `act_${ctx.account.id}`;
  // Per request: the permission and the Business are looked up once for all its catalogs.
  const businesses = new WeakMap<AdapterContext, Promise<string>>();

  async function lookUpBusiness(ctx: AdapterContext): Promise<string> {
    const granted = await graph.list<{ permission?: string; status?: string }>(
      'me/permissions',
      ctx.accessToken,
      {},
      200,
    );
    if (!granted.some((p) => p.permission === 'catalog_management' && p.status === 'granted')) {
      throw new ProviderError(
        'AUTH_REQUIRED',
        'This Meta connection was made without the catalog_management permission: the storefront operator reconnects it to sync catalogs',
      );
    }
    const account = await graph.get<{ business?: { id?: unknown } }>(act(ctx), ctx.accessToken, {
      fields: 'business',
    });
    const id = account.business?.id;
    if (typeof id !== 'string' || !id) {
      throw new ProviderError(
        'UNSUPPORTED_FEATURE',
        'The connected Meta ad account belongs to no Business, and Meta keeps catalogs in a Business',
      );
    }
    return id;
  }

  const businessOf = (ctx: AdapterContext) => {
    let found = businesses.get(ctx);
    if (!found) {
      found = lookUpBusiness(ctx);
      businesses.set(ctx, found);
    }
    return found;
  };

  return {
    types: ['product'],
    // Meta takes 5,000 a call and recommends staying under 3,000.
    itemsPerCall: 1000,
    feedFormats: ['google_merchant_center', 'facebook_catalog'],

    async createCatalog(ctx, name) {
      const business = await businessOf(ctx);
      const made = await once.post<{ id?: unknown }>(
        `${business}/owned_product_catalogs`,
        ctx.accessToken,
        {
          name,
          vertical: 'commerce',
        },
      );
      return createdId(made.id, 'Meta made the catalog without an id');
    },

    async findCatalog(ctx, name) {
      const business = await businessOf(ctx);
      const found = await graph.list<{ id: string; name?: string }>(
        `${business}/owned_product_catalogs`,
        ctx.accessToken,
        { fields: 'id,name', limit: '100' },
        5000,
      );
      return found.find((c) => c.name === name)?.id ?? null;
    },

    async deleteCatalog(ctx, catalogId) {
      await businessOf(ctx);
      await graph.delete(catalogId, ctx.accessToken);
    },

    async writeItems(ctx, catalogId, change) {
      await businessOf(ctx);
      const requests = [
        ...change.upsert.map((p) => ({ method: 'UPDATE', data: productData(p) })),
        ...change.remove.map((id) => ({ method: 'DELETE', data: { id } })),
      ];
      const answer = await graph.post<{
        validation_status?: Array<{
          retailer_id?: unknown;
          errors?: Array<{ message?: unknown }>;
        }>;
      }>(`${catalogId}/items_batch`, ctx.accessToken, {
        item_type: 'PRODUCT_ITEM',
        allow_upsert: true,
        requests,
      });
      const rejected = (answer.validation_status ?? []).flatMap((v) =>
        typeof v.retailer_id === 'string' && v.errors?.length
          ? [
              {
                id: v.retailer_id,
                reasons: v.errors.map((e) =>
                  typeof e.message === 'string' ? e.message : 'Meta refused the item',
                ),
              },
            ]
          : [],
      );
      // Meta validates each request at once and ingests the accepted ones asynchronously.
      return { rejected, pending: 0 };
    },

    async registerFeed(ctx, catalogId, feed, feedId) {
      await businessOf(ctx);
      const schedule = { url: feed.url, interval: intervals[feed.frequency], hour: 3 };
      if (feedId) {
        await graph.post(feedId, ctx.accessToken, { schedule });
        return feedId;
      }
      // A feed made before a lost answer is found again by its name, not made twice.
      const feeds = await graph.list<{ id: string; name?: string }>(
        `${catalogId}/product_feeds`,
        ctx.accessToken,
        { fields: 'id,name', limit: '100' },
        500,
      );
      const found = feeds.find((f) => f.name === feed.name)?.id;
      if (found) {
        await graph.post(found, ctx.accessToken, { schedule });
        return found;
      }
      const made = await once.post<{ id?: unknown }>(
        `${catalogId}/product_feeds`,
        ctx.accessToken,
        {
          name: feed.name,
          schedule,
        },
      );
      return createdId(made.id, 'Meta made the feed without an id');
    },
  };
}
