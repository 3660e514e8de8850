import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type {
  AdapterBuy,
  AdapterContext,
  AdapterCreative,
  AdapterPackage,
  ProviderRefs,
} from '../contract.js';
import { creativeNeeds, ProviderError } from '../errors.js';
import { gaqlContains, idOfResource, type GoogleAdsApi, type GoogleAdsCaller } from './api.js';
import { countryTargets } from './geo.js';
import { accountTime, budgetMicros, googlePlacements, micros } from './placements.js';

/*
 * A buy as Google Ads objects, made by ONE atomic googleAds:mutate ("Mutate best practices" and
 * "Temporary resource names", https://developers.google.com/google-ads/api/docs/mutating/
 * overview): a campaign budget (the buy's total spread evenly over its days: Display campaigns
 * take a daily budget), a Display campaign created PAUSED with manual CPM bidding and the buy's
 * flight in the account's time zone, its countries as location criteria (geo target constants),
 * per inline creative an image asset (the image's bytes, fetched through the guarded client),
 * per package a DISPLAY_STANDARD ad group with its CPM bid, and per creative an image ad. Either
 * all of it exists or none of it does, so a failure leaves nothing behind. The campaign is then
 * enabled: the buy is live. A retry after the objects were made but before we recorded them
 * finds the campaign by the buy id in its name (campaign names are unique in an account) and
 * adopts it instead of making a second one.
 */

const defaultCpmBid = 1;
const maxImageBytes = 5 * 1024 * 1024;

export const callerOf = (ctx: AdapterContext): GoogleAdsCaller => {
  const managers = ctx.settings.loginCustomerIds as Record<string, string> | undefined;
  return {
    token: ctx.accessToken,
    customerId: ctx.account.id,
    loginCustomerId: managers?.[ctx.account.id] ?? ctx.account.id,
  };
};

export const campaignName = (caller: GoogleAdsCaller, id: string) =>
  `customers/${caller.customerId}/campaigns/${id}`;

export async function createGoogleBuy(
  api: GoogleAdsApi,
  fetch: OutboundFetch,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  const caller = callerOf(ctx);
  const countries = sharedCountries(buy.packages);
  for (const pkg of buy.packages) {
    if (!googlePlacements.some((p) => p.id === pkg.productId)) {
      throw new ProviderError('PRODUCT_NOT_FOUND', `No Google Ads placement ${pkg.productId}`);
    }
    for (const creative of pkg.creatives) requireFits(creative);
  }
  let next: ProviderRefs = { ...refs, packages: { ...refs.packages } };
  if (!next.campaignId) {
    next =
      (await adopted(api, caller, buy)) ??
      (await made(api, fetch, caller, buy, countries).catch(async (error: unknown) => {
        // Google made them but its answer was lost, and our second try met the first's name.
        const duplicate =
          error instanceof ProviderError && error.message.includes('DUPLICATE_CAMPAIGN_NAME');
        const found = duplicate ? await adopted(api, caller, buy) : null;
        if (!found) throw error;
        return found;
      }));
    await save(next);
  }
  await api.mutate(caller, [
    {
      campaignOperation: {
        update: { resourceName: campaignName(caller, next.campaignId!), status: 'ENABLED' },
        updateMask: 'status',
      },
    },
  ]);
  return next;
}

/** Google Ads targets locations per campaign: a buy's packages must name the same countries. */
function sharedCountries(packages: AdapterPackage[]): string[] {
  const sets = packages.map((p) => [...new Set(p.countries.map((c) => c.toUpperCase()))].sort());
  const first = sets[0] ?? [];
  if (sets.some((s) => s.join() !== first.join())) {
    throw new ProviderError(
      'INVALID_REQUEST',
      'Google Ads targets countries per campaign: book packages with different countries as separate buys',
    );
  }
  return first;
}

function requireFits(creative: AdapterCreative) {
  if (!creative.imageUrl) {
    throw creativeNeeds(creative, 'an image asset for a Google Display image ad');
  }
  if (!creative.clickUrl) {
    throw creativeNeeds(creative, 'a click-through URL (Google Ads requires a final URL)');
  }
}

/** The buy's objects when an earlier try made them but did not record them; else null. */
async function adopted(
  api: GoogleAdsApi,
  caller: GoogleAdsCaller,
  buy: AdapterBuy,
): Promise<ProviderRefs | null> {
  const rows = await api.search(
    caller,
    `SELECT campaign.id, ad_group.id, ad_group.name FROM ad_group WHERE campaign.name LIKE ${gaqlContains(`[${buy.buyId}]`)} AND campaign.status != 'REMOVED'`,
    1000,
  );
  const campaignId = rows[0]?.campaign?.id;
  if (campaignId === undefined) return null;
  const ads = await api.search(
    caller,
    `SELECT ad_group.id, ad_group_ad.resource_name, ad_group_ad.ad.name FROM ad_group_ad WHERE campaign.id = ${Number(campaignId)}`,
    1000,
  );
  const refs: ProviderRefs = { campaignId: String(campaignId), packages: {} };
  for (const pkg of buy.packages) {
    const group = rows.find((r) => String(r.adGroup?.name).includes(` ${pkg.packageId} [`));
    if (!group) continue;
    const adSetId = String(group.adGroup?.id);
    const adIds: Record<string, string> = {};
    for (const creative of pkg.creatives) {
      const ad = ads.find(
        (a) =>
          String(a.adGroup?.id) === adSetId &&
          String((a.adGroupAd?.ad as { name?: unknown } | undefined)?.name).endsWith(
            `[${creative.creativeId}]`,
          ),
      );
      if (ad) adIds[creative.creativeId] = idOfResource(String(ad.adGroupAd?.resourceName));
    }
    refs.packages[pkg.packageId] = { adSetId, adIds };
  }
  return refs;
}

/** Makes every object of the buy in one atomic mutate; answers their ids. */
async function made(
  api: GoogleAdsApi,
  fetch: OutboundFetch,
  caller: GoogleAdsCaller,
  buy: AdapterBuy,
  countries: string[],
): Promise<ProviderRefs> {
  const [customer] = await api.search(caller, 'SELECT customer.time_zone FROM customer', 1);
  const timeZone = String(customer?.customer?.timeZone ?? 'UTC');
  const geo = await countryTargets(api, caller, countries);
  let temp = 0;
  const tempName = (kind: string) => `customers/${caller.customerId}/${kind}/${--temp}`;
  const budget = tempName('campaignBudgets');
  const campaign = tempName('campaigns');
  const total = buy.packages.reduce((sum, p) => sum + p.budget, 0);
  const days = Math.max(
    1,
    Math.ceil((buy.endTime.getTime() - buy.startTime.getTime()) / 86_400_000),
  );
  const operations: Array<Record<string, unknown>> = [
    {
      campaignBudgetOperation: {
        create: {
          resourceName: budget,
          name: `${buy.name} [${buy.buyId}] budget`,
          amountMicros: budgetMicros(total / days),
          deliveryMethod: 'STANDARD',
          explicitlyShared: false,
        },
      },
    },
    {
      campaignOperation: {
        create: {
          resourceName: campaign,
          name: `${buy.name} [${buy.buyId}]`,
          advertisingChannelType: 'DISPLAY',
          status: 'PAUSED',
          campaignBudget: budget,
          manualCpm: {},
          startDateTime: accountTime(buy.startTime, timeZone, false),
          endDateTime: accountTime(buy.endTime, timeZone, true),
          containsEuPoliticalAdvertising: 'DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING',
          networkSettings: {
            targetGoogleSearch: false,
            targetSearchNetwork: false,
            targetContentNetwork: true,
            targetPartnerSearchNetwork: false,
          },
        },
      },
    },
    ...geo.map((geoTargetConstant) => ({
      campaignCriterionOperation: { create: { campaign, location: { geoTargetConstant } } },
    })),
  ];
  const packageAt: Array<{ packageId: string; index: number }> = [];
  const adAt: Array<{ packageId: string; creativeId: string; index: number }> = [];
  for (const pkg of buy.packages) {
    const placement = googlePlacements.find((p) => p.id === pkg.productId)!;
    const adGroup = tempName('adGroups');
    packageAt.push({ packageId: pkg.packageId, index: operations.length });
    operations.push({
      adGroupOperation: {
        create: {
          resourceName: adGroup,
          name: `${placement.name} ${pkg.packageId} [${buy.buyId}]`,
          campaign,
          type: placement.adGroupType,
          status: 'ENABLED',
          cpmBidMicros: micros(pkg.bidCpm ?? defaultCpmBid),
        },
      },
    });
    for (const creative of pkg.creatives) {
      const asset = tempName('assets');
      operations.push({
        assetOperation: {
          create: {
            resourceName: asset,
            name: `${creative.name} ${creative.creativeId} [${buy.buyId}]`.slice(0, 128),
            type: 'IMAGE',
            imageAsset: { data: await imageData(fetch, creative) },
          },
        },
      });
      adAt.push({
        packageId: pkg.packageId,
        creativeId: creative.creativeId,
        index: operations.length,
      });
      operations.push({
        adGroupAdOperation: {
          create: {
            adGroup,
            status: 'ENABLED',
            ad: {
              name: `${creative.name} [${creative.creativeId}]`,
              finalUrls: [creative.clickUrl],
              imageAd: { imageAsset: { asset }, name: creative.name },
            },
          },
        },
      });
    }
  }
  const results = await api.mutate(caller, operations);
  const refs: ProviderRefs = { campaignId: idOfResource(results[1] ?? ''), packages: {} };
  for (const { packageId, index } of packageAt) {
    refs.packages[packageId] = { adSetId: idOfResource(results[index] ?? ''), adIds: {} };
  }
  for (const { packageId, creativeId, index } of adAt) {
    refs.packages[packageId]!.adIds[creativeId] = idOfResource(results[index] ?? '');
  }
  if (!refs.campaignId || Object.values(refs.packages).some((p) => !p.adSetId)) {
    throw new ProviderError('SERVICE_UNAVAILABLE', 'Google Ads answered the buy without its ids', {
      retryable: true,
    });
  }
  return refs;
}

/** The creative's image as base64 bytes (Google Ads takes image assets by content, not URL). */
async function imageData(fetch: OutboundFetch, creative: AdapterCreative): Promise<string> {
  const refused = () =>
    new ProviderError(
      'INVALID_REQUEST',
      `The image of creative ${creative.creativeId} could not be fetched as an image of at most 5 MB`,
    );
  let res: Response;
  try {
    res = await fetch(creative.imageUrl!, { method: 'GET', timeoutMs: 10_000 });
  } catch {
    throw refused();
  }
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok || !/^image\/(png|jpeg|gif)/.test(type)) {
    await res.body?.cancel().catch(() => undefined);
    throw refused();
  }
  let bytes: ArrayBuffer;
  try {
    bytes = await res.arrayBuffer();
  } catch {
    throw refused();
  }
  if (bytes.byteLength === 0 || bytes.byteLength > maxImageBytes) throw refused();
  return Buffer.from(bytes).toString('base64');
}
