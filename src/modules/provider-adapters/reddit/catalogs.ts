import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type {
  CatalogProduct,
  ItemVerdicts,
  ProductAvailability,
  ProviderCatalogs,
  ProviderFeed,
} from '../catalogs/contract.js';
import type { AdapterContext } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import { createRedditApi, redditError } from './api.js';

/*
 * Reddit's product catalogs (Ads API v3, https://ads-api.reddit.com/docs/v3/: "Create Product
 * Catalog", "List Product Catalogs", "Delete Product Catalog", "Batch Create Products", "Batch
 * Delete Products", "Create Product Feed", "Update Product Feed"). The stored reference pages are
 * thin, so the shapes were read from Reddit's OpenAPI description as the Stainless-generated
 * client carries it (github.com/selalipop/reddit-ad-sdk: src/resources/businesses/
 * product-catalogs.ts, product-catalogs/products.ts and product-feeds.ts, product-feeds.ts), the
 * batch limit from a client built on all of v3's operations (github.com/filippofinke/
 * reddit-ads-mcp, src/tools/catalogs.ts) and the feed rules from Reddit's "Catalog Requirements"
 * help page as mirrored by a third party (docs/adapters.md lists every such point):
 * - a catalog belongs to a business: the one owning the connected ad account (`business_id` of
 *   GET /ad_accounts/{id}). POST /businesses/{id}/product_catalogs (`name`, `default_currency`,
 *   `default_language`), listed by GET on the same path, DELETE /product_catalogs/{id};
 * - products by POST /product_catalogs/{id}/products/batch_upsert (`{data: [product]}`, keyed by
 *   `id`: an upsert of an id the catalog holds replaces it; 1,000 a call), answered with a
 *   status per product in the order sent, INVALID with its `issues`; removed by
 *   …/products/batch_delete (`{data: [id]}`). Prices are written `49.99 USD`;
 * - a feed URL as a product feed Reddit fetches itself (POST /product_catalogs/{id}/
 *   product_feeds: `name`, `url`, `mode: REPLACE` so the feed is the catalog's whole content,
 *   `schedule: {interval, interval_count}`; PATCH /product_feeds/{id} to change it), over HTTPS
 *   (Reddit also fetches FTP and SFTP, which AdCP's url does not carry), in CSV or RSS 2.0 XML;
 * - catalogs need no OAuth scope beyond `adsedit`; a 403 is the member's role in the business,
 *   not a lost grant. The product batch limit is 150 calls a minute (429: RATE_LIMITED).
 */

/** The default currencies a Reddit catalog takes; a product's own currency is in its price. */
const catalogCurrencies = ['USD', 'GBP', 'CAD', 'EUR', 'AUD', 'JPY', 'CHF', 'NZD', 'SEK', 'NOK'];

const availability: Record<ProductAvailability, string> = {
  in_stock: 'IN_STOCK',
  out_of_stock: 'OUT_OF_STOCK',
  preorder: 'PREORDER',
  backorder: 'BACKORDER',
  discontinued: 'OUT_OF_STOCK',
};

const schedules: Record<ProviderFeed['frequency'], { interval: string; interval_count: number }> = {
  realtime: { interval: 'HOURLY', interval_count: 1 },
  hourly: { interval: 'HOURLY', interval_count: 1 },
  daily: { interval: 'DAILY', interval_count: 1 },
  weekly: { interval: 'WEEKLY', interval_count: 1 },
};

const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

function productOf(p: CatalogProduct) {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    link: p.link,
    image_link: p.imageLink,
    ...(p.additionalImageLinks.length && { additional_image_links: p.additionalImageLinks }),
    price: money(p.price, p.currency),
    ...(p.salePrice !== null && { sale_price: money(p.salePrice, p.currency) }),
    availability: availability[p.availability],
    condition: p.condition,
    ...(p.brand && { brand: p.brand }),
    ...(p.gtin && { gtin: p.gtin }),
    ...(p.mpn && { mpn: p.mpn }),
    ...(p.itemGroupId && { item_group_id: p.itemGroupId }),
    ...(p.category && { google_product_category: p.category }),
  };
}

/** Reddit's refusals said of catalogs: a 403 is the member's role in the business. */
function catalogError(status: number): ProviderError | null {
  if (status === 403) {
    return new ProviderError(
      'AUTH_REQUIRED',
      "The Reddit connection may not manage this business's product catalogs (a business role that manages catalogs)",
    );
  }
  if (status === 400 || status === 404 || status === 422) {
    return new ProviderError(
      'INVALID_REQUEST',
      `Reddit refused a field of this catalog (HTTP ${status})`,
    );
  }
  return redditError(status);
}

interface UpsertOutcome {
  status?: unknown;
  product?: { id?: unknown } | null;
  issues?: Array<{ message?: unknown; severity?: unknown }> | null;
}

/** The products Reddit refused: INVALID outcomes, matched to what was sent by position. */
function verdictsOf(sent: CatalogProduct[], answer: unknown): ItemVerdicts {
  const outcomes = (answer as { data?: unknown } | null)?.data;
  if (!Array.isArray(outcomes) || outcomes.length !== sent.length) {
    return { rejected: [], pending: 0 };
  }
  const rejected = (outcomes as UpsertOutcome[]).flatMap((o, i) => {
    if (o?.status !== 'INVALID') return [];
    const reasons = (o.issues ?? []).map((issue) =>
      typeof issue.message === 'string' ? issue.message : 'Reddit refused the product',
    );
    return [
      { id: sent[i]!.id, reasons: reasons.length ? reasons : ['Reddit refused the product'] },
    ];
  });
  return { rejected, pending: 0 };
}

const idOf = (id: unknown, what: string) => createdId(id, `Reddit made the ${what} without an id`);

export function redditCatalogs(fetch: OutboundFetch, apiUrl: string): ProviderCatalogs {
  const api = createRedditApi(fetch, apiUrl, { errorOf: catalogError });
  // Per request: the ad account's business and currency are read once for all its catalogs.
  const businesses = new WeakMap<AdapterContext, Promise<{ id: string; currency: string }>>();

  async function lookUpBusiness(ctx: AdapterContext) {
    const account = await api.get<{ business_id?: unknown; currency?: unknown }>(
      `ad_accounts/${encodeURIComponent(ctx.account.id)}`,
      ctx.accessToken,
    );
    const id = account?.business_id;
    if (typeof id !== 'string' || !id) {
      throw new ProviderError(
        'UNSUPPORTED_FEATURE',
        'The connected Reddit ad account belongs to no business, and Reddit keeps catalogs in one',
      );
    }
    const currency = String(account.currency ?? ctx.account.currency ?? '').toUpperCase();
    // The catalog's default only; every product is priced in its own currency.
    return { id, currency: catalogCurrencies.includes(currency) ? currency : 'USD' };
  }

  const businessOf = (ctx: AdapterContext) => {
    let found = businesses.get(ctx);
    if (!found) {
      found = lookUpBusiness(ctx);
      businesses.set(ctx, found);
    }
    return found;
  };
  const catalogPath = (id: string) => `product_catalogs/${encodeURIComponent(id)}`;

  return {
    types: ['product'],
    itemsPerCall: 1000,
    feedFormats: ['google_merchant_center', 'facebook_catalog'],
    feedSchemes: ['https:'],

    async createCatalog(ctx, name) {
      const business = await businessOf(ctx);
      // Not resent after a failure in transit (the API's writes never are): found by name.
      const made = await api.write<{ id?: unknown }>(
        'POST',
        `businesses/${encodeURIComponent(business.id)}/product_catalogs`,
        ctx.accessToken,
        { name, default_currency: business.currency, default_language: 'en' },
      );
      return idOf(made.id, 'catalog');
    },

    async findCatalog(ctx, name) {
      const business = await businessOf(ctx);
      const found = await api.pages<{ id?: unknown; name?: unknown }>(
        `businesses/${encodeURIComponent(business.id)}/product_catalogs`,
        ctx.accessToken,
        {},
        5000,
      );
      const match = found.find((c) => c.name === name);
      return match ? idOf(match.id, 'catalog') : null;
    },

    async deleteCatalog(ctx, catalogId) {
      await api.remove(catalogPath(catalogId), ctx.accessToken);
    },

    async writeItems(ctx, catalogId, change) {
      if (change.remove.length) {
        // Answered DELETED or NOT_FOUND per id: either way the catalog no longer holds it.
        await api.command(
          'POST',
          `${catalogPath(catalogId)}/products/batch_delete`,
          ctx.accessToken,
          change.remove,
        );
      }
      if (!change.upsert.length) return { rejected: [], pending: 0 };
      const answer = await api.command(
        'POST',
        `${catalogPath(catalogId)}/products/batch_upsert`,
        ctx.accessToken,
        change.upsert.map(productOf),
      );
      return verdictsOf(change.upsert, answer);
    },

    async registerFeed(ctx, catalogId, feed, feedId) {
      const fields = { name: feed.name, url: feed.url, schedule: schedules[feed.frequency] };
      // A feed made before a lost answer is found again by its name, not made twice.
      const existing =
        feedId ??
        (
          await api.pages<{ id?: unknown; name?: unknown }>(
            `${catalogPath(catalogId)}/product_feeds`,
            ctx.accessToken,
            {},
            100,
          )
        ).find((f) => f.name === feed.name)?.id;
      if (typeof existing === 'string' && existing) {
        await api.write(
          'PATCH',
          `product_feeds/${encodeURIComponent(existing)}`,
          ctx.accessToken,
          fields,
        );
        return existing;
      }
      const made = await api.write<{ id?: unknown }>(
        'POST',
        `${catalogPath(catalogId)}/product_feeds`,
        ctx.accessToken,
        { ...fields, mode: 'REPLACE' },
      );
      return idOf(made.id, 'feed');
    },
  };
}
