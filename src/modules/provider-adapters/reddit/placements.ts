import type { Placement } from '../shared/placement-products.js';
import { micros } from '../../../sources/money.js';

/**
 * What a Reddit ad account buys, as products: where a promoted post is placed (the ad group's
 * `targeting.locations` in Ads API v3: FEED for the home and community feeds, COMMENTS_PAGE for
 * conversation pages, or both), bought by CPM auction under an IMPRESSIONS objective. A promoted
 * post shows an image with its headline and links to the advertiser's page; video posts are not
 * made here yet.
 */
export interface RedditPlacement extends Placement {
  locations: Array<'FEED' | 'COMMENTS_PAGE'>;
}

export const redditPlacements: RedditPlacement[] = [
  {
    id: 'reddit_feed',
    name: 'Reddit feed',
    description:
      'Promoted image posts in the home and community feeds of Reddit, bought by CPM auction.',
    publisherDomain: 'reddit.com',
    words: ['reddit', 'feed', 'home', 'communities', 'community', 'social', 'posts'],
    formats: ['display_image'],
    locations: ['FEED'],
  },
  {
    id: 'reddit_conversations',
    name: 'Reddit conversation pages',
    description:
      'Promoted image posts among the comments of Reddit conversations, bought by CPM auction.',
    publisherDomain: 'reddit.com',
    words: ['reddit', 'conversation', 'conversations', 'comments', 'discussion', 'threads'],
    formats: ['display_image'],
    locations: ['COMMENTS_PAGE'],
  },
  {
    id: 'reddit_all_placements',
    name: 'Reddit, feed and conversations',
    description: 'Promoted image posts in the feeds and on conversation pages of Reddit.',
    publisherDomain: 'reddit.com',
    words: ['reddit', 'all', 'reach', 'awareness', 'posts'],
    formats: ['display_image'],
    locations: ['FEED', 'COMMENTS_PAGE'],
  },
];

/** Reddit counts budgets and bids in micro-units of the account's currency. */
export { micros };

/** Reddit's times are ISO 8601, whole hours for reports. */
export const isoTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');
