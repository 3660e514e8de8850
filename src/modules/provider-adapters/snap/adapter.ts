import type { MediaChannel } from '@adcp/sdk/types';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { SnapApp } from '../../../provider-config.js';
import type {
  AdapterContext,
  ProviderAccount,
  ProviderAdapter,
  ProviderBuyStatus,
  ProviderRefs,
} from '../contract.js';
import { deliveryByPackage } from '../shared/delivery.js';
import { placementProducts } from '../shared/placement-products.js';
import { createSnapApi, entities } from './api.js';
import { createSnapBuy } from './buy.js';
import { snapCatalogs } from './catalogs.js';
import { createSnapConversions } from './conversions.js';
import { snapOAuth } from './oauth.js';
import { micro, snapPlacements } from './placements.js';
import { snapSocial } from './social.js';
import { fromMicros } from '../../../sources/money.js';
import { changeEachAdSet, flightFields } from '../shared/ad-set-changes.js';
import { listedAccounts, pricingCurrency } from '../shared/accounts.js';

/*
 * Snap's Marketing API (https://developers.snap.com/api/marketing-api/Ads-API/introduction):
 * the ad accounts of the organizations a grant reaches (GET /me/organizations?with_ad_accounts),
 * a buy as a campaign, ad squads, media, creatives and ads (buy.ts), status by
 * GET /campaigns/{id} and PUT /adaccounts/{id}/campaigns, cancel by DELETE /campaigns/{id}, and
 * delivery from the campaign's stats broken down by ad squad
 * (GET /campaigns/{id}/stats?breakdown=adsquad, "Measurement"); customer-list audiences, the
 * account's pixel and the Conversions API for sales-social (social.ts), and the buyers' product
 * catalogs in the account's organization, filled from feeds (catalogs.ts). Written against the documented
 * REST API: Snap publishes no Node SDK for it.
 */

interface SnapAdAccount {
  id?: unknown;
  name?: unknown;
  currency?: unknown;
  status?: unknown;
}

/** Snap's ad account status in AdCP's account words. */
function accountStatus(status: unknown): ProviderAccount['status'] {
  if (status === 'ACTIVE') return 'active';
  if (typeof status === 'string' && status.startsWith('PENDING')) return 'pending_approval';
  return 'suspended';
}

interface SnapCampaign {
  id?: unknown;
  ad_account_id?: unknown;
  name?: unknown;
  status?: unknown;
  objective?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  deleted?: unknown;
}

/** Stats times fall on the hour (UTC). */
const hour = (at: Date, up: boolean) => {
  const ms = 3_600_000;
  return new Date((up ? Math.ceil : Math.floor)(at.getTime() / ms) * ms).toISOString();
};

const snapChannels: MediaChannel[] = ['social'];

export function snapAdapter(
  fetch: OutboundFetch,
  app: SnapApp,
  now: () => number = Date.now,
  /** Reads creative files (and report files) from other hosts: the guarded client with the larger cap. */
  fileFetch: OutboundFetch = fetch,
): ProviderAdapter {
  const api = createSnapApi(fetch, app.apiUrl);

  async function campaignOf(ctx: AdapterContext, id: string) {
    const answer = await api.get<Record<string, unknown>>(
      `campaigns/${encodeURIComponent(id)}`,
      ctx.accessToken,
      { read_deleted_entities: 'true' },
    );
    const [campaign] = entities<SnapCampaign>(answer, 'campaigns', 'campaign');
    return campaign;
  }

  /** Snap replaces an object whole: the campaign as it is, with `change` over it. */
  async function putCampaign(
    ctx: AdapterContext,
    refs: ProviderRefs,
    change: { status?: string; start_time?: string; end_time?: string },
  ) {
    if (!refs.campaignId) return;
    const campaign = await campaignOf(ctx, refs.campaignId);
    await api.one(
      'PUT',
      `adaccounts/${encodeURIComponent(ctx.account.id)}/campaigns`,
      ctx.accessToken,
      ['campaigns', 'campaign'],
      {
        id: refs.campaignId,
        ad_account_id: ctx.account.id,
        name: campaign?.name,
        objective: campaign?.objective,
        status: campaign?.status,
        start_time: campaign?.start_time,
        ...(campaign?.end_time !== undefined && { end_time: campaign.end_time }),
        ...change,
      },
    );
  }

  const setStatus = (ctx: AdapterContext, refs: ProviderRefs, status: string) =>
    putCampaign(ctx, refs, { status });

  /** An ad squad put back whole with its new budget and flight (PUT /campaigns/{id}/adsquads). */
  async function putSquad(
    ctx: AdapterContext,
    refs: ProviderRefs,
    squadId: string,
    change: Record<string, unknown>,
  ) {
    const answer = await api.get<Record<string, unknown>>(
      `adsquads/${encodeURIComponent(squadId)}`,
      ctx.accessToken,
    );
    const [squad] = entities<Record<string, unknown>>(answer, 'adsquads', 'adsquad');
    if (!squad) return;
    const { created_at: _c, updated_at: _u, delivery_status: _d, ...fields } = squad;
    await api.one(
      'PUT',
      `campaigns/${encodeURIComponent(refs.campaignId ?? '')}/adsquads`,
      ctx.accessToken,
      ['adsquads', 'adsquad'],
      { ...fields, id: squadId, ...change },
    );
  }

  return {
    provider: 'snap',
    channels: snapChannels,
    oauth: snapOAuth(fetch, app, now),
    formatIds: [...new Set(snapPlacements.flatMap((p) => p.formats))],
    social: snapSocial(api, createSnapConversions(fetch, app.conversionsUrl)),
    catalogs: snapCatalogs(fetch, app.apiUrl),

    async accounts(token) {
      const answer = await api.get<Record<string, unknown>>('me/organizations', token, {
        with_ad_accounts: 'true',
      });
      const organizations = entities<{ ad_accounts?: SnapAdAccount[] }>(
        answer,
        'organizations',
        'organization',
      );
      return listedAccounts(
        organizations.flatMap((o) => o.ad_accounts ?? []),
        (a) => accountStatus(a.status),
      ).slice(0, 500);
    },

    settingsAfterConsent: () => Promise.resolve({}),

    async products(ctx, brief) {
      const answer = await api.get<Record<string, unknown>>(
        `adaccounts/${encodeURIComponent(ctx.account.id)}`,
        ctx.accessToken,
      );
      const [account] = entities<SnapAdAccount>(answer, 'adaccounts', 'adaccount');
      if (!account || accountStatus(account.status) !== 'active') return [];
      const currency = pricingCurrency(account.currency, ctx);
      return placementProducts(snapPlacements, brief, currency, snapChannels);
    },

    createBuy: (ctx, buy, refs, save) => createSnapBuy(fileFetch, api, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) => setStatus(ctx, refs, paused ? 'PAUSED' : 'ACTIVE'),
    // The campaign takes the new flight first (its squads must fit in it), then each ad squad
    // its package's new lifetime budget and the flight; each put back whole, as Snap replaces.
    async changeBuy(ctx, refs, change) {
      const flight = flightFields(change, { start: 'start_time', end: 'end_time' }, (at) =>
        at.toISOString(),
      );
      if (Object.keys(flight).length) await putCampaign(ctx, refs, flight);
      await changeEachAdSet(
        refs,
        change,
        { budget: (amount) => ({ lifetime_budget_micro: micro(amount) }), flight },
        (adSetId, fields) => putSquad(ctx, refs, adSetId, fields),
      );
    },

    async cancel(ctx, refs) {
      if (!refs.campaignId) return;
      // Deleting is final at Snap, as cancelling is in AdCP.
      await api.remove(`campaigns/${encodeURIComponent(refs.campaignId)}`, ctx.accessToken);
    },

    async status(ctx, refs): Promise<ProviderBuyStatus> {
      if (!refs.campaignId) return 'pending_start';
      const campaign = await campaignOf(ctx, refs.campaignId);
      if (!campaign || campaign.deleted === true) return 'canceled';
      return campaign.status === 'PAUSED' ? 'paused' : 'active';
    },

    async delivery(ctx, refs, period) {
      if (!refs.campaignId) return deliveryByPackage(refs, []);
      const answer = await api.get<{
        total_stats?: Array<{
          total_stat?: {
            breakdown_stats?: {
              adsquad?: Array<{ id?: unknown; stats?: Record<string, unknown> }>;
            };
          };
        }>;
      }>(`campaigns/${encodeURIComponent(refs.campaignId)}/stats`, ctx.accessToken, {
        granularity: 'TOTAL',
        breakdown: 'adsquad',
        fields: 'impressions,swipes,spend',
        start_time: hour(period.start, false),
        end_time: hour(period.end, true),
      });
      const squads = answer.total_stats?.[0]?.total_stat?.breakdown_stats?.adsquad ?? [];
      return deliveryByPackage(
        refs,
        squads.map((s) => ({
          adSetId: String(s.id ?? ''),
          impressions: Number(s.stats?.impressions ?? 0),
          clicks: Number(s.stats?.swipes ?? 0),
          spend: fromMicros(Number(s.stats?.spend ?? 0)),
        })),
      );
    },
  };
}
