import type { Placement } from '../shared/placement-products.js';

/**
 * What a Meta ad account buys, as products: its placements (Marketing API "Placement Targeting",
 * https://developers.facebook.com/docs/marketing-api/audiences/reference/placement-targeting),
 * each the targeting its ad sets get, the formats it takes and the words a brief may name it by.
 */
export interface MetaPlacement extends Placement {
  targeting: Record<string, string[]>;
}

export const metaPlacements: MetaPlacement[] = [
  {
    id: 'meta_facebook_feed',
    name: 'Facebook Feed',
    description: 'Image and video ads in the Facebook News Feed, bought by auction in the account.',
    publisherDomain: 'facebook.com',
    words: ['facebook', 'feed', 'social', 'news'],
    formats: ['display_image', 'video_standard'],
    targeting: { publisher_platforms: ['facebook'], facebook_positions: ['feed'] },
  },
  {
    id: 'meta_instagram_feed',
    name: 'Instagram Feed',
    description: 'Image and video ads in the Instagram feed, bought by auction in the account.',
    publisherDomain: 'instagram.com',
    words: ['instagram', 'feed', 'social', 'photo'],
    formats: ['display_image', 'video_standard'],
    targeting: { publisher_platforms: ['instagram'], instagram_positions: ['stream'] },
  },
  {
    id: 'meta_instagram_stories',
    name: 'Instagram Stories',
    description: 'Full-screen vertical ads between Instagram Stories, bought by auction.',
    publisherDomain: 'instagram.com',
    words: ['instagram', 'stories', 'story', 'vertical', 'video', 'social'],
    formats: ['display_image', 'video_standard'],
    targeting: { publisher_platforms: ['instagram'], instagram_positions: ['story'] },
  },
  {
    id: 'meta_audience_network',
    name: 'Audience Network',
    description: "Ads in apps of Meta's Audience Network, bought by auction.",
    publisherDomain: 'facebook.com',
    words: ['apps', 'audience', 'network', 'mobile', 'display'],
    formats: ['display_image'],
    targeting: {
      publisher_platforms: ['audience_network'],
      audience_network_positions: ['classic'],
    },
  },
];

/** Currencies Meta counts without minor units (budgets and bids are sent in minor units). */
const zeroDecimal = new Set([
  'JPY',
  'KRW',
  'CLP',
  'COP',
  'CRC',
  'HUF',
  'ISK',
  'PYG',
  'TWD',
  'VND',
  'IDR',
]);

export const minorUnits = (amount: number, currency: string) =>
  Math.round(zeroDecimal.has(currency) ? amount : amount * 100);
