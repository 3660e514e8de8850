import type { MediaChannel } from '@adcp/sdk/types';
import type { Placement } from '../shared/placement-products.js';
import { micros } from '../../../sources/money.js';

/**
 * What a Spotify ad account buys, as products: audio ads (`asset_format: AUDIO`, a spot of up to
 * 30 seconds with a companion image and the advertiser's logo) in the ad set's `targets.placements`
 * ("Ad Sets": MUSIC between songs, PODCAST in podcast episodes), on every platform Spotify serves
 * (ANDROID, DESKTOP, IOS). Bought by auction (CPM) in the account's currency.
 */
export interface SpotifyPlacement extends Placement {
  placements: Array<'MUSIC' | 'PODCAST'>;
}

const formats = ['audio_standard_30s', 'audio_standard_15s'];

export const spotifyPlacements: SpotifyPlacement[] = [
  {
    id: 'spotify_audio_music',
    name: 'Spotify audio ads in music',
    description:
      'Audio ads between songs for Spotify Free listeners, with a clickable companion image.',
    publisherDomain: 'spotify.com',
    words: ['spotify', 'audio', 'music', 'songs', 'streaming', 'listeners', 'radio'],
    formats,
    channels: ['streaming_audio'],
    placements: ['MUSIC'],
  },
  {
    id: 'spotify_audio_podcasts',
    name: 'Spotify audio ads in podcasts',
    description: 'Audio ads in podcast episodes streamed on Spotify, with a companion image.',
    publisherDomain: 'spotify.com',
    words: ['spotify', 'audio', 'podcast', 'podcasts', 'episodes', 'shows', 'spoken'],
    formats,
    channels: ['podcast'],
    placements: ['PODCAST'],
  },
  {
    id: 'spotify_audio_all',
    name: 'Spotify audio ads, music and podcasts',
    description: 'Audio ads wherever Spotify delivers them best, in music and podcasts.',
    publisherDomain: 'spotify.com',
    words: ['spotify', 'audio', 'all', 'reach', 'awareness'],
    formats,
    channels: ['streaming_audio', 'podcast'],
    placements: ['MUSIC', 'PODCAST'],
  },
];

/** What Spotify's products sell: audio in music streams and in podcasts. */
export const spotifyChannels: readonly MediaChannel[] = ['streaming_audio', 'podcast'];

/** Spotify counts budgets and bids in micro-units of the account's currency. */
export const micro = micros;
