import type { MediaChannel } from '@adcp/sdk/types';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import type {
  AdapterContext,
  ProviderAccount,
  ProviderAdapter,
  ProviderBuyStatus,
  ProviderRefs,
} from '../contract.js';
import { deliveryByPackage } from '../shared/delivery.js';
import { placementProducts } from '../shared/placement-products.js';
import { createPinterestApi } from './api.js';
import { createPinterestBuy } from './buy.js';
import { pinterestOAuth } from './oauth.js';
import { micros, pinterestPlacements, unixSeconds } from './placements.js';
import { pinterestSocial } from './social.js';
import { pinterestCatalogs } from './catalogs.js';
import { fromMicros } from '../../../sources/money.js';
import { changeEachAdSet, flightFields } from '../shared/ad-set-changes.js';
import { listedAccounts, pricingCurrency } from '../shared/accounts.js';

/*
 * Pinterest API v5 (https://developers.pinterest.com/docs/api/v5/): the ad accounts a grant
 * reaches (GET /ad_accounts, own and shared through Business Access, with the user's roles on
 * each), a buy as a campaign, ad groups, ad-only Pins and ads (buy.ts), status by
 * GET/PATCH /ad_accounts/{id}/campaigns, and delivery from the synchronous analytics of the
 * buy's ad groups (GET /ad_accounts/{id}/ad_groups/analytics, TOTAL granularity). Written
 * against the documented REST API: there is no maintained official Node SDK (the npm
 * `pinterest-sdk` is an unowned generated client on superagent that takes no custom fetch, so
 * its calls could not go through our guarded outbound client).
 */

/** Business Access roles that may create and change campaigns in the account. */
const buyingRoles = new Set(['OWNER', 'ADMIN', 'CAMPAIGN_MANAGER']);

interface PinterestAdAccount {
  id?: unknown;
  name?: unknown;
  currency?: unknown;
  permissions?: unknown;
}

/** An account the user may only read (Analyst, Finance, …) cannot take buys. */
function accountStatus(account: PinterestAdAccount): ProviderAccount['status'] {
  const roles = Array.isArray(account.permissions) ? account.permissions : [];
  return roles.some((r) => buyingRoles.has(String(r))) ? 'active' : 'suspended';
}

const dayMs = 86_400_000;
const day = (at: Date) => at.toISOString().slice(0, 10);

const pinterestChannels: MediaChannel[] = ['social'];

export function pinterestAdapter(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number = Date.now,
  /** Reads buyers' videos and posts them to Pinterest's storage (the larger file cap). */
  fileFetch: OutboundFetch = fetch,
): ProviderAdapter {
  const api = createPinterestApi(fetch, app.apiUrl);
  // Makes a buy's objects: a POST is not resent after a failure in transit (shared/buy-objects.ts).
  const buying = createPinterestApi(fetch, app.apiUrl, { retryPosts: false });
  const base = (ctx: AdapterContext) => `ad_accounts/${encodeURIComponent(ctx.account.id)}`;

  async function setStatus(ctx: AdapterContext, refs: ProviderRefs, status: string) {
    if (!refs.campaignId) return;
    await api.one('PATCH', `${base(ctx)}/campaigns`, ctx.accessToken, {
      id: refs.campaignId,
      ad_account_id: ctx.account.id,
      status,
    });
  }

  return {
    provider: 'pinterest',
    channels: pinterestChannels,
    oauth: pinterestOAuth(fetch, app, now),
    formatIds: [...new Set(pinterestPlacements.flatMap((p) => p.formats))],
    social: pinterestSocial(api),
    catalogs: pinterestCatalogs(fetch, app.apiUrl),

    async accounts(token) {
      const found = await api.pages<PinterestAdAccount>(
        'ad_accounts',
        token,
        { include_shared_accounts: 'true' },
        500,
      );
      return listedAccounts(found, accountStatus);
    },

    // Nothing else to choose after consent: ad-only Pins need no board.
    settingsAfterConsent: () => Promise.resolve({}),

    async products(ctx, brief) {
      const account = await api.get<PinterestAdAccount>(base(ctx), ctx.accessToken);
      if (accountStatus(account) !== 'active') return [];
      const currency = pricingCurrency(account.currency, ctx);
      return placementProducts(pinterestPlacements, brief, currency, pinterestChannels);
    },

    createBuy: (ctx, buy, refs, save) =>
      createPinterestBuy(buying, fileFetch, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) => setStatus(ctx, refs, paused ? 'PAUSED' : 'ACTIVE'),
    // The campaign takes the new flight first (its ad groups must fit in it), then each ad
    // group its package's new lifetime budget and the flight (bulk PATCH of one object each).
    async changeBuy(ctx, refs, change) {
      const flight = flightFields(change, { start: 'start_time', end: 'end_time' }, unixSeconds);
      if (refs.campaignId && Object.keys(flight).length) {
        await api.one('PATCH', `${base(ctx)}/campaigns`, ctx.accessToken, {
          id: refs.campaignId,
          ad_account_id: ctx.account.id,
          ...flight,
        });
      }
      await changeEachAdSet(
        refs,
        change,
        { budget: (amount) => ({ budget_in_micro_currency: micros(amount) }), flight },
        (adSetId, fields) =>
          api.one('PATCH', `${base(ctx)}/ad_groups`, ctx.accessToken, { id: adSetId, ...fields }),
      );
    },
    // ARCHIVED stops a campaign for good, as cancelling does in AdCP.
    cancel: (ctx, refs) => setStatus(ctx, refs, 'ARCHIVED'),

    async status(ctx, refs): Promise<ProviderBuyStatus> {
      if (!refs.campaignId) return 'pending_start';
      const campaign = await api.get<{ status?: unknown }>(
        `${base(ctx)}/campaigns/${encodeURIComponent(refs.campaignId)}`,
        ctx.accessToken,
      );
      if (campaign.status === 'PAUSED') return 'paused';
      if (campaign.status === 'ARCHIVED') return 'canceled';
      return 'active';
    },

    async delivery(ctx, refs, period) {
      const adGroupIds = Object.values(refs.packages)
        .map((p) => p.adSetId)
        .filter((id): id is string => Boolean(id))
        .slice(0, 250);
      if (!adGroupIds.length) return deliveryByPackage(refs, []);
      // Pinterest answers at most 90 days back and a window of at most 90 days.
      const earliest = new Date(now() - 89 * dayMs);
      const start = period.start < earliest ? earliest : period.start;
      const end = period.end < start ? start : period.end;
      const rows = await api.get<Array<Record<string, unknown>>>(
        `${base(ctx)}/ad_groups/analytics`,
        ctx.accessToken,
        {
          start_date: day(start),
          end_date: day(new Date(Math.min(end.getTime(), start.getTime() + 89 * dayMs))),
          ad_group_ids: adGroupIds.join(','),
          columns: 'PAID_IMPRESSION,CLICKTHROUGH_1,SPEND_IN_MICRO_DOLLAR',
          granularity: 'TOTAL',
        },
      );
      return deliveryByPackage(
        refs,
        (Array.isArray(rows) ? rows : []).map((r) => ({
          adSetId: String(r.AD_GROUP_ID ?? ''),
          impressions: Number(r.PAID_IMPRESSION ?? 0),
          clicks: Number(r.CLICKTHROUGH_1 ?? 0),
          spend: fromMicros(Number(r.SPEND_IN_MICRO_DOLLAR ?? 0)),
        })),
      );
    },
  };
}
