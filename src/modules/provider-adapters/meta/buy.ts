import type { AdapterBuy, AdapterContext, AdapterPackage, ProviderRefs } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { Graph } from './graph.js';
import { metaPlacements, minorUnits } from './placements.js';

/**
 * The buyer's Custom Audiences in an ad set's targeting ("Advanced Targeting and Placement":
 * custom_audiences, excluded_custom_audiences). Advantage+ audience would treat an included
 * audience as a suggestion and reach beyond it ("Advantage+ audience": only exclusions, location,
 * minimum age and language are kept), so it is turned off when the package includes one.
 */
function audienceTargeting(audiences: AdapterPackage['audiences']) {
  return {
    ...(audiences.include.length > 0 && {
      custom_audiences: audiences.include.map((id) => ({ id })),
      targeting_automation: { advantage_audience: 0 },
    }),
    ...(audiences.exclude.length > 0 && {
      excluded_custom_audiences: audiences.exclude.map((id) => ({ id })),
    }),
  };
}

const act = (ctx: AdapterContext) =>
  ctx.account.id.startsWith('act_') ? ctx.account.id : `act_${ctx.account.id}`;

/**
 * A buy as Meta objects: a campaign, created paused; per package an ad set (lifetime budget in
 * minor units, flight, bid cap, countries, the placement's positions and the buyer's audiences);
 * per inline creative
 * an ad creative on the source's Page and an ad; then the campaign activated. Resumes from
 * `refs`, saving each object's id as soon as Meta answers.
 */
export async function createMetaBuy(
  graph: Graph,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  const currency = ctx.account.currency ?? 'USD';
  const pageId = typeof ctx.settings.pageId === 'string' ? ctx.settings.pageId : undefined;
  const next: ProviderRefs = { ...refs, packages: { ...refs.packages } };
  if (!next.campaignId) {
    const campaign = await graph.post<{ id: string }>(`${act(ctx)}/campaigns`, ctx.accessToken, {
      name: `${buy.name} [${buy.buyId}]`,
      objective: 'OUTCOME_AWARENESS',
      buying_type: 'AUCTION',
      special_ad_categories: [],
      status: 'PAUSED',
    });
    next.campaignId = campaign.id;
    await save(next);
  }
  for (const pkg of buy.packages) {
    const placement = metaPlacements.find((p) => p.id === pkg.productId);
    if (!placement) {
      throw new ProviderError('PRODUCT_NOT_FOUND', `No Meta placement ${pkg.productId}`);
    }
    const made = { adIds: {}, ...next.packages[pkg.packageId] };
    if (!made.adSetId) {
      const adSet = await graph.post<{ id: string }>(`${act(ctx)}/adsets`, ctx.accessToken, {
        name: `${placement.name} ${pkg.packageId} [${buy.buyId}]`,
        campaign_id: next.campaignId,
        lifetime_budget: minorUnits(pkg.budget, currency),
        start_time: buy.startTime.toISOString(),
        end_time: buy.endTime.toISOString(),
        billing_event: 'IMPRESSIONS',
        optimization_goal: 'REACH',
        ...(pkg.bidCpm !== null
          ? {
              bid_strategy: 'LOWEST_COST_WITH_BID_CAP',
              bid_amount: minorUnits(pkg.bidCpm, currency),
            }
          : { bid_strategy: 'LOWEST_COST_WITHOUT_CAP' }),
        targeting: {
          geo_locations: { countries: pkg.countries },
          ...placement.targeting,
          ...audienceTargeting(pkg.audiences),
        },
        status: 'ACTIVE',
      });
      made.adSetId = adSet.id;
      next.packages[pkg.packageId] = made;
      await save(next);
    }
    for (const creative of pkg.creatives) {
      if (made.adIds[creative.creativeId]) continue;
      if (!pageId) {
        throw new ProviderError(
          'INVALID_REQUEST',
          'The Meta source has no Facebook Page to run ads as; its operator must choose one',
        );
      }
      const adCreative = await graph.post<{ id: string }>(
        `${act(ctx)}/adcreatives`,
        ctx.accessToken,
        {
          name: `${creative.name} [${buy.buyId}]`,
          object_story_spec: {
            page_id: pageId,
            link_data: {
              ...(creative.clickUrl && { link: creative.clickUrl }),
              ...(creative.text && { message: creative.text }),
              ...(creative.imageUrl && { picture: creative.imageUrl }),
            },
          },
        },
      );
      const ad = await graph.post<{ id: string }>(`${act(ctx)}/ads`, ctx.accessToken, {
        name: `${creative.name} [${buy.buyId}]`,
        adset_id: made.adSetId,
        creative: { creative_id: adCreative.id },
        status: 'ACTIVE',
      });
      made.adIds = { ...made.adIds, [creative.creativeId]: ad.id };
      next.packages[pkg.packageId] = made;
      await save(next);
    }
  }
  await graph.post(next.campaignId!, ctx.accessToken, { status: 'ACTIVE' });
  return next;
}
