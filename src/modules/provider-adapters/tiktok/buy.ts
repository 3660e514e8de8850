import type { AdapterBuy, AdapterContext, AdapterCreative, ProviderRefs } from '../contract.js';
import { buyObjects, idNamed, taggedName } from '../shared/buy-objects.js';
import { createdId, creativeNeeds, ProviderError } from '../errors.js';
import { plannedPackages } from '../shared/placement-products.js';
import type { TikTokApi } from './api.js';
import { money, scheduleTime, tiktokPlacements, type TikTokPlacement } from './placements.js';

/*
 * A buy as TikTok objects (Marketing API v1.3, https://business-api.tiktok.com/portal/docs):
 * a campaign (POST /campaign/create/, objective REACH, no campaign budget), created disabled;
 * per package an ad group (POST /adgroup/create/: lifetime budget BUDGET_MODE_TOTAL in the
 * account's currency, SCHEDULE_START_END in UTC, the placement, the countries as TikTok
 * location ids from /tool/region/, the buyer's audiences, CPM billing with the buyer's bid as a
 * custom bid); per inline
 * creative its image and video uploaded by URL (/file/image/ad/upload/, /file/video/ad/upload/)
 * and an ad (POST /ad/create/) under the account's custom identity (/identity/get/, made with
 * /identity/create/ when there is none); then the campaign enabled
 * (POST /campaign/status/update/). Resumes from `refs`; every create is sent once and written
 * ahead (shared/buy-objects.ts), and one whose answer was lost is found by its name, which carries our
 * buy id: a campaign in GET /campaign/get/ (filtering `campaign_name`, "Get campaigns",
 * docs?id=1739315828649986), an ad group in GET /adgroup/get/ (filtering `campaign_ids`, "Get
 * ad groups", docs?id=1739314558673922), an ad in GET /ad/get/ (filtering `adgroup_ids`, "Get
 * ads", docs?id=1735735588640770); names are compared here, as the name filter is fuzzy.
 */
export async function createTikTokBuy(
  api: TikTokApi,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  const token = ctx.accessToken;
  const advertiser_id = ctx.account.id;
  const plans = plannedPackages(buy.packages, tiktokPlacements, 'TikTok', requireFits);
  const objects = buyObjects(refs, save);
  /** The id of the object named `name` in a numbered list, its fields named `keys`. */
  const find =
    (path: string, filtering: Record<string, unknown>, name: string, keys: Keys) => async () =>
      idNamed(
        await api.pages<Record<string, unknown>>(
          path,
          token,
          { advertiser_id, filtering, fields: [keys.id, keys.name] },
          1000,
        ),
        name,
        keys,
      );

  const campaignName = taggedName(buy.name, buy.buyId, 512);
  const campaignId = await objects.campaign({
    create: async () =>
      idOf(
        (
          await api.create<{ campaign_id?: string }>('campaign/create', token, {
            advertiser_id,
            campaign_name: campaignName,
            objective_type: 'REACH',
            budget_mode: 'BUDGET_MODE_INFINITE',
            operation_status: 'DISABLE',
          })
        ).campaign_id,
        'campaign',
      ),
    find: find('campaign/get', { campaign_name: campaignName }, campaignName, campaignKeys),
  });
  let locations: Map<string, string> | undefined;
  let identity: { identity_id: string; identity_type: string } | undefined;
  for (const { pkg, placement } of plans) {
    const groupName = taggedName(`${placement.name} ${pkg.packageId}`, buy.buyId, 512);
    const adSetId = await objects.adSet(pkg.packageId, {
      async create() {
        locations ??= await locationIdsOf(api, ctx);
        const location_ids = pkg.countries.map((country) => {
          const id = locations!.get(country);
          if (!id) {
            throw new ProviderError(
              'INVALID_REQUEST',
              `This TikTok account cannot deliver to ${country}`,
            );
          }
          return id;
        });
        const group = await api.create<{ adgroup_id?: string }>('adgroup/create', token, {
          advertiser_id,
          campaign_id: campaignId,
          adgroup_name: groupName,
          placement_type: 'PLACEMENT_TYPE_NORMAL',
          placements: [placement.placement],
          location_ids,
          // The buyer's custom audiences ("Ad group": audience_ids, excluded_audience_ids).
          ...(pkg.audiences.include.length > 0 && { audience_ids: pkg.audiences.include }),
          ...(pkg.audiences.exclude.length > 0 && {
            excluded_audience_ids: pkg.audiences.exclude,
          }),
          budget_mode: 'BUDGET_MODE_TOTAL',
          budget: money(pkg.budget),
          schedule_type: 'SCHEDULE_START_END',
          schedule_start_time: scheduleTime(buy.startTime),
          schedule_end_time: scheduleTime(buy.endTime),
          optimization_goal: 'REACH',
          billing_event: 'CPM',
          pacing: 'PACING_MODE_SMOOTH',
          ...(pkg.bidCpm !== null
            ? { bid_type: 'BID_TYPE_CUSTOM', bid_price: money(pkg.bidCpm) }
            : { bid_type: 'BID_TYPE_NO_BID' }),
          operation_status: 'ENABLE',
        });
        return idOf(group.adgroup_id, 'ad group');
      },
      find: find('adgroup/get', { campaign_ids: [campaignId] }, groupName, adGroupKeys),
    });
    for (const creative of pkg.creatives) {
      // The creative's id tells two creatives of the same name apart within the ad group.
      const adName = taggedName(`${creative.name} ${creative.creativeId}`, buy.buyId, 512);
      await objects.ad(pkg.packageId, creative.creativeId, {
        async create() {
          identity ??= await identityOf(api, ctx);
          const media = await uploaded(api, ctx, creative);
          const ad = await api.create<{ ad_ids?: string[] }>('ad/create', token, {
            advertiser_id,
            adgroup_id: adSetId,
            creatives: [
              {
                ad_name: adName,
                ...identity,
                ad_format: media.videoId ? 'SINGLE_VIDEO' : 'SINGLE_IMAGE',
                ...(media.videoId && { video_id: media.videoId }),
                image_ids: media.imageIds,
                ad_text: (creative.text ?? creative.name).slice(0, 100),
                ...(creative.clickUrl && {
                  landing_page_url: creative.clickUrl,
                  call_to_action: 'LEARN_MORE',
                }),
              },
            ],
          });
          return idOf(ad.ad_ids?.[0], 'ad');
        },
        find: find('ad/get', { adgroup_ids: [adSetId] }, adName, adKeys),
      });
    }
  }
  await api.post('campaign/status/update', token, {
    advertiser_id,
    campaign_ids: [campaignId],
    operation_status: 'ENABLE',
  });
  return objects.refs;
}

type Keys = { id: string; name: string };
const campaignKeys = { id: 'campaign_id', name: 'campaign_name' };
const adGroupKeys = { id: 'adgroup_id', name: 'adgroup_name' };
const adKeys = { id: 'ad_id', name: 'ad_name' };

function idOf(id: unknown, what: string): string {
  return createdId(id, `TikTok created the ${what} without an id`, { numbers: true });
}

function requireFits(creative: AdapterCreative, placement: TikTokPlacement) {
  if (!creative.videoUrl && !(placement.takesImages && creative.imageUrl)) {
    throw new ProviderError(
      'INVALID_REQUEST',
      placement.takesImages
        ? `Creative ${creative.creativeId} needs an image or a video asset`
        : `${placement.name} shows video only: creative ${creative.creativeId} needs a video asset`,
    );
  }
  if (creative.videoUrl && !creative.imageUrl) {
    throw creativeNeeds(creative, "an image asset as its video's cover");
  }
}

/** ISO countries to the location ids TikTok delivers to from this account (/tool/region/). */
async function locationIdsOf(api: TikTokApi, ctx: AdapterContext): Promise<Map<string, string>> {
  const data = await api.get<{
    region_info?: Array<{ location_id?: unknown; region_code?: unknown; level?: unknown }>;
  }>('tool/region', ctx.accessToken, {
    advertiser_id: ctx.account.id,
    placements: tiktokPlacements.map((p) => p.placement),
    objective_type: 'REACH',
  });
  const ids = new Map<string, string>();
  for (const region of data.region_info ?? []) {
    if (region.level !== undefined && region.level !== 'COUNTRY') continue;
    if (typeof region.region_code === 'string' && region.location_id !== undefined) {
      ids.set(region.region_code.toUpperCase(), String(region.location_id));
    }
  }
  return ids;
}

/** The account's custom identity ads run as; one named after the account is made if none. */
async function identityOf(api: TikTokApi, ctx: AdapterContext) {
  const found = await api.get<{ identity_list?: Array<{ identity_id?: unknown }> }>(
    'identity/get',
    ctx.accessToken,
    { advertiser_id: ctx.account.id, identity_type: 'CUSTOMIZED_USER' },
  );
  const existing = found.identity_list?.find((i) => typeof i.identity_id === 'string');
  if (existing)
    return { identity_type: 'CUSTOMIZED_USER', identity_id: existing.identity_id as string };
  // Made once a call: a retry after a lost answer finds it above.
  const made = await api.create<{ identity_id?: string }>('identity/create', ctx.accessToken, {
    advertiser_id: ctx.account.id,
    display_name: ctx.account.name.slice(0, 40),
  });
  return { identity_type: 'CUSTOMIZED_USER', identity_id: idOf(made.identity_id, 'identity') };
}

/** The creative's image and video in the account's asset library, uploaded by URL. */
async function uploaded(api: TikTokApi, ctx: AdapterContext, creative: AdapterCreative) {
  const advertiser_id = ctx.account.id;
  const imageIds: string[] = [];
  if (creative.imageUrl) {
    const image = await api.post<{ image_id?: string }>('file/image/ad/upload', ctx.accessToken, {
      advertiser_id,
      upload_type: 'UPLOAD_BY_URL',
      image_url: creative.imageUrl,
    });
    imageIds.push(idOf(image.image_id, 'image'));
  }
  let videoId: string | undefined;
  if (creative.videoUrl) {
    const video = await api.post<Array<{ video_id?: string }> | { video_id?: string }>(
      'file/video/ad/upload',
      ctx.accessToken,
      { advertiser_id, upload_type: 'UPLOAD_BY_URL', video_url: creative.videoUrl },
    );
    videoId = idOf(Array.isArray(video) ? video[0]?.video_id : video.video_id, 'video');
  }
  return { imageIds, videoId };
}
