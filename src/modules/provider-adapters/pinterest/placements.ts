import type { Placement } from '../shared/placement-products.js';
import { micros } from '../../../sources/money.js';

/**
 * What a Pinterest ad account buys, as products: the ad group's placement groups (API v5
 * `placement_group`: ALL, BROWSE for the home feed and related Pins, SEARCH for search results;
 * "Placement group" in the v5 reference). Standard Pin ads show an image with its title,
 * description and link; video Pins show a video uploaded to Pinterest (media.ts), the image as cover.
 */
export interface PinterestPlacement extends Placement {
  placementGroup: 'ALL' | 'BROWSE' | 'SEARCH';
}

export const pinterestPlacements: PinterestPlacement[] = [
  {
    id: 'pinterest_home_feed',
    name: 'Pinterest home feed and related Pins',
    description:
      'Standard and video Pin ads while people browse their home feed and related Pins, bought by auction.',
    publisherDomain: 'pinterest.com',
    words: ['pinterest', 'feed', 'home', 'browse', 'inspiration', 'ideas', 'social', 'pins'],
    formats: ['display_image', 'video_standard'],
    placementGroup: 'BROWSE',
  },
  {
    id: 'pinterest_search',
    name: 'Pinterest search results',
    description:
      'Standard and video Pin ads among the results of Pinterest searches, bought by auction.',
    publisherDomain: 'pinterest.com',
    words: ['pinterest', 'search', 'intent', 'shopping', 'planning', 'pins'],
    formats: ['display_image', 'video_standard'],
    placementGroup: 'SEARCH',
  },
  {
    id: 'pinterest_all_placements',
    name: 'Pinterest, all placements',
    description:
      'Standard and video Pin ads wherever Pinterest places them (feed, related Pins, search).',
    publisherDomain: 'pinterest.com',
    words: ['pinterest', 'all', 'reach', 'awareness', 'pins'],
    formats: ['display_image', 'video_standard'],
    placementGroup: 'ALL',
  },
];

/** Pinterest counts budgets and bids in micro-units of the account's currency. */
export { micros };

/** Pinterest's times are Unix seconds. */
export const unixSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
