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
import { ProviderError } from '../errors.js';
import { deliveryByPackage } from '../shared/delivery.js';
import { placementProducts } from '../shared/placement-products.js';
import { createTikTokApi, type TikTokApi } from './api.js';
import { createTikTokBuy } from './buy.js';
import { tiktokOAuth } from './oauth.js';
import { tiktokSocial } from './social.js';
import { tiktokCatalogs } from './catalogs.js';
import { money, scheduleTime, tiktokPlacements } from './placements.js';
import { changeEachAdSet, flightFields } from '../shared/ad-set-changes.js';
import { pricingCurrency } from '../shared/accounts.js';

/*
 * TikTok API for Business, Marketing API v1.3 (https://business-api.tiktok.com/portal/docs):
 * the advertisers a grant manages (GET /oauth2/advertiser/get/, then /advertiser/info/ for their
 * currency and status), a buy as a campaign, ad groups and ads (buy.ts), status by
 * POST /campaign/status/update/ and GET /campaign/get/, and delivery from the synchronous
 * reporting API (GET /report/integrated/get/, BASIC report at ad-group level). Written against
 * the documented REST API: the official Node SDK (tiktok-business-api-sdk-official) makes its
 * own HTTP calls through superagent and takes no custom fetch, so its calls could not go through
 * our guarded outbound client.
 */

/** TikTok's advertiser status (Enumeration - Advertiser status) in AdCP's account words. */
function accountStatus(status: unknown): ProviderAccount['status'] {
  switch (status) {
    case 'STATUS_ENABLE':
      return 'active';
    case 'STATUS_CONFIRM_FAIL':
    case 'STATUS_CONFIRM_FAIL_END':
    case 'STATUS_LIMIT':
    case 'STATUS_DISABLE':
    case 'STATUS_SELF_SERVICE_UNAUDITED':
      return 'suspended';
    default:
      return typeof status === 'string' && status.includes('PENDING')
        ? 'pending_approval'
        : 'suspended';
  }
}

interface AdvertiserInfo {
  advertiser_id?: unknown;
  name?: unknown;
  currency?: unknown;
  status?: unknown;
}

const infoFields = ['advertiser_id', 'name', 'currency', 'status'];

async function advertiserInfo(api: TikTokApi, token: string, ids: string[]) {
  const found: AdvertiserInfo[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const data = await api.get<{ list?: AdvertiserInfo[] }>('advertiser/info', token, {
      advertiser_ids: ids.slice(i, i + 100),
      fields: infoFields,
    });
    found.push(...(data.list ?? []));
  }
  return found;
}

const tiktokChannels: MediaChannel[] = ['social'];

export function tiktokAdapter(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number = Date.now,
): ProviderAdapter {
  const api = createTikTokApi(fetch, app.apiUrl);
  const advertiser = (ctx: AdapterContext) => ({ advertiser_id: ctx.account.id });

  async function setStatus(ctx: AdapterContext, refs: ProviderRefs, status: string) {
    if (!refs.campaignId) return;
    await api.post('campaign/status/update', ctx.accessToken, {
      ...advertiser(ctx),
      campaign_ids: [refs.campaignId],
      operation_status: status,
    });
  }

  return {
    provider: 'tiktok',
    channels: tiktokChannels,
    oauth: tiktokOAuth(fetch, app, now),
    social: tiktokSocial(api),
    catalogs: tiktokCatalogs(fetch, app.apiUrl),
    formatIds: [...new Set(tiktokPlacements.flatMap((p) => p.formats))],

    async accounts(token) {
      if (!app.clientId || !app.clientSecret) {
        throw new ProviderError('SERVICE_UNAVAILABLE', 'TikTok is not configured on this instance');
      }
      // The documented call takes the app's id and secret as query parameters.
      const granted = await api.get<{
        list?: Array<{ advertiser_id?: unknown; advertiser_name?: unknown }>;
      }>('oauth2/advertiser/get', token, { app_id: app.clientId, secret: app.clientSecret });
      const ids = (granted.list ?? [])
        .map((a) => String(a.advertiser_id ?? ''))
        .filter(Boolean)
        .slice(0, 500);
      const names = new Map((granted.list ?? []).map((a) => [String(a.advertiser_id), a]));
      const infos = new Map(
        (await advertiserInfo(api, token, ids)).map((a) => [String(a.advertiser_id), a]),
      );
      return ids.map((id) => {
        const info = infos.get(id);
        const name = info?.name ?? names.get(id)?.advertiser_name;
        return {
          id,
          name: typeof name === 'string' ? name : id,
          currency: typeof info?.currency === 'string' ? info.currency : null,
          status: accountStatus(info?.status),
        };
      });
    },

    // Nothing else to choose after consent: ads run as the account's custom identity.
    settingsAfterConsent: () => Promise.resolve({}),

    async products(ctx, brief) {
      const [info] = await advertiserInfo(api, ctx.accessToken, [ctx.account.id]);
      if (!info || accountStatus(info.status) !== 'active') return [];
      const currency = pricingCurrency(info.currency, ctx);
      return placementProducts(tiktokPlacements, brief, currency, tiktokChannels);
    },

    createBuy: (ctx, buy, refs, save) => createTikTokBuy(api, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) => setStatus(ctx, refs, paused ? 'DISABLE' : 'ENABLE'),
    // Each ad group takes its package's new lifetime budget and the new schedule
    // (POST /adgroup/update/, only the fields that change).
    async changeBuy(ctx, refs, change) {
      await changeEachAdSet(
        refs,
        change,
        {
          budget: (amount) => ({ budget: money(amount) }),
          flight: flightFields(
            change,
            { start: 'schedule_start_time', end: 'schedule_end_time' },
            scheduleTime,
          ),
        },
        (adSetId, fields) =>
          api.post('adgroup/update', ctx.accessToken, {
            ...advertiser(ctx),
            adgroup_id: adSetId,
            ...fields,
          }),
      );
    },
    // DELETE is final at TikTok, as cancelling is in AdCP.
    cancel: (ctx, refs) => setStatus(ctx, refs, 'DELETE'),

    async status(ctx, refs): Promise<ProviderBuyStatus> {
      if (!refs.campaignId) return 'pending_start';
      const data = await api.get<{
        list?: Array<{
          campaign_id?: unknown;
          operation_status?: unknown;
          secondary_status?: unknown;
        }>;
      }>('campaign/get', ctx.accessToken, {
        ...advertiser(ctx),
        filtering: { campaign_ids: [refs.campaignId] },
        fields: ['campaign_id', 'operation_status', 'secondary_status'],
      });
      const campaign = data.list?.find((c) => String(c.campaign_id) === refs.campaignId);
      if (!campaign || campaign.secondary_status === 'CAMPAIGN_STATUS_DELETE') return 'canceled';
      return campaign.operation_status === 'DISABLE' ? 'paused' : 'active';
    },

    async delivery(ctx, refs, period) {
      if (!refs.campaignId) return [];
      const rows = await api.pages<{
        dimensions?: { adgroup_id?: unknown };
        metrics?: { impressions?: unknown; clicks?: unknown; spend?: unknown };
      }>(
        'report/integrated/get',
        ctx.accessToken,
        {
          ...advertiser(ctx),
          report_type: 'BASIC',
          data_level: 'AUCTION_ADGROUP',
          dimensions: ['adgroup_id'],
          metrics: ['impressions', 'clicks', 'spend'],
          start_date: period.start.toISOString().slice(0, 10),
          end_date: period.end.toISOString().slice(0, 10),
          filtering: [
            {
              field_name: 'campaign_ids',
              filter_type: 'IN',
              filter_value: JSON.stringify([refs.campaignId]),
            },
          ],
        },
        1000,
      );
      return deliveryByPackage(
        refs,
        rows.map((r) => ({
          adSetId: String(r.dimensions?.adgroup_id ?? ''),
          impressions: Number(r.metrics?.impressions ?? 0),
          clicks: Number(r.metrics?.clicks ?? 0),
          spend: Number(r.metrics?.spend ?? 0),
        })),
      );
    },
  };
}
