import type { Placement } from '../shared/placement-products.js';
import { micros as moneyMicros } from '../../../sources/money.js';

/**
 * What a Google Ads account buys here, as products: Display campaigns on the Google Display
 * Network ("About the Google Display Network", and the Campaign resource's
 * advertising_channel_type DISPLAY with ad groups of type DISPLAY_STANDARD), bought by manual
 * CPM. Its ads are image ads made from the creative's image, uploaded as an image asset.
 * Search and YouTube are not sold: a Search ad needs keywords and text a buyer's creative does
 * not carry, and a YouTube ad needs a video already on YouTube.
 */
export interface GooglePlacement extends Placement {
  channelType: 'DISPLAY';
  adGroupType: 'DISPLAY_STANDARD';
}

export const googlePlacements: GooglePlacement[] = [
  {
    id: 'google_display_network',
    name: 'Google Display Network',
    description:
      'Image ads across the Google Display Network (websites and apps that show Google ads), bought by CPM auction in the account.',
    publisherDomain: 'google.com',
    words: ['display', 'banner', 'banners', 'image', 'web', 'sites', 'google', 'network', 'apps'],
    formats: ['display_image'],
    channelType: 'DISPLAY',
    adGroupType: 'DISPLAY_STANDARD',
  },
];

/** Money in micros (millionths of the account's currency), as Google Ads takes it. */
export const micros = (amount: number) => String(moneyMicros(amount));

/** Budgets must be a multiple of the currency's smallest unit: rounded up to a cent. */
export const budgetMicros = (amount: number) => String(Math.ceil(amount * 100) * 10_000);

/** A moment as "yyyy-MM-dd HH:mm:ss" in the account's time zone (Campaign start/end_date_time). */
export function accountTime(at: Date, timeZone: string, endOfDay: boolean): string {
  let day: string;
  try {
    day = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(at);
  } catch {
    day = at.toISOString().slice(0, 10);
  }
  return `${day} ${endOfDay ? '23:59:59' : '00:00:00'}`;
}
