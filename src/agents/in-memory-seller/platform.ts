import type {
  Account,
  AccountStore,
  DecisioningPlatform,
  SalesCorePlatform,
  SalesIngestionPlatform,
} from '@adcp/sdk/server';
import type {
  CreativeAsset,
  GetMediaBuyDeliveryRequest,
  GetMediaBuyDeliveryResponse,
  GetMediaBuysRequest,
  GetMediaBuysResponse,
  GetProductsRequest,
  GetProductsResponse,
  ListCreativeFormatsRequest,
  ListCreativeFormatsResponse,
  MediaChannel,
} from '@adcp/sdk/types';
import {
  deliveredShare,
  statusOf,
  type BookedMediaBuy,
  type BookedRequest,
  type BookedUpdate,
  type MediaBuyBook,
} from './book.js';
import { selectProducts, type SellerCatalog } from './catalog.js';
import { cents, impressionsFor } from '../../sources/money.js';

type AccountMeta = Record<string, never>;
type SellerAccount = Account<AccountMeta>;

const defaultAccountId = 'demo_account';

// The seller serves any buyer: an account reference names the account, and calls without one
// (list_creative_formats) share a default account. No resolution mode is declared because
// 'implicit' and 'derived' both refuse inline account_id references.
const accounts: AccountStore<AccountMeta> = {
  resolve: async (ref) => {
    const id =
      ref && 'account_id' in ref
        ? ref.account_id
        : ref && 'brand' in ref
          ? `acct_${ref.brand.domain}`
          : defaultAccountId;
    const account: SellerAccount = {
      id,
      name: `Demo account ${id}`,
      status: 'active',
      ctx_metadata: {},
    };
    return account;
  },
};

type Format = ListCreativeFormatsResponse['formats'][number];

export interface InMemorySellerDeps {
  catalog: SellerCatalog;
  formats: Format[];
  mediaBuys: MediaBuyBook;
  /** The channels the seller sells (its capabilities). */
  channels: readonly MediaChannel[];
}

/**
 * The seller's tasks over its catalogue and media-buy book, each for the account that asks:
 * what the SDK platform below serves, and what the storefront sandbox calls directly.
 */
export function createInMemorySeller(deps: InMemorySellerDeps) {
  const { catalog, formats, mediaBuys } = deps;
  return {
    getProducts: (request: GetProductsRequest): GetProductsResponse => ({
      products: selectProducts(catalog, request),
    }),
    // A request naming format_ids gets those formats only (by id), as AdCP's filter says.
    listCreativeFormats: (
      request?: Pick<ListCreativeFormatsRequest, 'format_ids'>,
    ): ListCreativeFormatsResponse => {
      const wanted = new Set((request?.format_ids ?? []).map((f) => f.id));
      return { formats: wanted.size ? formats.filter((f) => wanted.has(f.format_id.id)) : formats };
    },
    createMediaBuy: (
      accountId: string,
      request: BookedRequest,
      packageIds?: ReadonlyArray<string | undefined>,
    ) => mediaBuys.create(accountId, request, packageIds),
    updateMediaBuy: (accountId: string, mediaBuyId: string, patch: BookedUpdate) =>
      mediaBuys.update(accountId, mediaBuyId, patch),
    getMediaBuys: async (
      accountId: string,
      request: Pick<GetMediaBuysRequest, 'media_buy_ids'>,
    ): Promise<GetMediaBuysResponse> => ({
      media_buys: (await mediaBuys.list(accountId, request.media_buy_ids)).map(toWireBuy),
    }),
    getMediaBuyDelivery: async (
      accountId: string,
      request: Pick<GetMediaBuyDeliveryRequest, 'media_buy_ids'>,
    ): Promise<GetMediaBuyDeliveryResponse> =>
      toDelivery(await mediaBuys.list(accountId, request.media_buy_ids)),
    // Creatives are accepted and approved as sent, and one sent archived (the buyer withdrawing
    // it) is answered archived; the seller keeps no creative library.
    syncCreatives: (creatives: ReadonlyArray<Pick<CreativeAsset, 'creative_id' | 'status'>>) =>
      creatives.map((creative) => ({
        creative_id: creative.creative_id,
        action: 'created' as const,
        status: creative.status === 'archived' ? ('archived' as const) : ('approved' as const),
      })),
  };
}

export type InMemorySeller = ReturnType<typeof createInMemorySeller>;

/** An in-memory seller as an @adcp/sdk decisioning platform. */
export function createInMemoryPlatform(deps: InMemorySellerDeps) {
  const seller = createInMemorySeller(deps);
  const sales: SalesCorePlatform<AccountMeta> & SalesIngestionPlatform<AccountMeta> = {
    getProducts: async (request) => seller.getProducts(request),
    listCreativeFormats: async (request) => seller.listCreativeFormats(request),
    createMediaBuy: (request, ctx) => seller.createMediaBuy(ctx.account.id, request),
    updateMediaBuy: (mediaBuyId, patch, ctx) =>
      seller.updateMediaBuy(ctx.account.id, mediaBuyId, patch),
    getMediaBuys: (request, ctx) => seller.getMediaBuys(ctx.account.id, request),
    getMediaBuyDelivery: (request, ctx) => seller.getMediaBuyDelivery(ctx.account.id, request),
    syncCreatives: async (creatives) => seller.syncCreatives(creatives),
  };
  return {
    capabilities: {
      specialisms: ['sales-non-guaranteed', 'sales-guaranteed'] as const,
      channels: deps.channels,
      pricingModels: ['cpm'] as const,
      config: {},
    },
    accounts,
    sales,
  } satisfies DecisioningPlatform<Record<string, never>, AccountMeta>;
}

type WireBuy = GetMediaBuysResponse['media_buys'][number];

function toWireBuy(buy: BookedMediaBuy): WireBuy {
  const status = statusOf(buy);
  return {
    media_buy_id: buy.media_buy_id,
    status,
    currency: 'USD',
    total_budget: buy.total_budget,
    start_time: buy.start_time,
    end_time: buy.end_time,
    confirmed_at: buy.created_at,
    created_at: buy.created_at,
    updated_at: buy.updated_at,
    revision: buy.revision,
    packages: buy.packages.map((pkg) => ({
      package_id: pkg.package_id,
      product_id: pkg.product_id,
      budget: pkg.budget,
      currency: 'USD',
      // Held by its buyer, also while a setup blocker is what its status shows.
      paused: status === 'paused' || (buy.state === 'paused' && status === 'pending_creatives'),
      canceled: status === 'canceled',
      // The seller reviews no creatives: whatever is assigned is approved.
      ...(pkg.creative_ids?.length && {
        creative_approvals: pkg.creative_ids.map((id) => ({
          creative_id: id,
          approval_status: 'approved' as const,
        })),
      }),
    })),
  };
}

// Delivery is simulated: each package spends its budget evenly across the flight.
function toDelivery(buys: BookedMediaBuy[]): GetMediaBuyDeliveryResponse {
  const now = new Date();
  const deliveries = buys.map((buy) => {
    const share = deliveredShare(buy, now.getTime());
    const byPackage = buy.packages.map((pkg) => {
      const spend = cents(pkg.budget * share);
      const impressions = impressionsFor(spend, pkg.cpm);
      // The 3.0.6 schema requires pricing_model, rate and currency here; the SDK's types do not.
      return {
        package_id: pkg.package_id,
        spend,
        impressions,
        pricing_model: 'cpm' as const,
        rate: pkg.cpm,
        currency: 'USD',
      };
    });
    const spend = cents(byPackage.reduce((sum, pkg) => sum + pkg.spend, 0));
    const impressions = byPackage.reduce((sum, pkg) => sum + pkg.impressions, 0);
    return {
      media_buy_id: buy.media_buy_id,
      status: statusOf(buy, now.getTime()),
      totals: { spend, impressions },
      by_package: byPackage,
    };
  });
  const earliest = buys.map((buy) => buy.start_time).sort()[0] ?? now.toISOString();
  return {
    reporting_period: { start: earliest, end: now.toISOString() },
    currency: 'USD',
    aggregated_totals: {
      spend: cents(deliveries.reduce((sum, d) => sum + d.totals.spend, 0)),
      impressions: deliveries.reduce((sum, d) => sum + d.totals.impressions, 0),
      media_buy_count: deliveries.length,
    },
    media_buy_deliveries: deliveries,
  };
}

/** The platform an in-memory seller answers with. */
export type InMemoryPlatform = ReturnType<typeof createInMemoryPlatform>;
