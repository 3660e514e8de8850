import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { MediaChannel } from '@adcp/sdk/types';
import { buildDemoCatalog } from '../../src/demo/seller/catalog.js';
import { demoProductRows } from '../../src/demo/seller/catalog-rows.js';
import type { Entry } from './types.js';
import { agentWordCount } from './wordcount.js';

/*
 * Agent products as AdCP sellers answer them: Interchange's demo seller's 30 products (its own
 * catalogue builder), and other sellers' products in the shape a get_products answer carries
 * (buildProduct: name, description, channels, format ids, publisher properties, CPM pricing).
 */

const agentUrl = 'https://seller.example/mcp';

/** The demo seller's tags, as the topics a planner reads them. */
const demoTopics: Record<string, string> = {
  sports: 'sport',
  finance: 'business',
  drama: 'entertainment',
  documentary: 'entertainment',
  premiere: 'entertainment',
  family: 'parenting',
  news: 'news',
  lifestyle: 'lifestyle',
};

const familyOf = (id: string) =>
  id.startsWith('display_')
    ? ['display', `size:${id.slice(8)}`]
    : id.startsWith('audio')
      ? ['audio']
      : ['video'];

function demoEntries(): Entry[] {
  const catalog = buildDemoCatalog(agentUrl);
  return demoProductRows.map((row, i) => {
    const topics = [...new Set(row.tags.flatMap((t) => demoTopics[t] ?? []))];
    const spends = row.prices.map((p) => p.minSpend ?? 0);
    return {
      kind: 'agent' as const,
      source: 'Demo seller',
      product: catalog.products[i]!,
      truth: {
        channels: [
          row.channel,
          ...(row.tags.includes('podcast') ? ['podcast'] : []),
          ...(row.tags.includes('newsletter') ? ['email'] : []),
        ],
        countries: ['US'],
        formats: [...new Set(row.formats.flatMap(familyOf))],
        topics: topics.length && row.tags.length < 4 ? topics : ['general'],
        start: '2026-01-01',
        end: '2027-12-31',
        minSpend: Math.min(...spends) || null,
      },
      wordCount: agentWordCount(row),
    };
  });
}

export interface Line {
  id: string;
  name: string;
  description: string;
  channel: MediaChannel;
  formats: string[];
  families: string[];
  countries: string[] | 'any';
  topic: string;
  cpm: number;
  minSpend?: number;
}

const sellers: Array<{ seller: string; domain: string; currency: string; lines: Line[] }> = [];
const add = (seller: string, domain: string, currency: string, lines: Line[]) =>
  sellers.push({ seller, domain, currency, lines });

const ctv = ['video_15s', 'video_30s'];
const nordic: Array<[string, string, string]> = [
  ['SE', 'Sweden', 'Swedish'],
  ['NO', 'Norway', 'Norwegian'],
  ['DK', 'Denmark', 'Danish'],
];
const nordicGenres: Array<[string, string, string]> = [
  ['sport', 'Sports', 'live football, handball and ice hockey'],
  ['entertainment', 'Entertainment', 'reality formats and Nordic noir drama'],
  ['news', 'News', 'news bulletins and current affairs'],
  ['parenting', 'Kids', 'children programming, family co-viewing'],
];
add(
  'Nordic Broadcast Group',
  'nordicplay.tv',
  'EUR',
  nordic.flatMap(([code, country, adjective]) =>
    nordicGenres.map(([topic, genre, about]) => ({
      id: `nbg_${code.toLowerCase()}_${topic}`,
      name: `Nordic Play ${country} ${genre} CTV`,
      description: `${adjective} streaming ${about} on connected TVs and the Nordic Play app.`,
      channel: 'ctv' as const,
      formats: ctv,
      families: ['video'],
      countries: [code],
      topic,
      cpm: 38,
      minSpend: 10_000,
    })),
  ),
);
const retailCategories: Array<[string, string, string]> = [
  ['grocery', 'Grocery', 'food'],
  ['baby', 'Baby & toddler', 'parenting'],
  ['pet', 'Pet supplies', 'pets'],
  ['beauty', 'Beauty', 'beauty'],
  ['electronics', 'Electronics', 'tech'],
];
add(
  'ShopRight Retail Media',
  'shopright.com',
  'USD',
  retailCategories.flatMap(([slug, label, topic]) => [
    {
      id: `sr_${slug}_sponsored`,
      name: `${label} sponsored products`,
      description: `Sponsored product listings in ShopRight ${label.toLowerCase()} search and aisles, closed-loop sales reporting.`,
      channel: 'retail_media' as const,
      formats: ['sponsored_product'],
      families: ['native'],
      countries: ['US'],
      topic,
      cpm: 8,
    },
    {
      id: `sr_${slug}_banner`,
      name: `${label} aisle banner`,
      description: `Onsite banners on ShopRight ${label.toLowerCase()} category pages.`,
      channel: 'retail_media' as const,
      formats: ['display_728x90', 'display_300x250'],
      families: ['display', 'size:728x90', 'size:300x250'],
      countries: ['US'],
      topic,
      cpm: 11,
    },
    {
      id: `sr_${slug}_offsite`,
      name: `${label} shoppers offsite display`,
      description: `Reach ShopRight ${label.toLowerCase()} shoppers across the open web with retail data.`,
      channel: 'display' as const,
      formats: ['display_300x250', 'display_160x600'],
      families: ['display', 'size:300x250', 'size:160x600'],
      countries: ['US'],
      topic,
      cpm: 9,
    },
  ]),
);
const audioMarkets: Array<[string, string]> = [
  ['US', 'United States'],
  ['GB', 'UK'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
];
add(
  'Soundwave',
  'soundwave.fm',
  'EUR',
  audioMarkets.flatMap(([code, market]) => [
    {
      id: `sw_music_${code.toLowerCase()}`,
      name: `Soundwave music streaming ${market}`,
      description: `30-second audio spots between songs on the free tier, ${market} listeners.`,
      channel: 'streaming_audio' as const,
      formats: ['audio_30s'],
      families: ['audio'],
      countries: [code],
      topic: 'general',
      cpm: 14,
    },
    {
      id: `sw_podcast_${code.toLowerCase()}`,
      name: `Soundwave podcasts ${market}`,
      description: `Dynamically inserted podcast ads across top ${market} shows.`,
      channel: 'podcast' as const,
      formats: ['audio_30s', 'audio_60s'],
      families: ['audio'],
      countries: [code],
      topic: 'general',
      cpm: 18,
    },
  ]),
);
/** Single sellers' hand-written lines: [id, name, description, channel, formats, countries, topic, cpm]. */
type Row = [string, string, string, MediaChannel, string[], string[] | 'any', string, number];
const rows = (rs: Row[], families: (formats: string[]) => string[]): Line[] =>
  rs.map(([id, name, description, channel, formats, countries, topic, cpm]) => ({
    id,
    name,
    description,
    channel,
    formats,
    families: families(formats),
    countries,
    topic,
    cpm,
  }));
const displayFamilies = (f: string[]) => ['display', ...f.map((x) => `size:${x.slice(8)}`)];
const videoFamilies = () => ['video'];

// prettier-ignore
add('Billboard Nation', 'billboardnation.com', 'USD', rows([
  ['bn_times_square', 'Times Square spectacular', 'Full-motion screen above Times Square, 15-second loop, New York.', 'dooh', ['dooh_1920x1080'], ['US'], 'general', 60],
  ['bn_la_freeway', 'Los Angeles freeway bulletins', 'Static 14x48 bulletins on the 405 and 101 freeways.', 'ooh', ['ooh_bulletin'], ['US'], 'auto', 9],
  ['bn_airport_screens', 'Airport gate screens', 'Digital screens at gates in 25 US airports, business travellers.', 'dooh', ['dooh_1080x1920'], ['US'], 'travel', 22],
  ['bn_transit_shelters', 'Transit shelter posters', 'Bus shelter posters in Chicago, Boston and Philadelphia.', 'ooh', ['ooh_shelter'], ['US'], 'general', 7],
  ['bn_stadium_led', 'Stadium LED ribbons', 'LED ribbon boards in NFL and NBA arenas on game days.', 'dooh', ['dooh_ribbon'], ['US'], 'sport', 35],
  ['bn_gas_station_tv', 'Gas station TV', 'Screens at the pump in 9,000 US gas stations.', 'dooh', ['dooh_1920x1080'], ['US'], 'auto', 15],
  ['bn_campus_screens', 'College campus screens', 'Screens in student unions on 300 US campuses.', 'dooh', ['dooh_1080x1920'], ['US'], 'general', 12],
  ['bn_mall_screens', 'Mall digital directories', 'Digital directory screens in 120 US malls.', 'dooh', ['dooh_1080x1920'], ['US'], 'retail', 10],
], (f) => (f[0]!.startsWith('dooh') ? ['video'] : ['display'])));
// prettier-ignore
add('Silver Screen Cinema Ads', 'silverscreenads.co.uk', 'GBP', rows([
  ['ss_preshow_30', 'Cinema pre-show 30s', 'Big-screen 30-second spot before every film in 600 UK and Irish cinemas.', 'cinema', ['video_30s'], ['GB', 'IE'], 'entertainment', 45],
  ['ss_preshow_60', 'Cinema pre-show 60s', 'Premium 60-second spot in the trailer reel.', 'cinema', ['video_60s'], ['GB', 'IE'], 'entertainment', 70],
  ['ss_family_films', 'Family film matinees', 'Spots before family and animated films at weekends.', 'cinema', ['video_30s'], ['GB', 'IE'], 'parenting', 40],
  ['ss_blockbusters', 'Blockbuster launch weekends', 'Opening weekends of the biggest releases of the Christmas season.', 'cinema', ['video_30s'], ['GB', 'IE'], 'entertainment', 80],
  ['ss_foyer_screens', 'Cinema foyer screens', 'Digital screens in cinema foyers and concessions.', 'dooh', ['dooh_1080x1920'], ['GB', 'IE'], 'entertainment', 14],
], videoFamilies));
// prettier-ignore
add('QuestPlay', 'questplay.gg', 'USD', rows([
  ['qp_rewarded_video', 'Rewarded video in mobile games', 'Players opt in to a 30-second video for an in-game reward.', 'gaming', ['video_30s'], 'any', 'gaming', 16],
  ['qp_intrinsic_billboards', 'Intrinsic in-game billboards', 'Ads on billboards inside racing and sports games, never interrupting play.', 'gaming', ['display_1024x512'], 'any', 'gaming', 11],
  ['qp_playables', 'Playable ads', 'Interactive mini-game ads in casual mobile games.', 'gaming', ['playable_html5'], 'any', 'gaming', 20],
  ['qp_esports_streams', 'Esports tournament streams', 'Pre-roll and overlays on live esports tournament streams.', 'gaming', ['video_15s'], 'any', 'gaming', 24],
  ['qp_console_menus', 'Console game menu tiles', 'Sponsored tiles in console game lobbies.', 'gaming', ['display_1920x1080'], ['US', 'GB', 'DE', 'FR'], 'gaming', 18],
], (f) => (f[0]!.startsWith('video') ? ['video'] : ['display'])));
// prettier-ignore
add('Metro Radio Group', 'metroradio.co.uk', 'GBP', rows([
  ['mr_london_breakfast', 'London breakfast show', 'Live-read and 30-second spots in London breakfast radio, 6am-10am.', 'radio', ['audio_30s'], ['GB'], 'general', 12],
  ['mr_national_drive', 'National drive time', 'Drive-time spots across the UK network, 4pm-7pm.', 'radio', ['audio_30s'], ['GB'], 'general', 10],
  ['mr_sports_talk', 'Sports talk radio', 'Football phone-ins and live match commentary.', 'radio', ['audio_30s'], ['GB'], 'sport', 14],
  ['mr_christmas_station', 'Christmas pop-up station', 'The festive pop-up station, December only.', 'radio', ['audio_30s'], ['GB'], 'entertainment', 16],
  ['mr_dab_network', 'DAB digital radio network', 'Run of network across 12 DAB stations.', 'radio', ['audio_30s'], ['GB'], 'general', 6],
], () => ['audio']));
// prettier-ignore
add('Brightline Magazines', 'brightlinemags.com', 'USD', rows([
  ['bl_food_fullpage', 'Taste & Home full page', 'Full-page ad in the monthly food magazine, 1.1M print circulation.', 'print', ['print_full_page'], ['US'], 'food', 40],
  ['bl_fitness_fullpage', 'Fit Life full page', 'Full-page ad in the fitness and wellness monthly.', 'print', ['print_full_page'], ['US'], 'health', 35],
  ['bl_parents_spread', 'Modern Parents spread', 'Double-page spread in the parenting magazine.', 'print', ['print_spread'], ['US'], 'parenting', 55],
  ['bl_travel_cover', 'Wanderer inside cover', 'Inside-front cover of the travel quarterly.', 'print', ['print_cover'], ['US'], 'travel', 70],
  ['bl_food_digital', 'Taste & Home digital edition', 'Sponsored recipes in the food magazine app and website.', 'display', ['native_in_feed'], ['US'], 'food', 20],
], (f) => (f[0]!.startsWith('native') ? ['native'] : ['display'])));
// prettier-ignore
add('ProConnect', 'proconnect.com', 'USD', rows([
  ['pc_cfo_display', 'Finance decision makers display', 'Display to CFOs and finance directors on the ProConnect B2B network.', 'display', ['display_300x250', 'display_728x90'], ['US', 'GB', 'DE'], 'business', 45],
  ['pc_it_display', 'IT decision makers display', 'Display to CIOs and IT buyers reading enterprise tech news.', 'display', ['display_300x250', 'display_728x90'], ['US', 'GB', 'DE'], 'tech', 42],
  ['pc_sponsored_posts', 'Sponsored posts in the professional feed', 'Native sponsored posts in the ProConnect feed.', 'social', ['native_in_feed'], 'any', 'business', 30],
  ['pc_webinar_video', 'B2B webinar pre-roll', 'Pre-roll before on-demand industry webinars.', 'olv', ['video_15s'], ['US', 'GB'], 'business', 38],
], (f) => (f[0]!.startsWith('native') ? ['native'] : f[0]!.startsWith('video') ? ['video'] : displayFamilies(f))));
// prettier-ignore
add('Maple Media', 'maplemedia.ca', 'CAD', rows([
  ['mm_news_mpu', 'Maple News MPU', 'Medium rectangle across Canadian national news.', 'display', ['display_300x250'], ['CA'], 'news', 10],
  ['mm_news_leaderboard', 'Maple News leaderboard', 'Top-of-page leaderboard on Canadian news.', 'display', ['display_728x90'], ['CA'], 'news', 8],
  ['mm_hockey_preroll', 'Hockey highlights pre-roll', 'Pre-roll on NHL highlights and analysis.', 'olv', ['video_15s', 'video_30s'], ['CA'], 'sport', 26],
  ['mm_hockey_mpu', 'Hockey Night MPU', 'Medium rectangle on hockey scores and game pages.', 'display', ['display_300x250'], ['CA'], 'sport', 12],
  ['mm_ctv_fast', 'Maple FAST channels CTV', 'Free ad-supported streaming channels on Canadian smart TVs.', 'ctv', ['video_15s', 'video_30s'], ['CA'], 'entertainment', 30],
  ['mm_french_news', 'Le Nouvelliste display', 'Display on French-language news in Quebec.', 'display', ['display_300x250', 'display_728x90'], ['CA'], 'news', 9],
], (f) => (f[0]!.startsWith('video') ? ['video'] : displayFamilies(f))));
// prettier-ignore
add('Tokyo Digital', 'tokyodigital.jp', 'JPY', rows([
  ['td_news_display', 'Tokyo Digital news display', 'Display across Japanese national news.', 'display', ['display_300x250', 'display_728x90'], ['JP'], 'news', 600],
  ['td_anime_preroll', 'Anime streaming pre-roll', 'Pre-roll on anime episodes, Japan.', 'olv', ['video_15s'], ['JP'], 'entertainment', 1500],
  ['td_baseball_ctv', 'Pro baseball CTV', 'Live NPB baseball on smart TVs in Japan.', 'ctv', ['video_15s', 'video_30s'], ['JP'], 'sport', 3000],
  ['td_train_screens', 'Tokyo train door screens', 'Screens above train doors on Tokyo commuter lines.', 'dooh', ['dooh_1920x1080'], ['JP'], 'general', 900],
], (f) => (f[0]!.startsWith('display') ? displayFamilies(f) : ['video'])));

export function lineEntry(seller: string, domain: string, currency: string, line: Line): Entry {
  const product = buildProduct({
    id: line.id,
    name: line.name,
    description: line.description,
    formats: line.formats,
    agentUrl,
    delivery_type: line.minSpend ? 'guaranteed' : 'non_guaranteed',
    channels: [line.channel],
    publisher_domain: domain,
    pricing: [
      buildPricingOption({
        id: `${line.id}_cpm`,
        model: 'cpm',
        ...(line.minSpend ? { fixed: line.cpm } : { floor: line.cpm }),
        currency,
        ...(line.minSpend !== undefined && { min_spend_per_package: line.minSpend }),
      }),
    ],
  });
  return {
    kind: 'agent',
    source: seller,
    product,
    truth: {
      channels: [line.channel],
      countries: line.countries,
      formats: line.families,
      topics: [line.topic],
      start: '2026-01-01',
      end: '2027-12-31',
      minSpend: line.minSpend ?? null,
    },
    wordCount: agentWordCount(line),
  };
}

/** Every agent product of the catalogue, in each seller's answer order. */
export function agentEntries(): Entry[] {
  return [
    ...demoEntries(),
    ...sellers.flatMap((s) => s.lines.map((l) => lineEntry(s.seller, s.domain, s.currency, l))),
  ];
}
