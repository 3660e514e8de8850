import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterBuy, AdapterContext, AdapterCreative, ProviderRefs } from '../contract.js';
import { buyObjects, type ObjectMaker } from '../shared/buy-objects.js';
import { createdId, creativeNeeds, ProviderError } from '../errors.js';
import { placementOf } from '../shared/placement-products.js';
import type { SpotifyApi } from './api.js';
import { uploadAsset } from './assets.js';
import { categoryOf } from './category.js';
import { micro, spotifyPlacements } from './placements.js';

/*
 * A buy as Spotify objects (Ads API v3, "Build a Campaign", Create a Campaign, Create an Ad Set,
 * Create an Ad, Update Campaign; https://developer.spotify.com/documentation/ads-api/reference/
 * v3.0): a campaign (POST /ad_accounts/{id}/campaigns, objective REACH), set PAUSED at once
 * (Spotify makes it ACTIVE; PATCH …/campaigns/{id}); per package an ad set (POST …/ad_sets:
 * AUDIO, the ad category, a LIFETIME budget in micro-units, the flight, the country as
 * `targets.geo_targets`, the placement's `targets.placements` on every platform, the buyer's bid
 * as MAX_BID or AUTOBID without one); per inline creative its audio and companion image uploaded
 * as assets (assets.ts) and an ad (POST …/ads: the audio, the image as companion and logo, a
 * tagline, the account's name as advertiser and the click URL behind LEARN_MORE); then the
 * campaign set ACTIVE. Resumes from `refs`; each create is sent once, written ahead and, after
 * a lost answer, looked up by its name (which carries our buy id) in the account's list
 * (`name` filter, with `campaign_ids` / `ad_set_ids`) before it is sent again (shared/buy-objects.ts).
 */
export async function createSpotifyBuy(
  fetch: OutboundFetch,
  api: SpotifyApi,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  const token = ctx.accessToken;
  const account = `ad_accounts/${encodeURIComponent(ctx.account.id)}`;
  // Everything Spotify would refuse is refused before it hears of the buy.
  const plans = buy.packages.map((pkg) => {
    const placement = placementOf(spotifyPlacements, pkg.productId, 'Spotify');
    if (pkg.countries.length !== 1) {
      throw new ProviderError(
        'INVALID_REQUEST',
        `Package ${pkg.packageId}: a Spotify ad set targets one country; send one per package`,
      );
    }
    for (const creative of pkg.creatives) requireFits(creative);
    return { pkg, placement, country: pkg.countries[0]!.toUpperCase() };
  });
  const tag = `[${buy.buyId}]`;
  const objects = buyObjects(refs, save);
  /** A create sent once (postOnce), and the object found again under `list` by its name. */
  const maker = (
    path: string,
    body: Record<string, unknown> & { name: string },
    list: { path: string; key: string; query: Record<string, string> },
  ): ObjectMaker => ({
    create: async () =>
      idOf((await api.postOnce<{ id?: unknown }>(path, token, body)).id, list.key),
    async find() {
      const found = await api.pages<{ id?: unknown; name?: unknown; status?: unknown }>(
        list.path,
        token,
        list.key,
        50,
        { ...list.query, name: body.name },
      );
      const same = found.find((o) => o.name === body.name && o.status !== 'ARCHIVED');
      return typeof same?.id === 'string' ? same.id : undefined;
    },
  });

  // Settled before anything is made: a buy Spotify could not categorise leaves nothing behind.
  const category = plans.some(({ pkg }) => !objects.refs.packages[pkg.packageId]?.adSetId)
    ? await categoryOf(api, ctx)
    : undefined;
  const campaignName = `${buy.name.trim()} ${tag}`.slice(-200).trim();
  const campaignId = await objects.campaign(
    maker(
      `${account}/campaigns`,
      { name: campaignName, objective: 'REACH' },
      { path: `${account}/campaigns`, key: 'campaigns', query: {} },
    ),
  );
  const campaignPath = `${account}/campaigns/${encodeURIComponent(campaignId)}`;
  // Nothing delivers until every ad set and ad exists.
  await api.patch(campaignPath, token, { status: 'PAUSED' });
  for (const { pkg, placement, country } of plans) {
    const adSetId = await objects.adSet(
      pkg.packageId,
      maker(
        `${account}/ad_sets`,
        {
          name: `${placement.name} ${pkg.packageId} ${tag}`.slice(-200).trim(),
          campaign_id: campaignId,
          start_time: isoSeconds(buy.startTime),
          end_time: isoSeconds(buy.endTime),
          budget: { micro_amount: micro(pkg.budget), type: 'LIFETIME' },
          asset_format: 'AUDIO',
          category,
          targets: {
            geo_targets: { country_code: country },
            platforms: ['ANDROID', 'DESKTOP', 'IOS'],
            placements: placement.placements,
          },
          ...(pkg.bidCpm !== null
            ? { bid_strategy: 'MAX_BID', bid_micro_amount: micro(pkg.bidCpm) }
            : { bid_strategy: 'AUTOBID' }),
          pacing: 'PACING_EVEN',
          delivery: 'ON',
        },
        { path: `${account}/ad_sets`, key: 'ad_sets', query: { campaign_ids: campaignId } },
      ),
    );
    for (const creative of pkg.creatives) {
      const name = `${creative.name.trim()} ${creative.creativeId} ${tag}`.slice(-200).trim();
      const ad = maker(
        `${account}/ads`,
        { name },
        { path: `${account}/ads`, key: 'ads', query: { ad_set_ids: adSetId } },
      );
      await objects.ad(pkg.packageId, creative.creativeId, {
        find: ad.find,
        async create() {
          // Assets are uploaded only when the ad is to be made (an upload may be repeated).
          const common = { name: creative.name, creativeId: creative.creativeId };
          const audio = await uploadAsset(fetch, api, ctx, {
            ...common,
            type: 'AUDIO',
            url: creative.audioUrl!,
          });
          const image = await uploadAsset(fetch, api, ctx, {
            ...common,
            type: 'IMAGE',
            url: creative.imageUrl!,
          });
          const made = await api.postOnce<{ id?: unknown }>(`${account}/ads`, token, {
            name,
            ad_set_id: adSetId,
            tagline: textBetween(creative.text ?? creative.name, 40, 'Listen now'),
            advertiser_name: textBetween(ctx.account.name, 25, 'Advertiser'),
            assets: { asset_id: audio, companion_asset_id: image, logo_asset_id: image },
            call_to_action: { key: 'LEARN_MORE', clickthrough_url: creative.clickUrl },
            delivery: 'ON',
          });
          return idOf(made.id, 'ads');
        },
      });
    }
  }
  await api.patch(campaignPath, token, { status: 'ACTIVE' });
  return objects.refs;
}

/** Spotify's times: ISO 8601 in UTC without fractions (YYYY-MM-DDTHH:MM:SSZ). */
export const isoSeconds = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Text of 2 to `max` characters without surrounding spaces (Spotify's tagline and names). */
function textBetween(text: string, max: number, fallback: string): string {
  const trimmed = text.trim().slice(0, max).trim();
  return trimmed.length >= 2 ? trimmed : fallback;
}

function idOf(id: unknown, what: string): string {
  return createdId(id, `Spotify answered ${what} without an id`);
}

/** A Spotify audio ad needs the audio, a companion image and where a click on it goes. */
function requireFits(creative: AdapterCreative) {
  const lacking = [
    !creative.audioUrl && 'an audio asset',
    !creative.imageUrl && 'an image asset (the companion)',
    !creative.clickUrl && 'a click URL',
  ].filter(Boolean);
  if (lacking.length) {
    throw creativeNeeds(creative, `${lacking.join(', ')}: Spotify sources make audio ads`);
  }
}
