import type { CatalogPrice } from '../../agents/in-memory-seller/index.js';
import type { DemoFormatId } from './formats.js';

/** Channels the demo seller sells, as AdCP names them. */
export const demoChannels = ['display', 'olv', 'ctv', 'streaming_audio'] as const;
export type DemoChannel = (typeof demoChannels)[number];

export const demoPublisherDomain = 'demo-publisher.example';

/** A CPM price: `fixed` is a rate card price, `floor` an auction floor. */
export type DemoPrice = CatalogPrice;

export interface DemoProductRow {
  id: string;
  name: string;
  description: string;
  channel: DemoChannel;
  delivery: 'guaranteed' | 'non_guaranteed';
  formats: DemoFormatId[];
  /** Property tags on demo-publisher.example (sections, apps, shows). */
  tags: string[];
  prices: DemoPrice[];
}

const std = ['display_300x250', 'display_728x90', 'display_320x50'] satisfies DemoFormatId[];
const olv = ['video_15s', 'video_30s'] satisfies DemoFormatId[];
const ctv = ['ctv_15s', 'ctv_30s'] satisfies DemoFormatId[];
const audio = ['audio_15s', 'audio_30s'] satisfies DemoFormatId[];

const fixed = (cpm: number, minSpend?: number): DemoPrice => ({ kind: 'fixed', cpm, minSpend });
const floor = (cpm: number): DemoPrice => ({ kind: 'floor', cpm });

const row = (
  id: string,
  name: string,
  description: string,
  channel: DemoChannel,
  delivery: DemoProductRow['delivery'],
  formats: DemoFormatId[],
  tags: string[],
  prices: DemoPrice[],
): DemoProductRow => ({ id, name, description, channel, delivery, formats, tags, prices });

// 30 products: 8 display, 8 online video, 7 CTV, 7 audio. Guaranteed products carry a rate
// card price; non-guaranteed ones an auction floor, some with a fixed-price alternative.
// prettier-ignore
export const demoProductRows: DemoProductRow[] = [
  row('dsp_news_premium', 'News section premium display', 'Above-the-fold placements across breaking news and politics.', 'display', 'guaranteed', std, ['news'], [fixed(18, 5_000)]),
  row('dsp_sports_premium', 'Sports section premium display', 'Scores, fixtures and live blogs, high-viewability units.', 'display', 'guaranteed', [...std, 'display_300x600'], ['sports'], [fixed(16, 5_000)]),
  row('dsp_lifestyle_ros', 'Lifestyle run of section', 'Food, travel and home sections, run of section.', 'display', 'non_guaranteed', std, ['lifestyle'], [floor(4.5), fixed(7)]),
  row('dsp_finance_ros', 'Business & finance run of section', 'Markets, personal finance and business news readers.', 'display', 'non_guaranteed', [...std, 'display_160x600'], ['finance'], [floor(6)]),
  row('dsp_run_of_site', 'Run of site display', 'All display inventory across the site, auction priced.', 'display', 'non_guaranteed', [...std, 'display_160x600', 'display_300x600'], ['news', 'sports', 'lifestyle', 'finance'], [floor(2.5)]),
  row('dsp_mobile_app', 'Mobile app banners', 'In-app banners in the iOS and Android news apps.', 'display', 'non_guaranteed', ['display_320x50', 'display_300x250'], ['app'], [floor(3), fixed(5.5)]),
  row('dsp_newsletter', 'Morning briefing newsletter', 'Sponsor unit in the daily morning newsletter, 1.2M subscribers.', 'display', 'guaranteed', ['display_300x250'], ['newsletter'], [fixed(45, 3_000)]),
  row('olv_news_preroll', 'News pre-roll', 'Pre-roll before news clips and explainers.', 'olv', 'guaranteed', olv, ['news'], [fixed(24, 5_000)]),
  row('olv_sports_highlights', 'Sports highlights pre-roll', 'Pre-roll on match highlights, peaks at weekends.', 'olv', 'guaranteed', olv, ['sports'], [fixed(28, 10_000)]),
  row('olv_lifestyle_preroll', 'Lifestyle video pre-roll', 'Recipe, travel and home video pre-roll.', 'olv', 'non_guaranteed', olv, ['lifestyle'], [floor(12), fixed(18)]),
  row('olv_outstream_articles', 'In-article outstream', 'Outstream video inside article bodies, viewable only.', 'olv', 'non_guaranteed', ['video_outstream'], ['news', 'lifestyle', 'finance'], [floor(6)]),
  row('olv_ros_auction', 'Run of site video', 'All instream video, auction priced.', 'olv', 'non_guaranteed', [...olv, 'video_outstream'], ['news', 'sports', 'lifestyle'], [floor(9)]),
  row('olv_live_events', 'Live events mid-roll', 'Mid-roll during live-streamed press events and debates.', 'olv', 'guaranteed', ['video_15s'], ['news', 'live'], [fixed(35, 20_000)]),
  row('olv_mobile_vertical', 'Mobile app video', 'Video in the mobile apps, portrait and landscape.', 'olv', 'non_guaranteed', ['video_15s', 'video_outstream'], ['app'], [floor(8)]),
  row('olv_finance_explainers', 'Finance explainers pre-roll', 'Pre-roll on market wrap-ups and money explainers.', 'olv', 'non_guaranteed', olv, ['finance'], [floor(14), fixed(20)]),
  row('ctv_prime_drama', 'CTV prime-time drama', 'Full-episode drama streams, 7pm-11pm, living-room screens.', 'ctv', 'guaranteed', ctv, ['ctv', 'drama'], [fixed(42, 25_000)]),
  row('ctv_live_sports', 'CTV live sports', 'Live match streams on smart TVs and streaming sticks.', 'ctv', 'guaranteed', ctv, ['ctv', 'sports', 'live'], [fixed(55, 50_000)]),
  row('ctv_news_channel', 'CTV 24-hour news channel', 'The FAST news channel, national reach.', 'ctv', 'non_guaranteed', ctv, ['ctv', 'news'], [floor(22), fixed(30)]),
  row('ctv_documentaries', 'CTV documentaries', 'Long-form documentaries, high completion rates.', 'ctv', 'non_guaranteed', ['ctv_30s'], ['ctv', 'documentary'], [floor(20)]),
  row('ctv_kids_family', 'CTV family movie night', 'Family films, weekend evenings, co-viewing audiences.', 'ctv', 'guaranteed', ['ctv_30s'], ['ctv', 'family'], [fixed(38, 15_000)]),
  row('ctv_run_of_network', 'CTV run of network', 'All CTV inventory across apps and FAST channels, auction priced.', 'ctv', 'non_guaranteed', ctv, ['ctv'], [floor(18)]),
  row('ctv_premiere_pod', 'CTV first-in-pod premieres', 'First position in the break for season premieres.', 'ctv', 'guaranteed', ['ctv_15s'], ['ctv', 'drama', 'premiere'], [fixed(65, 30_000)]),
  row('aud_morning_drive', 'Morning drive streaming audio', 'Streaming radio 6am-10am, news and talk stations.', 'streaming_audio', 'guaranteed', audio, ['audio', 'news'], [fixed(20, 5_000)]),
  row('aud_music_streams', 'Music streams', 'Ad-supported music streams, all genres.', 'streaming_audio', 'non_guaranteed', audio, ['audio', 'music'], [floor(9), fixed(13)]),
  row('aud_sports_talk', 'Sports talk streaming audio', 'Live sports talk and match commentary streams.', 'streaming_audio', 'non_guaranteed', audio, ['audio', 'sports'], [floor(11)]),
  row('aud_podcast_news', 'Daily news podcast', 'Produced spots in the daily news podcast, 400K downloads per episode.', 'streaming_audio', 'guaranteed', ['audio_30s', 'audio_60s'], ['audio', 'podcast', 'news'], [fixed(25, 4_000)]),
  row('aud_podcast_network', 'Podcast network run of network', 'Dynamically inserted spots across 40 shows.', 'streaming_audio', 'non_guaranteed', ['audio_15s', 'audio_30s', 'audio_60s'], ['audio', 'podcast'], [floor(15)]),
  row('aud_podcast_host_read', 'Host-read podcast sponsorship', 'Host-read 60-second sponsorship in the flagship interview show.', 'streaming_audio', 'guaranteed', ['audio_60s'], ['audio', 'podcast', 'host_read'], [fixed(40, 8_000)]),
  row('aud_evening_wind_down', 'Evening wind-down playlists', 'Ambient and focus playlists, 8pm-midnight.', 'streaming_audio', 'non_guaranteed', ['audio_15s', 'audio_30s'], ['audio', 'music'], [floor(7)]),
  row('dsp_homepage_takeover', 'Homepage takeover', 'Every display slot on the homepage for one day, all devices.', 'display', 'guaranteed', ['display_970x250', 'display_300x600', 'display_728x90'], ['homepage'], [fixed(32, 15_000)]),
];
