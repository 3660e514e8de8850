import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AmazonAdsApp } from '../../../provider-config.js';
import type {
  AdapterContext,
  ProviderAdapter,
  ProviderBuyStatus,
  ProviderRefs,
} from '../contract.js';
import { createAmazonApi } from './api.js';
import { createAmazonBuy, dailyBudget, int64, profileDay } from './buy.js';
import { amazonOAuth } from './oauth.js';
import {
  accountsOf,
  amazonChannels,
  callerOf,
  profileOf,
  listProfiles,
  productsOf,
  profileSettingsOf,
} from './profiles.js';
import { amazonDelivery } from './reports.js';

/*
 * The Amazon Ads API (https://advertising.amazon.com/API/docs/en-us/) selling Sponsored Display:
 * the advertiser profiles a Login with Amazon grant reaches in the configured API region
 * (profiles.ts), a buy as a campaign, ad groups, product ads to the buyer's landing page and
 * custom image creatives (buy.ts), pause, resume and cancel (archive) by the campaign's
 * `state` (PUT /sd/campaigns), status from GET /sd/campaigns/{id}, and delivery from reporting
 * v3's asynchronous reports (reports.ts). Sponsored Display rather than Sponsored Products or
 * Brands: it is Amazon's self-serve display product, the one whose ads are an advertiser's own
 * image and headline linking off Amazon (what a storefront's buyers bring); the others promote
 * listings on Amazon and need products sold there. Written against the documented REST API:
 * Amazon publishes no Node SDK for it.
 */

function buyStatus(state: unknown): ProviderBuyStatus {
  if (state === 'paused') return 'paused';
  if (state === 'archived') return 'canceled';
  return 'active';
}

export function amazonAdapter(
  fetch: OutboundFetch,
  app: AmazonAdsApp,
  now: () => number = Date.now,
  /** Reads creative files (and report files) from other hosts: the guarded client with the larger cap. */
  fileFetch: OutboundFetch = fetch,
): ProviderAdapter {
  const api = createAmazonApi(fetch, app);

  async function setState(ctx: AdapterContext, refs: ProviderRefs, state: string) {
    if (!refs.campaignId) return;
    await api.update(callerOf(ctx), 'sd/campaigns', { campaignId: int64(refs.campaignId), state });
  }

  return {
    provider: 'amazon',
    oauth: amazonOAuth(fetch, app, now),
    formatIds: ['display_image'],
    channels: amazonChannels,

    accounts: async (token) => accountsOf(await listProfiles(api, token)),
    settingsAfterConsent: async (token) => profileSettingsOf(await listProfiles(api, token)),
    products: (ctx, brief) => productsOf(api, ctx, brief),

    createBuy: (ctx, buy, refs, save) => createAmazonBuy(fileFetch, api, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) => setState(ctx, refs, paused ? 'paused' : 'enabled'),
    // Ad groups have no budget at Amazon: the campaign's daily budget is recomputed from the
    // changed buy (as at booking) and its flight moved, in the profile's time zone.
    async changeBuy(ctx, refs, change) {
      if (!refs.campaignId) return;
      const { timezone } = profileOf(ctx);
      await api.update(callerOf(ctx), 'sd/campaigns', {
        campaignId: int64(refs.campaignId),
        budget: dailyBudget(change.after),
        ...(change.startTime && { startDate: profileDay(change.startTime, timezone) }),
        ...(change.endTime && { endDate: profileDay(change.endTime, timezone) }),
      });
    },
    // Archiving is final at Amazon, as cancelling is in AdCP.
    cancel: (ctx, refs) => setState(ctx, refs, 'archived'),

    async status(ctx, refs) {
      if (!refs.campaignId) return 'pending_start';
      const campaign = await api.get<{ state?: unknown }>(
        callerOf(ctx),
        `sd/campaigns/${encodeURIComponent(refs.campaignId)}`,
      );
      return buyStatus(campaign.state);
    },

    delivery: (ctx, refs, period) => amazonDelivery(fileFetch, api, ctx, refs, period, profileDay),
  };
}
