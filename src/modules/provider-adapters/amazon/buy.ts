import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { AdapterBuy, AdapterContext, AdapterCreative, ProviderRefs } from '../contract.js';
import { buyObjects, type BuyObjects } from '../shared/buy-objects.js';
import { createdId, creativeNeeds, ProviderError } from '../errors.js';
import type { AmazonApi, AmazonCaller } from './api.js';
import { uploadAsset } from './assets.js';
import { callerOf, profileOf } from './profiles.js';
import { cents } from '../../../sources/money.js';

/*
 * A buy as Sponsored Display objects (the Sponsored Display folder of Amazon's Postman
 * collection, github.com/amzn/ads-advanced-tools-docs, and
 * https://advertising.amazon.com/API/docs/en-us/sponsored-display/3-0/openapi): a campaign
 * (POST /sd/campaigns: daily budget, the flight as YYYYMMDD in the profile's time zone,
 * costType vcpm, tactic T00030) created `paused`; per package an ad group (POST /sd/adGroups:
 * the buyer's bid as defaultBid per thousand viewable impressions, bidOptimization reach,
 * creativeType IMAGE); per package its creative as a product ad to the buyer's landing page
 * (POST /sd/productAds: landingPageType OFF_AMAZON_LINK, adName) and a custom creative
 * (POST /sd/creatives: headline, brandLogo and rectCustomImage from the asset library); then
 * the campaign set `enabled` (PUT /sd/campaigns). Every create is sent once and written ahead
 * (buy-objects.ts); one whose answer was lost is found, in the same call or a later one, by the
 * list call's `name` filter (the campaign's name carries our buy id; an ad group's, its package
 * and our buy id) or, for the ad group's one product ad and creative, by `adGroupIdFilter`, and
 * adopted instead of made a second time.
 */

const defaultBid = 1;
const dayMs = 86_400_000;

/** A day in the profile's time zone: YYYYMMDD as Sponsored Display writes dates. */
export function profileDay(at: Date, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', dateStyle: 'short' }).formatToParts(
      at,
    );
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}${part('month')}${part('day')}`;
}

const idOf = (value: unknown, what: string): string =>
  createdId(value, `Amazon Ads made the ${what} without an id`, { numbers: true });

/** An id as Amazon's int64 number, exactly (a JavaScript number rounds ids past 2^53). */
export const int64 = (id: string): bigint => {
  if (!/^-?\d{1,19}$/.test(id)) {
    throw new ProviderError('INVALID_REQUEST', `Amazon Ads id ${id.slice(0, 24)} is not a number`);
  }
  return BigInt(id);
};

/** The campaign's daily budget: the packages' total spread over the flight (at least 1). */
export function dailyBudget(buy: {
  startTime: Date;
  endTime: Date;
  packages: Array<{ budget: number }>;
}): number {
  const days = Math.max(1, Math.ceil((buy.endTime.getTime() - buy.startTime.getTime()) / dayMs));
  const total = buy.packages.reduce((sum, p) => sum + p.budget, 0);
  return Math.max(1, cents(total / days));
}

export const campaignNameOf = (buy: AdapterBuy) => `${buy.name} [${buy.buyId}]`.slice(0, 128);

/** Everything Amazon would refuse is refused before it hears of the buy. */
function check(ctx: AdapterContext, buy: AdapterBuy) {
  const { countryCode } = profileOf(ctx);
  for (const pkg of buy.packages) {
    if (pkg.productId !== 'amazon_sponsored_display') {
      throw new ProviderError('PRODUCT_NOT_FOUND', `No Amazon Ads product ${pkg.productId}`);
    }
    const elsewhere = pkg.countries.filter((c) => c.toUpperCase() !== countryCode);
    if (elsewhere.length) {
      throw new ProviderError(
        'INVALID_REQUEST',
        `This Amazon Ads profile serves the ${countryCode} marketplace only (not ${elsewhere.join(', ')})`,
      );
    }
    if (pkg.creatives.length > 1) {
      throw new ProviderError(
        'INVALID_REQUEST',
        'Amazon takes one off-Amazon display ad per ad group: send one creative per package',
      );
    }
    for (const creative of pkg.creatives) requireFits(creative);
  }
}

function requireFits(creative: AdapterCreative) {
  const missing = [
    !creative.imageUrl && 'an image asset',
    !creative.logoUrl && "a logo image asset (named 'logo')",
    !creative.clickUrl && 'a click-through url asset',
  ].filter(Boolean);
  if (missing.length) {
    throw creativeNeeds(
      creative,
      `${missing.join(', ')}: Amazon's off-Amazon display ads show an image, a logo and a headline and link to the advertiser's site`,
    );
  }
}

interface Listed {
  campaignId?: unknown;
  adGroupId?: unknown;
  adId?: unknown;
  creativeId?: unknown;
}

/** The id (`key`) of the first enabled or paused object the list call finds; undefined: none. */
async function found(
  api: AmazonApi,
  caller: AmazonCaller,
  path: string,
  query: Record<string, string>,
  key: keyof Listed,
): Promise<string | undefined> {
  const list = await api.get<Listed[]>(caller, path, { ...query, stateFilter: 'enabled,paused' });
  const id = Array.isArray(list) ? list[0]?.[key] : undefined;
  return id === undefined ? undefined : idOf(id, key);
}

export async function createAmazonBuy(
  fetch: OutboundFetch,
  api: AmazonApi,
  ctx: AdapterContext,
  buy: AdapterBuy,
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): Promise<ProviderRefs> {
  check(ctx, buy);
  const caller = callerOf(ctx);
  const { timezone } = profileOf(ctx);
  const objects = buyObjects(refs, save);
  const name = campaignNameOf(buy);
  const campaignId = await objects.campaign({
    create: async () =>
      idOf(
        (
          await api.create(caller, 'sd/campaigns', {
            name,
            budgetType: 'daily',
            budget: dailyBudget(buy),
            startDate: profileDay(buy.startTime, timezone),
            endDate: profileDay(buy.endTime, timezone),
            costType: 'vcpm',
            tactic: 'T00030',
            state: 'paused',
          })
        ).campaignId,
        'campaign',
      ),
    find: async () => found(api, caller, 'sd/campaigns', { name }, 'campaignId'),
  });
  for (const pkg of buy.packages) {
    const groupName = `Sponsored Display ${pkg.packageId} [${buy.buyId}]`;
    const adGroupId = await objects.adSet(pkg.packageId, {
      create: async () =>
        idOf(
          (
            await api.create(caller, 'sd/adGroups', {
              name: groupName,
              campaignId: int64(campaignId),
              defaultBid: pkg.bidCpm ?? defaultBid,
              bidOptimization: 'reach',
              creativeType: 'IMAGE',
              state: 'enabled',
            })
          ).adGroupId,
          'ad group',
        ),
      find: async () =>
        found(
          api,
          caller,
          'sd/adGroups',
          { campaignIdFilter: campaignId, name: groupName },
          'adGroupId',
        ),
    });
    const creative = pkg.creatives[0];
    if (creative) {
      await makeAd(fetch, api, caller, objects, {
        packageId: pkg.packageId,
        campaignId,
        adGroupId,
        creative,
      });
    }
  }
  await api.update(caller, 'sd/campaigns', { campaignId: int64(campaignId), state: 'enabled' });
  return objects.refs;
}

/**
 * The package's product ad and its custom creative. An ad group takes one of each here, so
 * after a lost answer the ad group's own (`adGroupIdFilter`) is the one adopted.
 */
async function makeAd(
  fetch: OutboundFetch,
  api: AmazonApi,
  caller: AmazonCaller,
  objects: BuyObjects,
  at: { packageId: string; campaignId: string; adGroupId: string; creative: AdapterCreative },
) {
  const { creative, adGroupId } = at;
  const inGroup = { adGroupIdFilter: adGroupId };
  await objects.ad(at.packageId, creative.creativeId, {
    create: async () =>
      idOf(
        (
          await api.create(caller, 'sd/productAds', {
            campaignId: int64(at.campaignId),
            adGroupId: int64(adGroupId),
            landingPageURL: creative.clickUrl,
            landingPageType: 'OFF_AMAZON_LINK',
            adName: creative.name.slice(0, 128),
            state: 'enabled',
          })
        ).adId,
        'product ad',
      ),
    find: async () => found(api, caller, 'sd/productAds', inGroup, 'adId'),
  });
  await objects.ad(at.packageId, `${creative.creativeId}#creative`, {
    async create() {
      const image = await uploadAsset(fetch, api, caller, {
        url: creative.imageUrl!,
        name: creative.name,
        subType: 'LIFESTYLE_IMAGE',
        creativeId: creative.creativeId,
      });
      const logo = await uploadAsset(fetch, api, caller, {
        url: creative.logoUrl!,
        name: `${creative.name} logo`,
        subType: 'LOGO',
        creativeId: creative.creativeId,
      });
      const made = await api.create(caller, 'sd/creatives', {
        adGroupId: int64(adGroupId),
        creativeType: 'IMAGE',
        properties: {
          headline: (creative.text ?? creative.name).slice(0, 50),
          brandLogo: logo,
          rectCustomImage: image,
        },
      });
      return idOf(made.creativeId, 'creative');
    },
    find: async () => found(api, caller, 'sd/creatives', inGroup, 'creativeId'),
  });
}
