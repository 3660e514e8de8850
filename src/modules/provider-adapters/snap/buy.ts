import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type {
  AdapterBuy,
  AdapterContext,
  AdapterCreative,
  AdapterPackage,
  ProviderRefs,
} from '../contract.js';
import { buyObjects, idNamed, taggedName } from '../shared/buy-objects.js';
import { createdId, creativeNeeds } from '../errors.js';
import { plannedPackages } from '../shared/placement-products.js';
import type { SnapApi } from './api.js';
import { uploadImage } from './media.js';
import { micro, snapPlacements } from './placements.js';

/**
 * The buyer's Customer List segments in an ad squad's targeting ("Targeting", Targeting Spec:
 * `segments`, a list of Customer List segment targets, https://developers.snap.com/api/
 * marketing-api/Ads-API/targeting): one entry naming the included segments (`segment_id`, a list)
 * with `operation` INCLUDE and one naming the excluded ones with EXCLUDE, which Snap always
 * applies last (AND). The entry's shape is the one SnapAds4J models (SegmentRequestTargeting,
 * github.com/yassineazimani/SnapAds4J): the stored page stops before its Segments section.
 * Snap's auto-expansion would reach beyond an included audience (`auto_expansion_options`: "by
 * default both of these options are enabled on creation", custom audiences and interests), so
 * both are turned off when the package includes one, and with them `enable_targeting_expansion`,
 * which integrators read back from Snap as on when it was not sent (docs/adapters.md, "Verified
 * against documentation only"); the squad targets no interests to expand.
 */
function segmentTargeting(audiences: AdapterPackage['audiences']) {
  const segments = [
    ...(audiences.include.length > 0
      ? [{ segment_id: audiences.include, operation: 'INCLUDE' }]
      : []),
    ...(audiences.exclude.length > 0
      ? [{ segment_id: audiences.exclude, operation: 'EXCLUDE' }]
      : []),
  ];
  return {
    ...(segments.length > 0 && { segments }),
    ...(audiences.include.length > 0 && {
      enable_targeting_expansion: false,
      auto_expansion_options: {
        interest_expansion_option: { enabled: false },
        custom_audience_expansion_option: { enabled: false },
      },
    }),
  };
}

/*
 * A buy as Snap objects (Marketing API, "Campaigns", "Ad Squads", "Creatives", "Ads",
 * https://developers.snap.com/api/marketing-api/Ads-API/): a campaign
 * (POST /adaccounts/{id}/campaigns, objective BRAND_AWARENESS, the flight), created PAUSED; per
 * package an ad squad (POST /campaigns/{id}/adsquads: SNAP_ADS, the placement, IMPRESSIONS
 * optimisation billed per IMPRESSION, a lifetime budget in micro-units, the flight, the countries
 * as targeting.geos and the buyer's audiences as its segments, the buyer's bid as
 * LOWEST_COST_WITH_MAX_BID or AUTO_BID without one); per inline creative its image uploaded as
 * media (media.ts), a creative (POST /adaccounts/{id}/creatives: WEB_VIEW opening the click
 * URL, or SNAP_AD without one) and an ad (POST /adsquads/{id}/ads); then the campaign set ACTIVE
 * (PUT /adaccounts/{id}/campaigns).
 * Resumes from `refs`; every create is sent once (`once`: not resent in transit) and written
 * ahead (shared/buy-objects.ts), and a campaign, ad squad or ad whose answer was lost is found by its
 * name, which carries our buy id, in the lists "API Patterns" describes ("Get Many Entities":
 * GET /adaccounts/{id}/campaigns, /campaigns/{id}/adsquads, /adsquads/{id}/ads, paged by
 * `limit` and `paging.next_link`, https://developers.snap.com/api/marketing-api/Ads-API/
 * api-patterns); Snap has no name filter. A creative is not looked up (it delivers nothing
 * without its ad): its id is saved once made.
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
  const plans = plannedPackages(buy.packages, snapPlacements, 'Snap', requireFits);
  const campaign = {
    ad_account_id: ctx.account.id,
    name: taggedName(buy.name, buy.buyId, 375),
    objective: 'BRAND_AWARENESS',
    start_time: buy.startTime.toISOString(),
    end_time: buy.endTime.toISOString(),
  };
  const objects = buyObjects(refs, save);
  const made = async (path: string, names: [string, string], object: Record<string, unknown>) =>
    idOf(
      (await api.one<{ id?: string }>('POST', path, token, names, object, { once: true })).id,
      names[1],
    );
  const find = (path: string, names: [string, string], name: string) => async () =>
    idNamed(await api.pages<Record<string, unknown>>(path, token, names, 5000), name);

  const campaignsPath = `adaccounts/${account}/campaigns`;
  const campaignId = await objects.campaign({
    create: () => made(campaignsPath, ['campaigns', 'campaign'], { ...campaign, status: 'PAUSED' }),
    find: find(campaignsPath, ['campaigns', 'campaign'], campaign.name),
  });
  for (const { pkg, placement } of plans) {
    const squadName = taggedName(`${placement.name} ${pkg.packageId}`, buy.buyId, 375);
    const squadsPath = `campaigns/${encodeURIComponent(campaignId)}/adsquads`;
    const squadId = await objects.adSet(pkg.packageId, {
      create: () =>
        made(squadsPath, ['adsquads', 'adsquad'], {
          campaign_id: campaignId,
          name: squadName,
          type: 'SNAP_ADS',
          status: 'ACTIVE',
          placement_v2: placement.placement,
          optimization_goal: 'IMPRESSIONS',
          billing_event: 'IMPRESSION',
          lifetime_budget_micro: micro(pkg.budget),
          start_time: buy.startTime.toISOString(),
          end_time: buy.endTime.toISOString(),
          targeting: {
            geos: pkg.countries.map((c) => ({ country_code: c.toLowerCase() })),
            ...segmentTargeting(pkg.audiences),
          },
          ...(pkg.bidCpm !== null
            ? { bid_strategy: 'LOWEST_COST_WITH_MAX_BID', bid_micro: micro(pkg.bidCpm) }
            : { bid_strategy: 'AUTO_BID' }),
        }),
      find: find(squadsPath, ['adsquads', 'adsquad'], squadName),
    });
    for (const creative of pkg.creatives) {
      // The creative's id tells two creatives of the same name apart within the ad squad.
      const name = taggedName(`${creative.name} ${creative.creativeId}`, buy.buyId, 375);
      const web = creative.clickUrl !== null;
      const creativeId = await objects.ad(pkg.packageId, `${creative.creativeId}#creative`, {
        create: async () =>
          made(`adaccounts/${account}/creatives`, ['creatives', 'creative'], {
            ad_account_id: ctx.account.id,
            name,
            type: web ? 'WEB_VIEW' : 'SNAP_AD',
            headline: (creative.text ?? creative.name).slice(0, 34),
            brand_name: ctx.account.name.slice(0, 32),
            shareable: true,
            top_snap_media_id: await uploadImage(fetch, api, ctx, creative),
            ...(web && {
              call_to_action: 'MORE',
              web_view_properties: { url: creative.clickUrl },
            }),
          }),
      });
      const adsPath = `adsquads/${encodeURIComponent(squadId)}/ads`;
      await objects.ad(pkg.packageId, creative.creativeId, {
        create: () =>
          made(adsPath, ['ads', 'ad'], {
            ad_squad_id: squadId,
            creative_id: creativeId,
            name,
            type: web ? 'REMOTE_WEBPAGE' : 'SNAP_AD',
            status: 'ACTIVE',
          }),
        find: find(adsPath, ['ads', 'ad'], name),
      });
    }
  }
  await api.one('PUT', campaignsPath, token, ['campaigns', 'campaign'], {
    ...campaign,
    id: campaignId,
    status: 'ACTIVE',
  });
  return objects.refs;
}

function idOf(id: unknown, what: string): string {
  return createdId(id, `Snap created the ${what} without an id`);
}

/** A Snap Ad here is an image Top Snap; its headline comes from the text or the name. */
function requireFits(creative: AdapterCreative) {
  if (!creative.imageUrl) {
    throw creativeNeeds(creative, 'an image asset: Snap sources make image Snap Ads');
  }
}
