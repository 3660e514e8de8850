import type { MediaChannel } from '@adcp/sdk/types';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { GoogleAdsApp } from '../../../provider-config.js';
import type { ProviderAdapter, ProviderBuyStatus } from '../contract.js';
import { placementProducts } from '../shared/placement-products.js';
import { accountStatus, createDiscovery } from './accounts.js';
import { createGoogleAdsApi, type GoogleAdsApi } from './api.js';
import { callerOf, campaignName, createGoogleBuy } from './buy.js';
import { changeGoogleBuy } from './changes.js';
import { googleOAuth } from './oauth.js';
import { googlePlacements } from './placements.js';
import { pricingCurrency } from '../shared/accounts.js';

/*
 * The Google Ads API (REST, v26 by default: https://developers.google.com/google-ads/api/rest/
 * overview): the accounts a grant reaches (accounts.ts), Display products in the account's
 * currency, a buy as one atomic mutate of budget, campaign, location criteria, image assets,
 * ad groups and image ads (buy.ts), pause and resume by updating the campaign's status, cancel
 * by removing it, status and delivery read with GAQL (delivery from `ad_group` metrics through
 * googleAds:searchStream). Written against the documented REST interface rather than the
 * `google-ads-api` npm package: that package needs Node 22 (this project runs on Node 20), and
 * it talks gRPC through google-gax, whose HTTP/2 connections cannot go through our guarded
 * outbound client.
 */

function buyStatus(status: unknown): ProviderBuyStatus {
  if (status === 'PAUSED') return 'paused';
  if (status === 'REMOVED') return 'canceled';
  return 'active';
}

async function setStatus(
  api: GoogleAdsApi,
  ctx: Parameters<ProviderAdapter['setPaused']>[0],
  campaignId: string | undefined,
  status: 'PAUSED' | 'ENABLED',
) {
  if (!campaignId) return;
  const caller = callerOf(ctx);
  await api.mutate(caller, [
    {
      campaignOperation: {
        update: { resourceName: campaignName(caller, campaignId), status },
        updateMask: 'status',
      },
    },
  ]);
}

/** Google Ads sells the Display Network here: display, not social. */
const googleChannels: MediaChannel[] = ['display'];

export function googleAdapter(
  fetch: OutboundFetch,
  app: GoogleAdsApp,
  now: () => number = Date.now,
  /** Reads creative files (and report files) from other hosts: the guarded client with the larger cap. */
  fileFetch: OutboundFetch = fetch,
): ProviderAdapter {
  const api = createGoogleAdsApi(fetch, app);
  const discover = createDiscovery(api);

  return {
    provider: 'google',
    channels: googleChannels,
    oauth: googleOAuth(fetch, app, now),
    formatIds: [...new Set(googlePlacements.flatMap((p) => p.formats))],

    accounts: async (token) => (await discover(token)).accounts,
    settingsAfterConsent: async (token) => ({
      loginCustomerIds: (await discover(token)).loginCustomerIds,
    }),

    async products(ctx, brief) {
      const [row] = await api.search(
        callerOf(ctx),
        'SELECT customer.currency_code, customer.status FROM customer',
        1,
      );
      if (accountStatus(row?.customer?.status) !== 'active') return [];
      const currency = pricingCurrency(row?.customer?.currencyCode, ctx);
      return placementProducts(googlePlacements, brief, currency, googleChannels);
    },

    createBuy: (ctx, buy, refs, save) => createGoogleBuy(api, fileFetch, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) =>
      setStatus(api, ctx, refs.campaignId, paused ? 'PAUSED' : 'ENABLED'),
    changeBuy: (ctx, refs, change) => changeGoogleBuy(api, ctx, refs, change),
    async cancel(ctx, refs) {
      if (!refs.campaignId) return;
      const caller = callerOf(ctx);
      // Removing is final at Google Ads, as cancelling is in AdCP.
      await api.mutate(caller, [
        { campaignOperation: { remove: campaignName(caller, refs.campaignId) } },
      ]);
    },

    async status(ctx, refs) {
      if (!refs.campaignId) return 'pending_start';
      const [row] = await api.search(
        callerOf(ctx),
        `SELECT campaign.id, campaign.status FROM campaign WHERE campaign.id = ${Number(refs.campaignId)}`,
        1,
      );
      return row ? buyStatus(row.campaign?.status) : 'canceled';
    },

    async delivery(ctx, refs, period) {
      if (!refs.campaignId) return [];
      const day = (at: Date) => at.toISOString().slice(0, 10);
      const rows = await api.searchStream(
        callerOf(ctx),
        `SELECT ad_group.id, metrics.impressions, metrics.clicks, metrics.cost_micros FROM ad_group WHERE campaign.id = ${Number(refs.campaignId)} AND segments.date BETWEEN '${day(period.start)}' AND '${day(period.end)}'`,
      );
      return Object.entries(refs.packages).map(([packageId, made]) => {
        const mine = rows.filter((r) => String(r.adGroup?.id) === made.adSetId);
        const sum = (k: 'impressions' | 'clicks' | 'costMicros') =>
          mine.reduce((total, r) => total + (Number(r.metrics?.[k] ?? 0) || 0), 0);
        return {
          packageId,
          impressions: sum('impressions'),
          clicks: sum('clicks'),
          spend: Math.round(sum('costMicros') / 10_000) / 100,
        };
      });
    },
  };
}
