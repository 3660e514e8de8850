import type { MediaChannel } from '@adcp/sdk/types';
import { googlePlacements } from '../../src/modules/provider-adapters/google/placements.js';
import { metaPlacements } from '../../src/modules/provider-adapters/meta/placements.js';
import { pinterestPlacements } from '../../src/modules/provider-adapters/pinterest/placements.js';
import {
  type Placement,
  placementProducts,
} from '../../src/modules/provider-adapters/shared/placement-products.js';
import { redditPlacements } from '../../src/modules/provider-adapters/reddit/placements.js';
import { snapPlacements } from '../../src/modules/provider-adapters/snap/placements.js';
import {
  spotifyChannels,
  spotifyPlacements,
} from '../../src/modules/provider-adapters/spotify/placements.js';
import { tiktokPlacements } from '../../src/modules/provider-adapters/tiktok/placements.js';
import type { Entry } from './types.js';
import { adapterWordCount } from './wordcount.js';

/*
 * Adapter products as the provider adapters make them: each adapter's own placements through
 * placementProducts (src/modules/provider-adapters/products.ts), on the adapter's channels. A
 * self-serve platform targets any market, so its products serve every country. Amazon's
 * Sponsored Display is one product per marketplace (amazon/profiles.ts), rebuilt in its shape.
 */

const amazonPlacement = (country: string): Placement => ({
  id: `amazon_sponsored_display_${country.toLowerCase()}`,
  name: `Amazon Sponsored Display (${country})`,
  description:
    `Display ads with the advertiser's own image, logo and headline, linking to its site, shown ` +
    `on Amazon and across Amazon's publisher network to shoppers in the ${country} marketplace; ` +
    'bought by auction per thousand viewable impressions.',
  publisherDomain: 'amazon.com',
  words: ['amazon', 'display', 'shoppers', 'retail', 'commerce', 'banner'],
  formats: ['display_image'],
});

const providers: Array<{
  provider: string;
  placements: Placement[];
  channels: readonly MediaChannel[];
  currency: string;
}> = [
  { provider: 'Meta', placements: metaPlacements, channels: ['social'], currency: 'USD' },
  { provider: 'TikTok', placements: tiktokPlacements, channels: ['social'], currency: 'USD' },
  { provider: 'Snap', placements: snapPlacements, channels: ['social'], currency: 'USD' },
  { provider: 'Pinterest', placements: pinterestPlacements, channels: ['social'], currency: 'USD' },
  { provider: 'Reddit', placements: redditPlacements, channels: ['social'], currency: 'USD' },
  { provider: 'Google', placements: googlePlacements, channels: ['display'], currency: 'USD' },
  {
    provider: 'Spotify',
    placements: spotifyPlacements,
    channels: spotifyChannels,
    currency: 'USD',
  },
  {
    provider: 'Amazon Ads',
    placements: ['US', 'GB', 'DE', 'FR', 'JP'].map(amazonPlacement),
    channels: ['display'],
    currency: 'USD',
  },
];

/** What a placement's format ids are, as the judge reads them. */
const familiesOf = (formats: readonly string[]) => [
  ...new Set(
    formats.map((f) =>
      f.startsWith('video') ? 'video' : f.startsWith('audio') ? 'audio' : 'display',
    ),
  ),
];

/** Every adapter product of the catalogue, in each adapter's placement order. */
export function adapterEntries(): Entry[] {
  return providers.flatMap(({ provider, placements, channels, currency }) => {
    const products = placementProducts(placements, undefined, currency, channels);
    return placements.map((p, i) => {
      const amazonCountry = /\(([A-Z]{2})\)$/.exec(p.name)?.[1];
      return {
        kind: 'adapter' as const,
        source: provider,
        product: products[i]!,
        truth: {
          channels: [...(p.channels ?? channels)],
          countries: amazonCountry ? [amazonCountry] : ('any' as const),
          formats: familiesOf(p.formats),
          topics: provider === 'Amazon Ads' ? ['retail'] : ['general'],
          start: '2026-01-01',
          end: '2027-12-31',
          minSpend: null,
        },
        wordCount: adapterWordCount(p),
      };
    });
  });
}
