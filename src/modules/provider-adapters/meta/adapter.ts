import type { MediaChannel } from '@adcp/sdk/types';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { ProviderApp } from '../../../provider-config.js';
import {
  type AdapterContext,
  type ProviderAccount,
  type ProviderAdapter,
  type ProviderBuyStatus,
  type ProviderRefs,
} from '../contract.js';
import { createGraph } from './graph.js';
import { metaOAuth } from './oauth.js';
import { createMetaBuy } from './buy.js';
import { metaPlacements, minorUnits } from './placements.js';
import { metaSocial } from './social.js';
import { metaCatalogs } from './catalogs.js';
import { placementProducts } from '../shared/placement-products.js';
import { deliveryByPackage } from '../shared/delivery.js';
import { changeEachAdSet, flightFields } from '../shared/ad-set-changes.js';

const iso = (at: Date) => at.toISOString();

/*
 * Meta's Marketing API (https://developers.facebook.com/docs/marketing-api): ad accounts
 * (GET /me/adaccounts), a buy as a campaign (POST /act_{id}/campaigns), an ad set per package
 * with its lifetime budget, flight, bid and targeting (POST /act_{id}/adsets), an ad creative
 * and an ad per creative (POST /act_{id}/adcreatives, /act_{id}/ads), status by
 * POST /{campaign-id} {status}, and delivery from the Insights API at ad-set level
 * (GET /{campaign-id}/insights). Written against the documented REST API: the
 * facebook-nodejs-business-sdk takes no custom fetch, so its calls could not go through our
 * guarded outbound client.
 */

/** Meta's account_status codes (AdAccount reference) in AdCP's account words. */
function accountStatus(code: unknown): ProviderAccount['status'] {
  switch (code) {
    case 1:
      return 'active';
    case 3:
    case 8:
    case 9:
      return 'payment_required';
    case 7:
      return 'pending_approval';
    case 100:
    case 101:
    case 202:
      return 'closed';
    default:
      return 'suspended';
  }
}

interface MetaAdAccount {
  id: string;
  name?: string;
  currency?: string;
  account_status?: number;
}

const metaChannels: MediaChannel[] = ['social'];

export function metaAdapter(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number = Date.now,
): ProviderAdapter {
  const graph = createGraph(fetch, app.apiUrl);
  const act = (ctx: AdapterContext) =>
    ctx.account.id.startsWith('act_') ? ctx.account.id : `act_${ctx.account.id}`;

  async function setStatus(ctx: AdapterContext, refs: ProviderRefs, status: string) {
    if (!refs.campaignId) return;
    await graph.post(refs.campaignId, ctx.accessToken, { status });
  }

  return {
    provider: 'meta',
    channels: metaChannels,
    oauth: metaOAuth(fetch, app, now),
    formatIds: [...new Set(metaPlacements.flatMap((p) => p.formats))],
    social: metaSocial(graph),
    catalogs: metaCatalogs(fetch, app.apiUrl),

    async accounts(token) {
      const found = await graph.list<MetaAdAccount>(
        'me/adaccounts',
        token,
        { fields: 'id,name,currency,account_status', limit: '100' },
        500,
      );
      return found.map((a) => ({
        id: a.id,
        name: a.name ?? a.id,
        currency: a.currency ?? null,
        status: accountStatus(a.account_status),
      }));
    },

    async settingsAfterConsent(token) {
      const pages = await graph.list<{ id: string; name?: string }>(
        'me/accounts',
        token,
        { fields: 'id,name' },
        100,
      );
      return {
        pages: pages.map((p) => ({ id: p.id, name: p.name ?? p.id })),
        ...(pages[0] && { pageId: pages[0].id }),
      };
    },

    async products(ctx, brief) {
      const account = await graph.get<MetaAdAccount>(act(ctx), ctx.accessToken, {
        fields: 'id,currency,account_status',
      });
      if (accountStatus(account.account_status) !== 'active') return [];
      const currency = account.currency ?? ctx.account.currency ?? 'USD';
      return placementProducts(metaPlacements, brief, currency, metaChannels);
    },

    createBuy: (ctx, buy, refs, save) => createMetaBuy(graph, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) => setStatus(ctx, refs, paused ? 'PAUSED' : 'ACTIVE'),
    // Each ad set takes its package's new lifetime budget and the new flight (POST /{adset-id}).
    async changeBuy(ctx, refs, change) {
      const currency = ctx.account.currency ?? 'USD';
      await changeEachAdSet(
        refs,
        change,
        {
          budget: (amount) => ({ lifetime_budget: minorUnits(amount, currency) }),
          flight: flightFields(change, { start: 'start_time', end: 'end_time' }, iso),
        },
        (adSetId, fields) => graph.post(adSetId, ctx.accessToken, fields),
      );
    },
    cancel: (ctx, refs) => setStatus(ctx, refs, 'ARCHIVED'),

    async status(ctx, refs): Promise<ProviderBuyStatus> {
      if (!refs.campaignId) return 'pending_start';
      const campaign = await graph.get<{ status?: string }>(refs.campaignId, ctx.accessToken, {
        fields: 'status,effective_status',
      });
      if (campaign.status === 'PAUSED') return 'paused';
      if (campaign.status === 'ARCHIVED' || campaign.status === 'DELETED') return 'canceled';
      return 'active';
    },

    async delivery(ctx, refs, period) {
      if (!refs.campaignId) return [];
      const rows = await graph.list<{
        adset_id?: string;
        impressions?: string;
        clicks?: string;
        spend?: string;
      }>(
        `${refs.campaignId}/insights`,
        ctx.accessToken,
        {
          level: 'adset',
          fields: 'adset_id,impressions,clicks,spend',
          time_range: JSON.stringify({
            since: period.start.toISOString().slice(0, 10),
            until: period.end.toISOString().slice(0, 10),
          }),
        },
        1000,
      );
      return deliveryByPackage(
        refs,
        rows.map((r) => ({
          adSetId: String(r.adset_id ?? ''),
          impressions: Number(r.impressions ?? 0),
          clicks: Number(r.clicks ?? 0),
          spend: Number(r.spend ?? 0),
        })),
      );
    },
  };
}
