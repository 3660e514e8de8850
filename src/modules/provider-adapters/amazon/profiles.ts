import type { MediaChannel } from '@adcp/sdk/types';
import type { AdapterContext, Product, ProviderAccount } from '../contract.js';
import { placementProducts, type Placement } from '../shared/placement-products.js';
import type { AmazonApi, AmazonCaller } from './api.js';
import { pricingCurrency } from '../shared/accounts.js';

/*
 * Amazon Ads profiles as the operator's accounts ("Profiles",
 * https://advertising.amazon.com/API/docs/en-us/reference/2/profiles): GET /v2/profiles lists the
 * advertiser accounts the grant reaches in this API region, one per marketplace, each with its
 * country, currency, time zone and account (seller, vendor or agency; `validPaymentMethod`
 * false when it cannot be billed). The chosen profile is the Amazon-Advertising-API-Scope of
 * every later call; its marketplace is where the ads run.
 */

export interface AmazonProfile {
  profileId?: unknown;
  countryCode?: unknown;
  currencyCode?: unknown;
  timezone?: unknown;
  accountInfo?: {
    name?: unknown;
    type?: unknown;
    validPaymentMethod?: unknown;
    marketplaceStringId?: unknown;
  };
}

/** What the adapter keeps of a profile besides the account: its marketplace and time zone. */
export interface ProfileSettings {
  countryCode: string;
  timezone: string;
}

export const callerOf = (ctx: AdapterContext): AmazonCaller => ({
  token: ctx.accessToken,
  profileId: ctx.account.id,
});

const idOf = (p: AmazonProfile) =>
  typeof p.profileId === 'number' || typeof p.profileId === 'string' ? String(p.profileId) : '';

const statusOf = (p: AmazonProfile): ProviderAccount['status'] =>
  p.accountInfo?.validPaymentMethod === false ? 'payment_required' : 'active';

export async function listProfiles(api: AmazonApi, token: string): Promise<AmazonProfile[]> {
  const found = await api.get<AmazonProfile[]>({ token }, 'v2/profiles');
  return (Array.isArray(found) ? found : []).filter((p) => idOf(p)).slice(0, 500);
}

export const accountsOf = (profiles: AmazonProfile[]): ProviderAccount[] =>
  profiles.map((p) => {
    const country = typeof p.countryCode === 'string' ? p.countryCode : '';
    const name = typeof p.accountInfo?.name === 'string' ? p.accountInfo.name : idOf(p);
    return {
      id: idOf(p),
      name: country ? `${name} (${country})` : name,
      currency: typeof p.currencyCode === 'string' ? p.currencyCode : null,
      status: statusOf(p),
    };
  });

/** Each profile's marketplace and time zone, by profile id (non-secret connection settings). */
export const profileSettingsOf = (profiles: AmazonProfile[]) => ({
  profiles: Object.fromEntries(
    profiles.map((p): [string, ProfileSettings] => [
      idOf(p),
      {
        countryCode: typeof p.countryCode === 'string' ? p.countryCode.toUpperCase() : 'US',
        timezone: typeof p.timezone === 'string' ? p.timezone : 'UTC',
      },
    ]),
  ),
});

/** The chosen profile's marketplace and time zone, from the settings read after consent. */
export function profileOf(ctx: AdapterContext): ProfileSettings {
  const all = ctx.settings.profiles as Record<string, ProfileSettings> | undefined;
  return all?.[ctx.account.id] ?? { countryCode: 'US', timezone: 'UTC' };
}

/** Sponsored Display: display ads with the buyer's image, logo and headline, sold by vCPM. */
const displayPlacement = (country: string): Placement => ({
  id: 'amazon_sponsored_display',
  name: `Amazon Sponsored Display (${country})`,
  description:
    `Display ads with the advertiser's own image, logo and headline, linking to its site, shown ` +
    `on Amazon and across Amazon's publisher network to shoppers in the ${country} marketplace; ` +
    'bought by auction per thousand viewable impressions.',
  publisherDomain: 'amazon.com',
  words: [
    'amazon',
    'display',
    'shoppers',
    'retail',
    'commerce',
    'banner',
    'audiences',
    'sponsored',
  ],
  formats: ['display_image'],
});

/** Sponsored Display sells display only. */
export const amazonChannels: MediaChannel[] = ['display'];

export async function productsOf(
  api: AmazonApi,
  ctx: AdapterContext,
  brief: string | undefined,
): Promise<Product[]> {
  const profile = await api.get<AmazonProfile>(
    { token: ctx.accessToken },
    `v2/profiles/${encodeURIComponent(ctx.account.id)}`,
  );
  if (!idOf(profile) || statusOf(profile) !== 'active') return [];
  const currency = pricingCurrency(profile.currencyCode, ctx);
  const country =
    typeof profile.countryCode === 'string'
      ? profile.countryCode.toUpperCase()
      : profileOf(ctx).countryCode;
  return placementProducts([displayPlacement(country)], brief, currency, amazonChannels);
}
