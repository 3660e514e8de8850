import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterBuy, AdapterContext, AdapterCreative, ProviderRefs } from '../contract.js';
import { buyObjects, idNamed, taggedName } from '../shared/buy-objects.js';
import { createdId, creativeNeeds } from '../errors.js';
import { plannedPackages } from '../shared/placement-products.js';
import type { PinterestApi } from './api.js';
import { uploadVideo, type VideoUploadOptions } from './media.js';
import { micros, pinterestPlacements, unixSeconds } from './placements.js';

/*
 * A buy as Pinterest objects (API v5, "Managing ads",
 * https://developers.pinterest.com/docs/api-features/managing-ads/): a campaign
 * (POST /ad_accounts/{id}/campaigns, objective AWARENESS, the flight), created PAUSED; per
 * package an ad group (POST /ad_accounts/{id}/ad_groups: a LIFETIME budget in micro-units, the
 * flight in Unix seconds, IMPRESSION billing, the placement group, the countries as
 * targeting_spec.LOCATION, the buyer's audiences as AUDIENCE_INCLUDE / AUDIENCE_EXCLUDE (audience
 * ids, "Create audiences"), the buyer's bid as MAX_BID or Pinterest's AUTOMATIC_BID without
 * one); per inline creative an ad-only Pin made from its image URL, title, description and
 * link (POST /pins?ad_account_id={id}, no board) and an ad promoting it
 * (POST /ad_accounts/{id}/ads, creative_type REGULAR); then the campaign set ACTIVE
 * (PATCH /ad_accounts/{id}/campaigns). Resumes from `refs`; every create is sent once (the
 * adapter's buying client does not resend a POST) and written ahead (shared/buy-objects.ts), and a
 * campaign, ad group or ad whose answer was lost is found by its name, which carries our buy id,
 * in "List campaigns" (GET /ad_accounts/{id}/campaigns, newest first: `order=DESCENDING`), "List
 * ad groups" (`campaign_ids`) or "List ads" (`ad_group_ids`), bookmark-paged; v5 has no name
 * filter. A Pin is not looked up (it delivers nothing without its ad): its id is saved once made.
 */
export async function createPinterestBuy(
  api: PinterestApi,
  fileFetch: OutboundFetch,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
  videoOptions: VideoUploadOptions = {},
): Promise<ProviderRefs> {
  const token = ctx.accessToken;
  const account = ctx.account.id;
  const base = `ad_accounts/${encodeURIComponent(account)}`;
  const plans = plannedPackages(buy.packages, pinterestPlacements, 'Pinterest', requireFits);
  const objects = buyObjects(refs, save);
  const find = (path: string, query: Record<string, string>, name: string) => async () =>
    idNamed(await api.pages<Record<string, unknown>>(path, token, query, 1000), name);
  const made = async (path: string, object: Record<string, unknown>, what: string) =>
    idOf((await api.one<{ id?: string }>('POST', path, token, object)).id, what);

  const campaignName = taggedName(buy.name, buy.buyId, 255);
  const campaignId = await objects.campaign({
    create: () =>
      made(
        `${base}/campaigns`,
        {
          ad_account_id: account,
          name: campaignName,
          objective_type: 'AWARENESS',
          status: 'PAUSED',
          start_time: unixSeconds(buy.startTime),
          end_time: unixSeconds(buy.endTime),
        },
        'campaign',
      ),
    find: find(`${base}/campaigns`, { order: 'DESCENDING' }, campaignName),
  });
  for (const { pkg, placement } of plans) {
    const groupName = taggedName(`${placement.name} ${pkg.packageId}`, buy.buyId, 255);
    const adGroupId = await objects.adSet(pkg.packageId, {
      create: () =>
        made(
          `${base}/ad_groups`,
          {
            campaign_id: campaignId,
            name: groupName,
            status: 'ACTIVE',
            budget_type: 'LIFETIME',
            budget_in_micro_currency: micros(pkg.budget),
            start_time: unixSeconds(buy.startTime),
            end_time: unixSeconds(buy.endTime),
            billable_event: 'IMPRESSION',
            placement_group: placement.placementGroup,
            targeting_spec: {
              LOCATION: pkg.countries,
              // The buyer's audiences (TargetingSpec AUDIENCE_INCLUDE / AUDIENCE_EXCLUDE).
              ...(pkg.audiences.include.length > 0 && { AUDIENCE_INCLUDE: pkg.audiences.include }),
              ...(pkg.audiences.exclude.length > 0 && { AUDIENCE_EXCLUDE: pkg.audiences.exclude }),
            },
            auto_targeting_enabled: false,
            pacing_delivery_type: 'STANDARD',
            ...(pkg.bidCpm !== null
              ? { bid_strategy_type: 'MAX_BID', bid_in_micro_currency: micros(pkg.bidCpm) }
              : { bid_strategy_type: 'AUTOMATIC_BID' }),
          },
          'ad group',
        ),
      find: find(`${base}/ad_groups`, { campaign_ids: campaignId }, groupName),
    });
    for (const creative of pkg.creatives) {
      const pinId = await objects.ad(pkg.packageId, `${creative.creativeId}#pin`, {
        create: async () =>
          idOf(
            (
              await api.post<{ id?: string }>(
                'pins',
                token,
                {
                  title: creative.name.slice(0, 100),
                  ...(creative.text && { description: creative.text.slice(0, 500) }),
                  link: creative.clickUrl,
                  media_source: creative.videoUrl
                    ? {
                        source_type: 'video_id',
                        media_id: await uploadVideo(api, fileFetch, ctx, creative, videoOptions),
                        // The image asset, when there is one, is the video's cover.
                        ...(creative.imageUrl
                          ? { cover_image_url: creative.imageUrl }
                          : { cover_image_key_frame_time: 1 }),
                      }
                    : { source_type: 'image_url', url: creative.imageUrl },
                },
                { ad_account_id: account },
              )
            ).id,
            'Pin',
          ),
      });
      // The creative's id tells two creatives of the same name apart within the ad group.
      const adName = taggedName(`${creative.name} ${creative.creativeId}`, buy.buyId, 255);
      await objects.ad(pkg.packageId, creative.creativeId, {
        create: () =>
          made(
            `${base}/ads`,
            {
              ad_group_id: adGroupId,
              creative_type: creative.videoUrl ? 'VIDEO' : 'REGULAR',
              pin_id: pinId,
              name: adName,
              status: 'ACTIVE',
              destination_url: creative.clickUrl,
            },
            'ad',
          ),
        find: find(`${base}/ads`, { ad_group_ids: adGroupId }, adName),
      });
    }
  }
  await api.one('PATCH', `${base}/campaigns`, token, {
    id: campaignId,
    ad_account_id: account,
    status: 'ACTIVE',
  });
  return objects.refs;
}

function idOf(id: unknown, what: string): string {
  return createdId(id, `Pinterest created the ${what} without an id`);
}

/** A Pin ad shows an image or a video and takes people to a link. */
function requireFits(creative: AdapterCreative) {
  if (!creative.imageUrl && !creative.videoUrl) {
    throw creativeNeeds(
      creative,
      'an image or a video asset: Pinterest sources make standard and video Pin ads',
    );
  }
  if (!creative.clickUrl) {
    throw creativeNeeds(creative, 'a click-through url asset: a promoted Pin must link somewhere');
  }
}
