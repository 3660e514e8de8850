import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterBuy, AdapterContext, AdapterCreative, ProviderRefs } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { SnapApi } from './api.js';
import { uploadImage } from './media.js';
import { micro, snapPlacements } from './placements.js';

/*
 * A buy as Snap objects (Marketing API, "Campaigns", "Ad Squads", "Creatives", "Ads",
 * https://developers.snap.com/api/marketing-api/Ads-API/): a campaign
 * (POST /adaccounts/{id}/campaigns, objective BRAND_AWARENESS, the flight), created PAUSED; per
 * package an ad squad (POST /campaigns/{id}/adsquads: SNAP_ADS, the placement, IMPRESSIONS
 * optimisation billed per IMPRESSION, a lifetime budget in micro-units, the flight, the countries
 * as targeting.geos, the buyer's bid as LOWEST_COST_WITH_MAX_BID or AUTO_BID without one); per
 * inline creative its image uploaded as media (media.ts), a creative (POST
 * /adaccounts/{id}/creatives: WEB_VIEW opening the click URL, or SNAP_AD without one) and an ad
 * (POST /adsquads/{id}/ads); then the campaign set ACTIVE (PUT /adaccounts/{id}/campaigns).
 * Resumes from `refs`, saving each id as Snap answers.
 */
export async function createSnapBuy(
  fetch: OutboundFetch,
  api: SnapApi,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  const token = ctx.accessToken;
  const account = encodeURIComponent(ctx.account.id);
  // Everything Snap would refuse is refused before it hears of the buy.
  const plans = buy.packages.map((pkg) => {
    const placement = snapPlacements.find((p) => p.id === pkg.productId);
    if (!placement)
      throw new ProviderError('PRODUCT_NOT_FOUND', `No Snap placement ${pkg.productId}`);
    for (const creative of pkg.creatives) requireFits(creative);
    return { pkg, placement };
  });
  const campaign = {
    ad_account_id: ctx.account.id,
    name: `${buy.name} [${buy.buyId}]`.slice(0, 375),
    objective: 'BRAND_AWARENESS',
    start_time: buy.startTime.toISOString(),
    end_time: buy.endTime.toISOString(),
  };
  const next: ProviderRefs = { ...refs, packages: { ...refs.packages } };
  if (!next.campaignId) {
    const made = await api.one<{ id?: string }>(
      'POST',
      `adaccounts/${account}/campaigns`,
      token,
      ['campaigns', 'campaign'],
      {
        ...campaign,
        status: 'PAUSED',
      },
    );
    next.campaignId = idOf(made.id, 'campaign');
    await save(next);
  }
  for (const { pkg, placement } of plans) {
    const made = { adIds: {}, ...next.packages[pkg.packageId] };
    if (!made.adSetId) {
      const squad = await api.one<{ id?: string }>(
        'POST',
        `campaigns/${encodeURIComponent(next.campaignId)}/adsquads`,
        token,
        ['adsquads', 'adsquad'],
        {
          campaign_id: next.campaignId,
          name: `${placement.name} ${pkg.packageId} [${buy.buyId}]`.slice(0, 375),
          type: 'SNAP_ADS',
          status: 'ACTIVE',
          placement_v2: placement.placement,
          optimization_goal: 'IMPRESSIONS',
          billing_event: 'IMPRESSION',
          lifetime_budget_micro: micro(pkg.budget),
          start_time: buy.startTime.toISOString(),
          end_time: buy.endTime.toISOString(),
          targeting: { geos: pkg.countries.map((c) => ({ country_code: c.toLowerCase() })) },
          ...(pkg.bidCpm !== null
            ? { bid_strategy: 'LOWEST_COST_WITH_MAX_BID', bid_micro: micro(pkg.bidCpm) }
            : { bid_strategy: 'AUTO_BID' }),
        },
      );
      made.adSetId = idOf(squad.id, 'ad squad');
      next.packages[pkg.packageId] = made;
      await save(next);
    }
    for (const creative of pkg.creatives) {
      if (made.adIds[creative.creativeId]) continue;
      const mediaId = await uploadImage(fetch, api, ctx, creative);
      const web = creative.clickUrl !== null;
      const creativeMade = await api.one<{ id?: string }>(
        'POST',
        `adaccounts/${account}/creatives`,
        token,
        ['creatives', 'creative'],
        {
          ad_account_id: ctx.account.id,
          name: `${creative.name} [${buy.buyId}]`.slice(0, 375),
          type: web ? 'WEB_VIEW' : 'SNAP_AD',
          headline: (creative.text ?? creative.name).slice(0, 34),
          brand_name: ctx.account.name.slice(0, 32),
          shareable: true,
          top_snap_media_id: mediaId,
          ...(web && { call_to_action: 'MORE', web_view_properties: { url: creative.clickUrl } }),
        },
      );
      const ad = await api.one<{ id?: string }>(
        'POST',
        `adsquads/${encodeURIComponent(made.adSetId)}/ads`,
        token,
        ['ads', 'ad'],
        {
          ad_squad_id: made.adSetId,
          creative_id: idOf(creativeMade.id, 'creative'),
          name: `${creative.name} [${buy.buyId}]`.slice(0, 375),
          type: web ? 'REMOTE_WEBPAGE' : 'SNAP_AD',
          status: 'ACTIVE',
        },
      );
      made.adIds = { ...made.adIds, [creative.creativeId]: idOf(ad.id, 'ad') };
      next.packages[pkg.packageId] = made;
      await save(next);
    }
  }
  await api.one('PUT', `adaccounts/${account}/campaigns`, token, ['campaigns', 'campaign'], {
    ...campaign,
    id: next.campaignId,
    status: 'ACTIVE',
  });
  return next;
}

function idOf(id: unknown, what: string): string {
  if (typeof id === 'string' && id) return id;
  throw new ProviderError('SERVICE_UNAVAILABLE', `Snap created the ${what} without an id`, {
    retryable: true,
  });
}

/** A Snap Ad here is an image Top Snap; its headline comes from the text or the name. */
function requireFits(creative: AdapterCreative) {
  if (!creative.imageUrl) {
    throw new ProviderError(
      'INVALID_REQUEST',
      `Creative ${creative.creativeId} needs an image asset: Snap sources make image Snap Ads`,
    );
  }
}
