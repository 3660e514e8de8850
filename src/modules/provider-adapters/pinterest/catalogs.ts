import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type {
  CatalogProduct,
  ProductAvailability,
  ProviderCatalogs,
} from '../catalogs/contract.js';
import type { AdapterContext } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import { createPinterestApi, pinterestError, type PinterestErrorBody } from './api.js';

/*
 * Pinterest's catalogs, from the API v5 reference (github.com/pinterest/api-description,
 * v5/openapi.json 5.23: "catalogs", "catalogs/items/batch", "catalogs/items/batch/{batch_id}")
 * and its shopping overview:
 * - a catalog belongs to a user account; with `ad_account_id` the owner of that ad account is
 *   the "operation user_account" (Business Access: Owner, Admin or Catalogs Manager), so the
 *   buyer's catalogs live with the connected ad account's owner. POST /catalogs
 *   (`catalog_type: RETAIL`, `name`), GET /catalogs (bookmark-paged) to find one by name; the
 *   OAuth scopes catalogs:read and catalogs:write;
 * - items by POST /catalogs/items/batch (`catalog_type: RETAIL`, `catalog_id`, `country`,
 *   `language`, at most 1,000 `items` of `{operation: UPSERT | DELETE, item_id, attributes}`),
 *   keyed by item_id, so a retry replaces instead of adding; processing is asynchronous: the
 *   answer's `batch_id` is read once (GET /catalogs/items/batch/{batch_id}) and, when COMPLETED,
 *   each FAILURE record names the refused item with its errors; otherwise the items are pending;
 * - v5 has no call that deletes a catalog: deleting the buyer's catalog deletes its items and
 *   leaves the empty catalog in the account;
 * - a feed URL is not registered: v5 says a feed's `catalog_id` "currently has no effect", so
 *   its items would land in the account's default catalog, not the buyer's.
 */

const availability: Record<ProductAvailability, string> = {
  in_stock: 'in stock',
  out_of_stock: 'out of stock',
  preorder: 'preorder',
  backorder: 'preorder',
  discontinued: 'out of stock',
};

const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

function attributesOf(p: CatalogProduct) {
  return {
    title: p.title,
    description: p.description,
    link: p.link,
    image_link: [p.imageLink],
    ...(p.additionalImageLinks.length && { additional_image_link: p.additionalImageLinks }),
    price: money(p.price, p.currency),
    ...(p.salePrice !== null && { sale_price: money(p.salePrice, p.currency) }),
    availability: availability[p.availability],
    condition: p.condition,
    ...(p.brand && { brand: p.brand }),
    ...(p.gtin && /^\d+$/.test(p.gtin) && { gtin: Number(p.gtin) }),
    ...(p.mpn && { mpn: p.mpn }),
    ...(p.itemGroupId && { item_group_id: p.itemGroupId }),
    ...(p.category && { google_product_category: p.category }),
  };
}

/** Pinterest's refusals said of catalogs: a 403 is the user's catalog role, not a lost grant. */
function catalogError(status: number, body: PinterestErrorBody): ProviderError | null {
  if (status === 403) {
    return new ProviderError(
      'AUTH_REQUIRED',
      'The Pinterest connection may not manage catalogs for this ad account (the catalogs:read and catalogs:write scopes, and an Owner, Admin or Catalogs Manager role): its operator reconnects it',
    );
  }
  if (status === 400 || status === 404 || status === 409) {
    const code = typeof body.code === 'number' ? ` (code ${body.code})` : '';
    return new ProviderError(
      'INVALID_REQUEST',
      `Pinterest refused a parameter of this catalog${code}`,
    );
  }
  return pinterestError(status, body);
}

interface BatchRecord {
  item_id?: unknown;
  status?: unknown;
  errors?: Array<{ message?: unknown; attribute?: unknown }>;
}

export function pinterestCatalogs(fetch: OutboundFetch, apiUrl: string): ProviderCatalogs {
  const api = createPinterestApi(fetch, apiUrl, { errorOf: catalogError });
  // Makes catalogs: not sent again after a failure in transit (found by name instead).
  const once = createPinterestApi(fetch, apiUrl, { errorOf: catalogError, retryPosts: false });
  const asOwner = (ctx: AdapterContext) => ({ ad_account_id: ctx.account.id });
  // Per request: the ad account's country is read once for all its catalogs' items.
  const countries = new WeakMap<AdapterContext, Promise<string>>();

  const countryOf = (ctx: AdapterContext) => {
    let found = countries.get(ctx);
    if (!found) {
      found = api
        .get<{ country?: unknown }>(
          `ad_accounts/${encodeURIComponent(ctx.account.id)}`,
          ctx.accessToken,
        )
        .then((a) => (typeof a.country === 'string' && a.country ? a.country : 'US'));
      countries.set(ctx, found);
    }
    return found;
  };

  async function batch(ctx: AdapterContext, catalogId: string, items: unknown[]) {
    const sent = await api.post<{ batch_id?: unknown; status?: unknown; items?: BatchRecord[] }>(
      'catalogs/items/batch',
      ctx.accessToken,
      {
        catalog_type: 'RETAIL',
        catalog_id: catalogId,
        country: await countryOf(ctx),
        language: 'EN',
        items,
      },
      asOwner(ctx),
    );
    if (sent.status === 'COMPLETED' || typeof sent.batch_id !== 'string') return sent;
    return api.get<{ status?: unknown; items?: BatchRecord[] }>(
      `catalogs/items/batch/${encodeURIComponent(sent.batch_id)}`,
      ctx.accessToken,
      asOwner(ctx),
    );
  }

  return {
    types: ['product'],
    itemsPerCall: 1000,

    async createCatalog(ctx, name) {
      const made = await once.post<{ id?: unknown }>(
        'catalogs',
        ctx.accessToken,
        { catalog_type: 'RETAIL', name },
        asOwner(ctx),
      );
      return createdId(made.id, 'Pinterest made the catalog without an id');
    },

    async findCatalog(ctx, name) {
      const found = await api.pages<{ id?: string; name?: string | null; catalog_type?: string }>(
        'catalogs',
        ctx.accessToken,
        asOwner(ctx),
        5000,
      );
      return found.find((c) => c.name === name && c.catalog_type === 'RETAIL')?.id ?? null;
    },

    async deleteCatalog(ctx, catalogId, itemIds) {
      for (let i = 0; i < itemIds.length; i += 1000) {
        const items = itemIds
          .slice(i, i + 1000)
          .map((id) => ({ operation: 'DELETE', item_id: id }));
        await batch(ctx, catalogId, items);
      }
    },

    async writeItems(ctx, catalogId, change) {
      const items = [
        ...change.upsert.map((p) => ({
          operation: 'UPSERT',
          item_id: p.id,
          attributes: attributesOf(p),
        })),
        ...change.remove.map((id) => ({ operation: 'DELETE', item_id: id })),
      ];
      const answer = await batch(ctx, catalogId, items);
      if (answer.status !== 'COMPLETED') return { rejected: [], pending: change.upsert.length };
      const rejected = (answer.items ?? []).flatMap((r) =>
        r.status === 'FAILURE' && typeof r.item_id === 'string'
          ? [
              {
                id: r.item_id,
                reasons: (r.errors ?? []).map((e) =>
                  typeof e.message === 'string' ? e.message : 'Pinterest refused the item',
                ),
              },
            ]
          : [],
      );
      return { rejected, pending: 0 };
    },
  };
}
