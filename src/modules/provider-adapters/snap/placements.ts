import type { Placement } from '../shared/placement-products.js';
import { micros } from '../../../sources/money.js';

/**
 * What a Snap ad account buys, as products: where Snap Ads show ("Ad Squads", `placement_v2`:
 * AUTOMATIC, or CUSTOM with `platforms: [SNAPCHAT]` and `snapchat_positions`
 * INTERSTITIAL_USER between friends' Stories, INTERSTITIAL_CONTENT and FEED among Discover
 * content). A Snap Ad here is a full-screen vertical image (the Top Snap) with a headline and,
 * with a click URL, a web page that opens on swipe-up.
 */
export interface SnapPlacement extends Placement {
  placement:
    | { config: 'AUTOMATIC' }
    | { config: 'CUSTOM'; platforms: ['SNAPCHAT']; snapchat_positions: string[] };
}

export const snapPlacements: SnapPlacement[] = [
  {
    id: 'snap_between_stories',
    name: "Snap Ads between friends' Stories",
    description: "Full-screen vertical Snap Ads between friends' Stories, bought by auction.",
    publisherDomain: 'snapchat.com',
    words: ['snapchat', 'snap', 'stories', 'story', 'friends', 'vertical', 'social', 'gen', 'z'],
    formats: ['display_image'],
    placement: {
      config: 'CUSTOM',
      platforms: ['SNAPCHAT'],
      snapchat_positions: ['INTERSTITIAL_USER'],
    },
  },
  {
    id: 'snap_discover',
    name: 'Snap Ads in Discover content',
    description:
      'Full-screen Snap Ads between and beside publisher and creator content in Discover.',
    publisherDomain: 'snapchat.com',
    words: ['snapchat', 'snap', 'discover', 'content', 'publisher', 'shows', 'creators'],
    formats: ['display_image'],
    placement: {
      config: 'CUSTOM',
      platforms: ['SNAPCHAT'],
      snapchat_positions: ['INTERSTITIAL_CONTENT', 'FEED'],
    },
  },
  {
    id: 'snap_automatic',
    name: 'Snapchat, automatic placements',
    description: 'Snap Ads wherever Snap delivers them best (Stories, Discover, Spotlight).',
    publisherDomain: 'snapchat.com',
    words: ['snapchat', 'snap', 'all', 'reach', 'awareness', 'automatic'],
    formats: ['display_image'],
    placement: { config: 'AUTOMATIC' },
  },
];

/** Snap counts budgets, bids and spend in micro-units of the account's currency. */
export const micro = micros;
