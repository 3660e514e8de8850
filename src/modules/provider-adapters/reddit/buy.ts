import type {
  AdapterBuy,
  AdapterContext,
  AdapterCreative,
  AdapterPackage,
  ProviderRefs,
} from '../contract.js';
import { buyObjects, idNamed, taggedName } from '../shared/buy-objects.js';
import { createdId, creativeNeeds, ProviderError } from '../errors.js';
import { plannedPackages } from '../shared/placement-products.js';
import type { RedditApi } from './api.js';
import { isoTime, micros, redditPlacements } from './placements.js';

/**
 * The buyer's custom audiences in an ad group's targeting (`custom_audience_ids`, "A list of
 * custom audiences to target", and `excluded_custom_audience_ids`, as Reddit's OpenAPI
 * description has the ad group's Targeting, read in github.com/selalipop/reddit-ad-sdk,
 * src/resources/ad-accounts/ad-groups.ts). `expand_targeting` ("Allow Reddit to expand your
 * targeting options") is sent false with an included audience: its default is not documented, and
 * expanded, the ad group would reach people the buyer did not name.
 */
function audienceTargeting(audiences: AdapterPackage['audiences']) {
  return {
    ...(audiences.include.length > 0 && {
      custom_audience_ids: audiences.include,
      expand_targeting: false,
    }),
    ...(audiences.exclude.length > 0 && { excluded_custom_audience_ids: audiences.exclude }),
  };
}

/*
 * A buy as Reddit objects (Ads API v3): a campaign (POST /ad_accounts/{id}/campaigns, objective
 * IMPRESSIONS, no special ad category), created PAUSED; per package an ad group
 * (POST /ad_accounts/{id}/ad_groups: a LIFETIME_SPEND goal in micro-units, the flight, CPM
 * bidding (MANUAL_BIDDING at the buyer's bid, MAXIMIZE_VOLUME without one), the countries as
 * targeting.geolocations, the placement as targeting.locations and the buyer's audiences); per
 * inline creative a promoted image post on the account's profile (POST
 * /profiles/{profile_id}/posts) and an ad promoting it (POST /ad_accounts/{id}/ads); then the
 * campaign set ACTIVE (PATCH /campaigns/{id}). Every create is sent once (the API client resends no POST) and
 * written ahead (buy-objects.ts); a campaign, ad group or ad whose answer was lost is found by
 * its name, which carries our buy id, in the account's lists ("List Campaigns", "List Ad Groups"
 * filtered by `campaign_id`, "List Ads" by `ad_group_id`, https://ads-api.reddit.com/docs/v3/),
 * in the same call or any later one: a retry or a crash mid-buy never makes a second campaign,
 * ad group or ad. A post is not looked up (it delivers nothing without its ad): its id is saved
 * once made.
 */
export async function createRedditBuy(
  api: RedditApi,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  const token = ctx.accessToken;
  const account = encodeURIComponent(ctx.account.id);
  const plans = plannedPackages(buy.packages, redditPlacements, 'Reddit', requireFits);
  const objects = buyObjects(refs, save);
  const made = async (path: string, object: Record<string, unknown>, what: string) =>
    idOf((await api.write<{ id?: string }>('POST', path, token, object)).id, what);
  const find = (path: string, query: Record<string, string>, name: string) => async () =>
    idNamed(await api.pages<Record<string, unknown>>(path, token, query, 2000), name);

  const campaignName = taggedName(buy.name, buy.buyId, 200);
  const campaigns = `ad_accounts/${account}/campaigns`;
  const campaignId = await objects.campaign({
    create: () =>
      made(
        campaigns,
        {
          name: campaignName,
          objective: 'IMPRESSIONS',
          configured_status: 'PAUSED',
          special_ad_categories: ['NONE'],
        },
        'campaign',
      ),
    find: find(campaigns, {}, campaignName),
  });
  let profileId: string | undefined;
  for (const { pkg, placement } of plans) {
    const groupName = taggedName(`${placement.name} ${pkg.packageId}`, buy.buyId, 200);
    const groups = `ad_accounts/${account}/ad_groups`;
    const adGroupId = await objects.adSet(pkg.packageId, {
      create: () =>
        made(
          groups,
          {
            campaign_id: campaignId,
            name: groupName,
            configured_status: 'ACTIVE',
            goal_type: 'LIFETIME_SPEND',
            goal_value: micros(pkg.budget),
            start_time: isoTime(buy.startTime),
            end_time: isoTime(buy.endTime),
            bid_type: 'CPM',
            ...(pkg.bidCpm !== null
              ? { bid_strategy: 'MANUAL_BIDDING', bid_value: micros(pkg.bidCpm) }
              : { bid_strategy: 'MAXIMIZE_VOLUME' }),
            targeting: {
              geolocations: pkg.countries,
              locations: placement.locations,
              ...audienceTargeting(pkg.audiences),
            },
          },
          'ad group',
        ),
      find: find(groups, { campaign_id: campaignId }, groupName),
    });
    for (const creative of pkg.creatives) {
      const postId = await objects.ad(pkg.packageId, `${creative.creativeId}#post`, {
        async create() {
          profileId ??= await profileOf(api, token, account);
          return made(
            `profiles/${encodeURIComponent(profileId)}/posts`,
            {
              headline: (creative.text ?? creative.name).slice(0, 300),
              type: 'IMAGE',
              allow_comments: false,
              content: [
                {
                  media_url: creative.imageUrl,
                  destination_url: creative.clickUrl,
                  call_to_action: 'Learn More',
                },
              ],
            },
            'post',
          );
        },
      });
      const adName = taggedName(`${creative.name} ${creative.creativeId}`, buy.buyId, 200);
      const ads = `ad_accounts/${account}/ads`;
      await objects.ad(pkg.packageId, creative.creativeId, {
        create: () =>
          made(
            ads,
            {
              ad_group_id: adGroupId,
              name: adName,
              configured_status: 'ACTIVE',
              post_id: postId,
              click_url: creative.clickUrl,
            },
            'ad',
          ),
        find: find(ads, { ad_group_id: adGroupId }, adName),
      });
    }
  }
  await api.write('PATCH', `campaigns/${encodeURIComponent(campaignId)}`, token, {
    configured_status: 'ACTIVE',
  });
  return objects.refs;
}

/** The profile the account's promoted posts are made on (its first). */
async function profileOf(api: RedditApi, token: string, account: string): Promise<string> {
  const [profile] = await api.pages<{ id?: string }>(
    `ad_accounts/${account}/profiles`,
    token,
    {},
    1,
  );
  if (!profile?.id) {
    throw new ProviderError(
      'INVALID_REQUEST',
      'The Reddit ad account has no profile to post its ads as: add one in Reddit Ads Manager',
    );
  }
  return profile.id;
}

function idOf(id: unknown, what: string): string {
  return createdId(id, `Reddit created the ${what} without an id`);
}

/** A promoted image post shows an image and takes people to a link. */
function requireFits(creative: AdapterCreative) {
  if (!creative.imageUrl) {
    throw creativeNeeds(creative, 'an image asset: Reddit sources make promoted image posts');
  }
  if (!creative.clickUrl) {
    throw creativeNeeds(creative, 'a click-through url asset: a promoted post must link somewhere');
  }
}
