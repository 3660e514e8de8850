import type { Placement } from '../shared/placement-products.js';

/**
 * What a TikTok advertiser account buys, as products: its placements ("Placements",
 * https://business-api.tiktok.com/portal/docs?id=1739381246298114 and the ad group's
 * `placements` enum: PLACEMENT_TIKTOK, PLACEMENT_PANGLE, PLACEMENT_GLOBAL_APP_BUNDLE), each with
 * the formats it takes. The TikTok feed shows video only; Pangle and the Global App Bundle also
 * show images.
 */
export interface TikTokPlacement extends Placement {
  placement: 'PLACEMENT_TIKTOK' | 'PLACEMENT_PANGLE' | 'PLACEMENT_GLOBAL_APP_BUNDLE';
  /** Whether an image alone makes an ad here (else a video is needed). */
  takesImages: boolean;
}

export const tiktokPlacements: TikTokPlacement[] = [
  {
    id: 'tiktok_for_you_feed',
    name: 'TikTok For You feed',
    description: 'Vertical video ads in the TikTok For You feed, bought by auction in the account.',
    publisherDomain: 'tiktok.com',
    words: ['tiktok', 'feed', 'video', 'vertical', 'social', 'short', 'gen', 'z'],
    formats: ['video_standard'],
    placement: 'PLACEMENT_TIKTOK',
    takesImages: false,
  },
  {
    id: 'tiktok_pangle',
    name: 'Pangle app network',
    description:
      "Image and video ads in mobile apps of TikTok's Pangle network, bought by auction.",
    publisherDomain: 'pangleglobal.com',
    words: ['apps', 'app', 'mobile', 'network', 'display', 'pangle'],
    formats: ['display_image', 'video_standard'],
    placement: 'PLACEMENT_PANGLE',
    takesImages: true,
  },
  {
    id: 'tiktok_global_app_bundle',
    name: 'Global App Bundle (CapCut and others)',
    description: "Image and video ads in TikTok's own apps beside TikTok, bought by auction.",
    publisherDomain: 'capcut.com',
    words: ['capcut', 'apps', 'app', 'editing', 'mobile'],
    formats: ['display_image', 'video_standard'],
    placement: 'PLACEMENT_GLOBAL_APP_BUNDLE',
    takesImages: true,
  },
];

/** TikTok's schedule times: "YYYY-MM-DD HH:MM:SS", UTC. */
export const scheduleTime = (at: Date) => at.toISOString().slice(0, 19).replace('T', ' ');

/** Budgets and bids are decimals in the account's currency, at most two places. */
export { cents as money } from '../../../sources/money.js';
