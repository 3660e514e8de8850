import type { AdapterBuy, AdapterContext, AdapterPackage, ProviderRefs } from '../contract.js';
import { buyObjects, idNamed, taggedName } from '../shared/buy-objects.js';
import { createdId, ProviderError } from '../errors.js';
import { placementOf } from '../shared/placement-products.js';
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

/*
 * Each object is named with the buy's id and found again by it after a lost answer
 * (shared/buy-objects.ts): the campaign in GET /act_{id}/campaigns, narrowed by `filtering` on the
 * name ("Ad Label" reference: field filtering finds campaigns, ad sets and ads as on the
 * Insights edge, whose operators include CONTAIN; https://developers.facebook.com/docs/
 * marketing-api/reference/ad-label), an ad set in GET /{campaign-id}/adsets and an ad in
 * GET /{adset-id}/ads ("Ad Campaign, Ad Sets" and "Ad Set, Ads" references); names are compared
 * here, so a filter Meta ignored costs pages, not a wrong adoption. An ad creative is not looked
 * up (it delivers nothing without its ad): its id is saved once made.
 */
function finder(graph: Graph, ctx: AdapterContext, path: string, name: string, narrow = false) {
  return async () =>
    idNamed(
      await graph.list<Record<string, unknown>>(
        path,
        ctx.accessToken,
        {
          fields: 'id,name',
          limit: '100',
          ...(narrow && {
            filtering: JSON.stringify([{ field: 'name', operator: 'CONTAIN', value: name }]),
          }),
        },
        5000,
      ),
      name,
    );
}

const idOf = (made: { id?: unknown }, what: string) =>
  createdId(made.id, `Meta made the ${what} without an id`);

/**
 * A buy as Meta objects: a campaign, created paused; per package an ad set (lifetime budget in
 * minor units, flight, bid cap, countries, the placement's positions and the buyer's audiences);
 * per inline creative an ad creative on the source's Page and an ad; then the campaign
 * activated. Resumes from `refs`; every create is sent once and written ahead (shared/buy-objects.ts).
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
  const token = ctx.accessToken;
  const plans = buy.packages.map((pkg) => {
    const placement = placementOf(metaPlacements, pkg.productId, 'Meta');
    if (pkg.creatives.length > 0 && !pageId) {
      throw new ProviderError(
        'INVALID_REQUEST',
        'The Meta source has no Facebook Page to run ads as; its operator must choose one',
      );
    }
    return { pkg, placement };
  });
  const objects = buyObjects(refs, save);
  const campaignName = taggedName(buy.name, buy.buyId, 400);
  const campaignId = await objects.campaign({
    create: async () =>
      idOf(
        await graph.create(`${act(ctx)}/campaigns`, token, {
          name: campaignName,
          objective: 'OUTCOME_AWARENESS',
          buying_type: 'AUCTION',
          special_ad_categories: [],
          status: 'PAUSED',
        }),
        'campaign',
      ),
    find: finder(graph, ctx, `${act(ctx)}/campaigns`, campaignName, true),
  });
  for (const { pkg, placement } of plans) {
    const adSetName = taggedName(`${placement.name} ${pkg.packageId}`, buy.buyId, 400);
    const adSetId = await objects.adSet(pkg.packageId, {
      create: async () =>
        idOf(
          await graph.create(`${act(ctx)}/adsets`, token, {
            name: adSetName,
            campaign_id: campaignId,
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
          }),
          'ad set',
        ),
      find: finder(graph, ctx, `${campaignId}/adsets`, adSetName),
    });
    for (const creative of pkg.creatives) {
      // The creative's id tells two creatives of the same name apart within the ad set.
      const name = taggedName(`${creative.name} ${creative.creativeId}`, buy.buyId, 400);
      const adCreativeId = await objects.ad(pkg.packageId, `${creative.creativeId}#creative`, {
        create: async () =>
          idOf(
            await graph.create(`${act(ctx)}/adcreatives`, token, {
              name,
              object_story_spec: {
                page_id: pageId,
                link_data: {
                  ...(creative.clickUrl && { link: creative.clickUrl }),
                  ...(creative.text && { message: creative.text }),
                  ...(creative.imageUrl && { picture: creative.imageUrl }),
                },
              },
            }),
            'ad creative',
          ),
      });
      await objects.ad(pkg.packageId, creative.creativeId, {
        create: async () =>
          idOf(
            await graph.create(`${act(ctx)}/ads`, token, {
              name,
              adset_id: adSetId,
              creative: { creative_id: adCreativeId },
              status: 'ACTIVE',
            }),
            'ad',
          ),
        find: finder(graph, ctx, `${adSetId}/ads`, name),
      });
    }
  }
  await graph.post(campaignId, token, { status: 'ACTIVE' });
  return objects.refs;
}
