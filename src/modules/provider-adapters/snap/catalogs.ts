import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderCatalogs, ProviderFeed } from '../catalogs/contract.js';
import type { AdapterContext } from '../contract.js';
import { createdId, ProviderError } from '../errors.js';
import { createSnapApi, entities, snapError, type SnapErrorBody } from './api.js';

/*
 * Snap's product catalogs, from the Marketing API's "Dynamic Product Ads Guide"
 * (https://developers.snap.com/api/marketing-api/Ads-API/dynamic-product-ads) and Snap's
 * "API Patterns" for the calls that page does not spell out:
 * - a catalog belongs to an organization: the one owning the connected ad account
 *   (`organization_id` of GET /adaccounts/{id}). POST /organizations/{id}/catalogs
 *   (`{catalogs: [{organization_id, name, vertical: COMMERCE}]}`, a name of 1 to 375
 *   characters, at most 200 catalogs an organization), listed by GET on the same path and
 *   deleted by DELETE /catalogs/{id}; creating, changing or deleting a catalog takes the
 *   Organization Admin permission, so a 403 is the person's role, not a lost grant;
 * - products reach a Snap catalog through a product feed Snap fetches on a schedule ("Create a
 *   Product Feed under this catalog, providing the URL to your product data file (e.g., CSV,
 *   XML) and a schedule for Snap to fetch it"): POST /catalogs/{id}/product_feeds
 *   (`{product_feeds: [{catalog_id, name, default_currency, status: ACTIVE, schedule: {url,
 *   interval_type: HOURLY, interval_count}}]}`, the shape of Snap's own example as integrations
 *   quote it), listed by GET on the same path, changed by PUT of the whole feed there. The guide
 *   documents no call that writes a product, so a buyer's inline items are refused by name
 *   (catalogs/one-catalog.ts): a Snap catalog takes the buyer's feed URL;
 * - one scope (snapchat-marketing-api) covers catalogs: nothing new is asked at consent.
 */

/** Hours between fetches: HOURLY is the one interval type Snap's example shows. */
const hoursBetween: Record<ProviderFeed['frequency'], number> = {
  realtime: 1,
  hourly: 1,
  daily: 24,
  weekly: 168,
};

/** Snap's refusals said of catalogs: a 403 is the person's role in the organization. */
function catalogError(status: number, body: SnapErrorBody): ProviderError | null {
  if (status === 403) {
    return new ProviderError(
      'AUTH_REQUIRED',
      "The Snap connection may not manage this organization's catalogs (Snap asks for Organization Admin)",
    );
  }
  return snapError(status, body);
}

const idOf = (object: { id?: unknown } | undefined, what: string) =>
  createdId(object?.id, `Snap made the ${what} without an id`);

export function snapCatalogs(fetch: OutboundFetch, apiUrl: string): ProviderCatalogs {
  const api = createSnapApi(fetch, apiUrl, 1000, catalogError);
  // Per request: the ad account's organization and currency are read once for all catalogs.
  const organizations = new WeakMap<AdapterContext, Promise<{ id: string; currency: string }>>();

  async function lookUpOrganization(ctx: AdapterContext) {
    const answer = await api.get<Record<string, unknown>>(
      `adaccounts/${encodeURIComponent(ctx.account.id)}`,
      ctx.accessToken,
    );
    const [account] = entities<{ organization_id?: unknown; currency?: unknown }>(
      answer,
      'adaccounts',
      'adaccount',
    );
    const id = account?.organization_id;
    if (typeof id !== 'string' || !id) {
      throw new ProviderError(
        'SERVICE_UNAVAILABLE',
        'Snap did not say which organization owns the ad account',
        { retryable: true },
      );
    }
    const currency = typeof account?.currency === 'string' ? account.currency : null;
    return { id, currency: (currency ?? ctx.account.currency ?? 'USD').toUpperCase() };
  }

  const organizationOf = (ctx: AdapterContext) => {
    let found = organizations.get(ctx);
    if (!found) {
      found = lookUpOrganization(ctx);
      organizations.set(ctx, found);
    }
    return found;
  };
  const catalogsPath = (org: string) => `organizations/${encodeURIComponent(org)}/catalogs`;
  const feedsPath = (catalogId: string) =>
    `catalogs/${encodeURIComponent(catalogId)}/product_feeds`;

  return {
    types: ['product'],
    // No item writes at Snap (no writeItems): nothing is ever sent in batches.
    itemsPerCall: 0,
    feedFormats: ['google_merchant_center', 'facebook_catalog'],

    async createCatalog(ctx, name) {
      const org = await organizationOf(ctx);
      const made = await api.one<{ id?: unknown }>(
        'POST',
        catalogsPath(org.id),
        ctx.accessToken,
        ['catalogs', 'catalog'],
        { organization_id: org.id, name: name.slice(0, 375), vertical: 'COMMERCE' },
        // Made once: a create lost in transit is found by name on the next sync.
        { once: true },
      );
      return idOf(made, 'catalog');
    },

    async findCatalog(ctx, name) {
      const org = await organizationOf(ctx);
      const found = await api.pages<{ id?: unknown; name?: unknown }>(
        catalogsPath(org.id),
        ctx.accessToken,
        ['catalogs', 'catalog'],
        1000,
      );
      const match = found.find((c) => c.name === name.slice(0, 375));
      return match ? idOf(match, 'catalog') : null;
    },

    async deleteCatalog(ctx, catalogId) {
      await api.remove(`catalogs/${encodeURIComponent(catalogId)}`, ctx.accessToken);
    },

    async registerFeed(ctx, catalogId, feed, feedId) {
      const org = await organizationOf(ctx);
      const fields = {
        catalog_id: catalogId,
        name: feed.name,
        default_currency: org.currency,
        status: 'ACTIVE',
        schedule: {
          url: feed.url,
          interval_type: 'HOURLY',
          interval_count: hoursBetween[feed.frequency],
        },
      };
      // A feed made before a lost answer is found again by its name, not made twice.
      const existing =
        feedId ??
        (
          await api.pages<{ id?: unknown; name?: unknown }>(
            feedsPath(catalogId),
            ctx.accessToken,
            ['product_feeds', 'product_feed'],
            100,
          )
        ).find((f) => f.name === feed.name)?.id;
      if (typeof existing === 'string' && existing) {
        await api.one(
          'PUT',
          feedsPath(catalogId),
          ctx.accessToken,
          ['product_feeds', 'product_feed'],
          {
            id: existing,
            ...fields,
          },
        );
        return existing;
      }
      const made = await api.one<{ id?: unknown }>(
        'POST',
        feedsPath(catalogId),
        ctx.accessToken,
        ['product_feeds', 'product_feed'],
        fields,
        { once: true },
      );
      return idOf(made, 'feed');
    },
  };
}
