import type { AdapterBuy, AdapterContext, AdapterCreative, ProviderRefs } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { RedditApi } from './api.js';
import { isoTime, micros, redditPlacements } from './placements.js';

/*
 * A buy as Reddit objects (Ads API v3): a campaign (POST /ad_accounts/{id}/campaigns, objective
 * IMPRESSIONS, no special ad category), created PAUSED; per package an ad group
 * (POST /ad_accounts/{id}/ad_groups: a LIFETIME_SPEND goal in micro-units, the flight, CPM
 * bidding (MANUAL_BIDDING at the buyer's bid, MAXIMIZE_VOLUME without one), the countries as
 * targeting.geolocations and the placement as targeting.locations); per inline creative a
 * promoted image post on the account's profile (POST /profiles/{profile_id}/posts) and an ad
 * promoting it (POST /ad_accounts/{id}/ads); then the campaign set ACTIVE
 * (PATCH /campaigns/{id}). Each object's name carries the buy id, and a create that may have
 * been made without its answer reaching us is looked for by that name before it is sent again:
 * a retry or a crash mid-buy never makes a second campaign, ad group or ad.
 */

interface Named {
  id?: string;
  name?: string;
}

export async function createRedditBuy(
  api: RedditApi,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  const token = ctx.accessToken;
  const account = encodeURIComponent(ctx.account.id);
  // Everything Reddit would refuse is refused before it hears of the buy.
  const plans = buy.packages.map((pkg) => {
    const placement = redditPlacements.find((p) => p.id === pkg.productId);
    if (!placement)
      throw new ProviderError('PRODUCT_NOT_FOUND', `No Reddit placement ${pkg.productId}`);
    for (const creative of pkg.creatives) requireFits(creative);
    return { pkg, placement };
  });
  const next: ProviderRefs = { ...refs, packages: { ...refs.packages } };
  const found = (list: Named[], name: string) => list.find((o) => o.name === name)?.id;

  const campaignName = `${buy.name} [${buy.buyId}]`.slice(0, 200);
  // Only what this call made itself is known to have no children yet.
  let fresh = false;
  if (!next.campaignId) {
    const existing = found(
      await api.pages<Named>(`ad_accounts/${account}/campaigns`, token, {}, 2000),
      campaignName,
    );
    next.campaignId =
      existing ??
      idOf(
        (
          await api.write<Named>('POST', `ad_accounts/${account}/campaigns`, token, {
            name: campaignName,
            objective: 'IMPRESSIONS',
            configured_status: 'PAUSED',
            special_ad_categories: ['NONE'],
          })
        ).id,
        'campaign',
      );
    fresh = !existing;
    await save(next);
  }
  let profileId: string | undefined;
  for (const { pkg, placement } of plans) {
    const made = { adIds: {}, ...next.packages[pkg.packageId] };
    let groupFresh = false;
    if (!made.adSetId) {
      const groupName = `${placement.name} ${pkg.packageId} [${buy.buyId}]`.slice(0, 200);
      const existing = fresh
        ? undefined
        : found(
            await api.pages<Named>(
              `ad_accounts/${account}/ad_groups`,
              token,
              { campaign_id: next.campaignId },
              500,
            ),
            groupName,
          );
      made.adSetId =
        existing ??
        idOf(
          (
            await api.write<Named>('POST', `ad_accounts/${account}/ad_groups`, token, {
              campaign_id: next.campaignId,
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
              targeting: { geolocations: pkg.countries, locations: placement.locations },
            })
          ).id,
          'ad group',
        );
      groupFresh = !existing;
      next.packages[pkg.packageId] = made;
      await save(next);
    }
    for (const creative of pkg.creatives) {
      if (made.adIds[creative.creativeId]) continue;
      const adName = `${creative.name} ${creative.creativeId} [${buy.buyId}]`.slice(0, 200);
      let adId = groupFresh
        ? undefined
        : found(
            await api.pages<Named>(
              `ad_accounts/${account}/ads`,
              token,
              { ad_group_id: made.adSetId },
              500,
            ),
            adName,
          );
      if (!adId) {
        profileId ??= await profileOf(api, token, account);
        const post = await api.write<Named>(
          'POST',
          `profiles/${encodeURIComponent(profileId)}/posts`,
          token,
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
        );
        const ad = await api.write<Named>('POST', `ad_accounts/${account}/ads`, token, {
          ad_group_id: made.adSetId,
          name: adName,
          configured_status: 'ACTIVE',
          post_id: idOf(post.id, 'post'),
          click_url: creative.clickUrl,
        });
        adId = idOf(ad.id, 'ad');
      }
      made.adIds = { ...made.adIds, [creative.creativeId]: adId };
      next.packages[pkg.packageId] = made;
      await save(next);
    }
  }
  await api.write('PATCH', `campaigns/${encodeURIComponent(next.campaignId)}`, token, {
    configured_status: 'ACTIVE',
  });
  return next;
}

/** The profile the account's promoted posts are made on (its first). */
async function profileOf(api: RedditApi, token: string, account: string): Promise<string> {
  const [profile] = await api.pages<Named>(`ad_accounts/${account}/profiles`, token, {}, 1);
  if (!profile?.id) {
    throw new ProviderError(
      'INVALID_REQUEST',
      'The Reddit ad account has no profile to post its ads as: add one in Reddit Ads Manager',
    );
  }
  return profile.id;
}

function idOf(id: unknown, what: string): string {
  if (typeof id === 'string' && id) return id;
  throw new ProviderError('SERVICE_UNAVAILABLE', `Reddit created the ${what} without an id`, {
    retryable: true,
  });
}

/** A promoted image post shows an image and takes people to a link. */
function requireFits(creative: AdapterCreative) {
  if (!creative.imageUrl) {
    throw new ProviderError(
      'INVALID_REQUEST',
      `Creative ${creative.creativeId} needs an image asset: Reddit sources make promoted image posts`,
    );
  }
  if (!creative.clickUrl) {
    throw new ProviderError(
      'INVALID_REQUEST',
      `Creative ${creative.creativeId} needs a click-through url asset: a promoted post must link somewhere`,
    );
  }
}
