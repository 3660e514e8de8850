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
import { ProviderError } from '../errors.js';
import { placementProducts } from '../shared/placement-products.js';
import { createSpotifyApi } from './api.js';
import { createSpotifyBuy, isoSeconds } from './buy.js';
import { spotifyOAuth } from './oauth.js';
import { micro, spotifyChannels, spotifyPlacements } from './placements.js';
import { changeEachAdSet, flightFields } from '../shared/ad-set-changes.js';
import { pricingCurrency } from '../shared/accounts.js';

/*
 * Spotify's Ads API v3 (https://developer.spotify.com/documentation/ads-api): the ad accounts of
 * the user who consented (GET /ad_accounts, "Get Ad Accounts for Current User"), a buy as a
 * campaign, ad sets, assets and ads (buy.ts), status by GET and PATCH
 * /ad_accounts/{id}/campaigns/{id} (live objects cannot be deleted: cancel archives), and delivery
 * from the aggregate report at ad-set level by day (GET /ad_accounts/{id}/aggregate_reports,
 * "Reporting", paged by continuation_token). Written against the documented REST API: Spotify
 * publishes no Node SDK for it.
 */

interface SpotifyAdAccount {
  id?: unknown;
  name?: unknown;
  display_name?: unknown;
  currency?: unknown;
  status?: unknown;
}

/** Spotify's ad account status in AdCP's account words (an account without one is usable). */
function accountStatus(status: unknown): ProviderAccount['status'] {
  if (status === undefined || status === null || status === 'ACTIVE') return 'active';
  if (typeof status === 'string' && status.startsWith('PENDING')) return 'pending_approval';
  if (status === 'CLOSED' || status === 'ARCHIVED') return 'closed';
  return 'suspended';
}

const day = 86_400_000;
/** Report bounds at UTC midnight ("Time format"); DAY reports span at most 90 days. */
function reportRange(period: { start: Date; end: Date }) {
  const end = Math.floor(period.end.getTime() / day) * day;
  const start = Math.max(Math.floor(period.start.getTime() / day) * day, end - 89 * day);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { report_start: iso(start), report_end: iso(end) };
}

interface ReportRow {
  entity_id?: unknown;
  stats?: Array<{ field_type?: unknown; field_value?: unknown }>;
}

export function spotifyAdapter(
  fetch: OutboundFetch,
  app: ProviderApp,
  now: () => number = Date.now,
  /** Reads the buyer's audio and images (a larger size cap than API answers need). */
  creativeFetch: OutboundFetch = fetch,
): ProviderAdapter {
  const api = createSpotifyApi(fetch, app.apiUrl);
  const campaignPath = (ctx: AdapterContext, id: string) =>
    `ad_accounts/${encodeURIComponent(ctx.account.id)}/campaigns/${encodeURIComponent(id)}`;

  async function setStatus(ctx: AdapterContext, refs: ProviderRefs, status: string) {
    if (!refs.campaignId) return;
    await api.patch(campaignPath(ctx, refs.campaignId), ctx.accessToken, { status });
  }

  return {
    provider: 'spotify',
    oauth: spotifyOAuth(fetch, app, now),
    formatIds: [...new Set(spotifyPlacements.flatMap((p) => p.formats))],
    channels: spotifyChannels,

    async accounts(token) {
      const accounts = await api.pages<SpotifyAdAccount>('ad_accounts', token, 'ad_accounts', 500);
      return accounts
        .filter((a) => typeof a.id === 'string' && a.id)
        .map((a) => ({
          id: a.id as string,
          name:
            typeof a.display_name === 'string'
              ? a.display_name
              : typeof a.name === 'string'
                ? a.name
                : (a.id as string),
          currency: typeof a.currency === 'string' ? a.currency : null,
          status: accountStatus(a.status),
        }));
    },

    settingsAfterConsent: () => Promise.resolve({}),

    async products(ctx, brief) {
      const account = await api.get<SpotifyAdAccount>(
        `ad_accounts/${encodeURIComponent(ctx.account.id)}`,
        ctx.accessToken,
      );
      if (accountStatus(account.status) !== 'active') return [];
      const currency = pricingCurrency(account.currency, ctx);
      return placementProducts(spotifyPlacements, brief, currency, spotifyChannels);
    },

    createBuy: (ctx, buy, refs, save) => createSpotifyBuy(creativeFetch, api, ctx, buy, refs, save),
    setPaused: (ctx, refs, paused) => setStatus(ctx, refs, paused ? 'PAUSED' : 'ACTIVE'),
    // Each ad set takes its package's new lifetime budget and the new flight
    // (PATCH …/ad_sets/{id}, only what changes); campaigns carry no flight at Spotify.
    async changeBuy(ctx, refs, change) {
      await changeEachAdSet(
        refs,
        change,
        {
          budget: (amount) => ({ budget: { micro_amount: micro(amount), type: 'LIFETIME' } }),
          flight: flightFields(change, { start: 'start_time', end: 'end_time' }, isoSeconds),
        },
        (adSetId, fields) =>
          api.patch(
            `ad_accounts/${encodeURIComponent(ctx.account.id)}/ad_sets/${encodeURIComponent(adSetId)}`,
            ctx.accessToken,
            fields,
          ),
      );
    },
    // Live objects cannot be deleted at Spotify; archiving is final, as cancelling is in AdCP.
    cancel: (ctx, refs) => setStatus(ctx, refs, 'ARCHIVED'),

    async status(ctx, refs): Promise<ProviderBuyStatus> {
      if (!refs.campaignId) return 'pending_start';
      let campaign: { status?: unknown };
      try {
        campaign = await api.get(campaignPath(ctx, refs.campaignId), ctx.accessToken);
      } catch (error) {
        if (error instanceof ProviderError && error.code === 'REFERENCE_NOT_FOUND') {
          return 'canceled';
        }
        throw error;
      }
      if (campaign.status === 'ARCHIVED') return 'canceled';
      return campaign.status === 'PAUSED' ? 'paused' : 'active';
    },

    async delivery(ctx, refs, period) {
      const adSets = Object.values(refs.packages).flatMap((p) => (p.adSetId ? [p.adSetId] : []));
      if (!adSets.length) return deliveryByPackage(refs, []);
      const rows: ReportRow[] = [];
      let token: string | undefined;
      do {
        const page: { rows?: ReportRow[]; continuation_token?: unknown } = await api.get(
          `ad_accounts/${encodeURIComponent(ctx.account.id)}/aggregate_reports`,
          ctx.accessToken,
          token
            ? { continuation_token: token }
            : {
                entity_type: 'AD_SET',
                entity_ids: adSets.slice(0, 50),
                entity_ids_type: 'AD_SET',
                fields: ['IMPRESSIONS', 'CLICKS', 'SPEND'],
                granularity: 'DAY',
                limit: '50',
                ...reportRange(period),
              },
        );
        rows.push(...(page.rows ?? []));
        token = typeof page.continuation_token === 'string' ? page.continuation_token : undefined;
      } while (token && rows.length < 10_000);
      const stat = (row: ReportRow, field: string) =>
        Number(row.stats?.find((s) => s.field_type === field)?.field_value ?? 0);
      return deliveryByPackage(
        refs,
        rows.map((r) => ({
          adSetId: String(r.entity_id ?? ''),
          impressions: stat(r, 'IMPRESSIONS'),
          clicks: stat(r, 'CLICKS'),
          // Aggregate reports answer SPEND in the account's currency, not in micro-units.
          spend: stat(r, 'SPEND'),
        })),
      );
    },
  };
}
