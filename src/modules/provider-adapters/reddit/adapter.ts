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
import { createRedditApi } from './api.js';
import { createRedditBuy } from './buy.js';
import { redditCatalogs } from './catalogs.js';
import { redditOAuth } from './oauth.js';
import { isoTime, micros, redditPlacements } from './placements.js';
import { redditSocial } from './social.js';
import { fromMicros } from '../../../sources/money.js';
import { changeEachAdSet, flightFields } from '../shared/ad-set-changes.js';
import { listedAccounts, pricingCurrency } from '../shared/accounts.js';

/*
 * Reddit Ads API v3 (https://ads-api.reddit.com/docs/v3/): the ad accounts a grant reaches (the
 * member's businesses, GET /me/businesses, and each one's GET /businesses/{id}/ad_accounts), a
 * buy as a campaign, ad groups, promoted posts and ads (buy.ts), status by GET/PATCH
 * /campaigns/{id}, and delivery from the account's report broken down by ad group
 * (POST /ad_accounts/{id}/reports); audiences, the pixel and conversion events (social.ts);
 * the buyers' product catalogs in the account's business (catalogs.ts).
 * Written against the documented REST API: Reddit publishes no official Node SDK (the npm
 * clients are community-generated and take no custom fetch, so their calls could not go
 * through our guarded outbound client).
 */

interface RedditAdAccount {
  id?: unknown;
  name?: unknown;
  currency?: unknown;
  admin_approval?: unknown;
  suspension_reason?: unknown;
}

/** Reddit's own review of the account: banned or suspended accounts cannot buy. */
function accountStatus(account: RedditAdAccount): ProviderAccount['status'] {
  if (account.suspension_reason) return 'suspended';
  switch (account.admin_approval) {
    case 'BANNED':
    case 'SUSPENDED':
    case 'SUSPICIOUS':
      return 'suspended';
    case 'PENDING':
    case 'NEEDS_ID_VERIFICATION':
      return 'pending_approval';
    default:
      return 'active';
  }
}

const hourMs = 3_600_000;
const wholeHour = (ms: number) => new Date(Math.floor(ms / hourMs) * hourMs).toISOString();
const redditChannels: MediaChannel[] = ['social'];

export function redditAdapter(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number = Date.now,
): ProviderAdapter {
  const api = createRedditApi(fetch, app.apiUrl);
  const accountPath = (ctx: AdapterContext) => `ad_accounts/${encodeURIComponent(ctx.account.id)}`;
  const campaignPath = (refs: ProviderRefs) =>
    `campaigns/${encodeURIComponent(refs.campaignId ?? '')}`;

  async function setStatus(ctx: AdapterContext, refs: ProviderRefs, status: string) {
    if (!refs.campaignId) return;
    await api.write('PATCH', campaignPath(refs), ctx.accessToken, { configured_status: status });
  }

  return {
    provider: 'reddit',
    channels: redditChannels,
    oauth: redditOAuth(fetch, app, now),
    formatIds: [...new Set(redditPlacements.flatMap((p) => p.formats))],
    social: redditSocial(api),
    catalogs: redditCatalogs(fetch, app.apiUrl),

    async accounts(token) {
      const businesses = await api.pages<{ id?: unknown }>('me/businesses', token, {}, 50);
      const accounts: RedditAdAccount[] = [];
      for (const business of businesses) {
        if (typeof business.id !== 'string' || !business.id) continue;
        accounts.push(
          ...(await api.pages<RedditAdAccount>(
            `businesses/${encodeURIComponent(business.id)}/ad_accounts`,
            token,
            {},
            500,
          )),
        );
      }
      return listedAccounts(accounts, accountStatus);
    },

    // The profile posts are made on is read at booking time, from the chosen account.
    settingsAfterConsent: () => Promise.resolve({}),

    async products(ctx, brief) {
      const account = await api.get<RedditAdAccount>(accountPath(ctx), ctx.accessToken);
      if (accountStatus(account ?? {}) !== 'active') return [];
      const currency = pricingCurrency(account?.currency, ctx);
      return placementProducts(redditPlacements, brief, currency, redditChannels);
    },

    createBuy: (ctx, buy, refs, save) => createRedditBuy(api, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) => setStatus(ctx, refs, paused ? 'PAUSED' : 'ACTIVE'),
    // Each ad group takes its package's new lifetime goal and the new flight (PATCH /ad_groups/{id}).
    async changeBuy(ctx, refs, change) {
      await changeEachAdSet(
        refs,
        change,
        {
          budget: (amount) => ({ goal_value: micros(amount) }),
          flight: flightFields(change, { start: 'start_time', end: 'end_time' }, isoTime),
        },
        (adSetId, fields) =>
          api.write('PATCH', `ad_groups/${encodeURIComponent(adSetId)}`, ctx.accessToken, fields),
      );
    },
    // ARCHIVED stops a campaign for good, as cancelling does in AdCP.
    cancel: (ctx, refs) => setStatus(ctx, refs, 'ARCHIVED'),

    async status(ctx, refs): Promise<ProviderBuyStatus> {
      if (!refs.campaignId) return 'pending_start';
      const campaign = await api.get<{ configured_status?: unknown; effective_status?: unknown }>(
        campaignPath(refs),
        ctx.accessToken,
      );
      const configured = campaign?.configured_status;
      if (configured === 'ARCHIVED' || configured === 'DELETED') return 'canceled';
      if (configured === 'PAUSED') return 'paused';
      if (campaign?.effective_status === 'COMPLETED') return 'completed';
      return 'active';
    },

    async delivery(ctx, refs, period) {
      const ours = new Set(
        Object.values(refs.packages)
          .map((p) => p.adSetId)
          .filter((id): id is string => Boolean(id)),
      );
      if (!ours.size) return deliveryByPackage(refs, []);
      const end = Math.max(period.end.getTime(), period.start.getTime() + hourMs);
      const rows = await api.report<Record<string, unknown>>(
        `${accountPath(ctx)}/reports`,
        ctx.accessToken,
        {
          starts_at: wholeHour(period.start.getTime()),
          // Whole hours, the end rounded up so the last hour counts.
          ends_at: wholeHour(end + hourMs - 1),
          breakdowns: ['AD_GROUP_ID'],
          fields: ['IMPRESSIONS', 'CLICKS', 'SPEND'],
        },
        20,
      );
      return deliveryByPackage(
        refs,
        rows
          .filter((r) => ours.has(String(r.ad_group_id ?? '')))
          .map((r) => ({
            adSetId: String(r.ad_group_id),
            impressions: Number(r.impressions ?? 0),
            clicks: Number(r.clicks ?? 0),
            spend: fromMicros(Number(r.spend ?? 0)),
          })),
      );
    },
  };
}
