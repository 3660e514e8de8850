import type { AskSource } from '../../src/sources/brief/index.js';
import { grownBriefs } from './briefs-grown.js';

/**
 * What a media planner reads a brief as asking (README.md, "Judging"): the judge grades every
 * product's truth against this, never its text. `ideal`: products the brief names or plainly
 * means (graded 2; the rest that meet the criteria are then at most acceptable).
 */
export interface Want {
  channels?: string[];
  countries?: string[];
  /** Sizes (`size:WxH`) or families (display, video, audio, native); any one suffices. */
  formats?: string[];
  topics?: string[];
  flight?: [string, string];
  budget?: number;
  ideal?: string[];
  /** What the brief rules out: a product that has any of these is 0. */
  exclude?: { channels?: string[]; topics?: string[]; formats?: string[]; countries?: string[] };
  /** The most the buyer pays a thousand, in the market's currency: a dearer product is 0. */
  maxCpm?: number;
}

/** What a brief is mainly a test of (README.md, "Classes"). */
export const briefClasses = [
  'core',
  'exclusion',
  'price',
  'budget',
  'audience',
  'time',
  'language',
  'terse',
] as const;
export type BriefClass = (typeof briefClasses)[number];

export interface Brief {
  id: string;
  class: BriefClass;
  /** Its language, when not English. */
  lang?: 'de' | 'fr' | 'es' | 'it' | 'nl';
  brief: string;
  filters?: AskSource['filters'];
  want: Want;
}

const dec = (): [string, string] => ['2026-12-01', '2026-12-31'];
const q1 = (): [string, string] => ['2027-01-01', '2027-03-31'];

// prettier-ignore
const firstBriefs: Array<Omit<Brief, 'class'>> = [
  { id: 'b01', brief: 'CTV in Germany for December 2026, $50k, sports fans', want: { channels: ['ctv'], countries: ['DE'], topics: ['sport'], flight: dec(), budget: 50_000 } },
  { id: 'b02', brief: 'MPU and leaderboard on UK news sites', want: { formats: ['size:300x250', 'size:728x90'], countries: ['GB'], topics: ['news'] } },
  { id: 'b03', brief: 'Podcast ads reaching true crime listeners in the US', want: { channels: ['podcast'], countries: ['US'], topics: ['crime'], ideal: ['lantern-crime-pre', 'lantern-crime-mid'] } },
  { id: 'b04', brief: 'Weekend edition native article', want: { formats: ['native'], countries: ['GB'], topics: ['lifestyle'], ideal: ['courier-weekend-native'] } },
  { id: 'b05', brief: 'Pre-roll video on sports content in the US, Q1 2027 (2027-01-01 to 2027-03-31)', want: { channels: ['olv'], formats: ['video'], countries: ['US'], topics: ['sport'], flight: q1() } },
  { id: 'b06', brief: 'Connected TV kids and family campaign, US, $30k', want: { channels: ['ctv'], countries: ['US'], topics: ['parenting'], budget: 30_000 } },
  { id: 'b07', brief: 'Digital out of home in London for a retail launch', want: { channels: ['dooh'], countries: ['GB'], topics: ['retail'], ideal: ['cs-london-underground', 'cs-kings-cross', 'cs-westfield'] } },
  { id: 'b08', brief: 'Half page ads on German business news', want: { formats: ['size:300x600'], countries: ['DE'], topics: ['business'] } },
  { id: 'b09', brief: 'Reach gamers: in-game ads and esports video, worldwide', want: { topics: ['gaming'] } },
  { id: 'b10', brief: '30 second audio spots in France and Spain', want: { formats: ['audio'], countries: ['FR', 'ES'] } },
  { id: 'b11', brief: 'Billboard 970x250 takeover on US food and recipe sites', want: { formats: ['size:970x250'], countries: ['US'], topics: ['food'] } },
  { id: 'b12', brief: 'Instagram and TikTok vertical video for a beauty brand', want: { channels: ['social'], formats: ['video'] } },
  { id: 'b13', brief: 'Sponsored display on Amazon in Germany', want: { countries: ['DE'], topics: ['retail'], ideal: ['amazon_sponsored_display_de'] } },
  { id: 'b14', brief: 'B2B campaign targeting IT decision makers in the UK', want: { countries: ['GB'], topics: ['tech'] } },
  { id: 'b15', brief: 'Cinema advertising for a Christmas film release in the UK and Ireland', want: { channels: ['cinema'], countries: ['GB', 'IE'], topics: ['entertainment'] } },
  { id: 'b16', brief: 'Radio and streaming audio in the UK, drive time, £10k', want: { channels: ['radio', 'streaming_audio'], countries: ['GB'], budget: 10_000 } },
  { id: 'b17', brief: 'Display across Canada, MPU only', want: { channels: ['display'], formats: ['size:300x250'], countries: ['CA'] } },
  { id: 'b18', brief: 'Advertorial on travel sections in Spain', want: { formats: ['native'], countries: ['ES'], topics: ['travel'] } },
  { id: 'b19', brief: 'OTT in France, series and drama audiences, 15s spots', want: { channels: ['ctv'], countries: ['FR'], topics: ['entertainment'] } },
  { id: 'b20', brief: 'Football fans in Italy, display and video', want: { channels: ['display', 'olv'], countries: ['IT'], topics: ['sport'] } },
  { id: 'b21', brief: 'Newsletter sponsorship for a personal finance app, US', want: { channels: ['email'], countries: ['US'], topics: ['business'] } },
  { id: 'b22', brief: 'Leaderboard 728x90 on Dutch news', want: { formats: ['size:728x90'], countries: ['NL'], topics: ['news'] } },
  { id: 'b23', brief: 'Mobile banners 320x50 on US finance or tech sites', want: { formats: ['size:320x50'], countries: ['US'], topics: ['business', 'tech'] } },
  { id: 'b24', brief: 'Live sports on connected TV in the UK over Christmas, 2026-12-20 to 2026-12-31', want: { channels: ['ctv'], countries: ['GB'], topics: ['sport'], flight: ['2026-12-20', '2026-12-31'] } },
  { id: 'b25', brief: 'Out-of-home near US stadiums on game days', want: { channels: ['dooh', 'ooh'], countries: ['US'], topics: ['sport'] } },
  { id: 'b26', brief: 'Parenting audiences in the UK: new mums, baby products', want: { countries: ['GB'], topics: ['parenting'] } },
  { id: 'b27', brief: 'Pinterest and Reddit for a home decor brand', want: { channels: ['social'], ideal: ['pinterest_home_feed', 'pinterest_search', 'pinterest_all_placements', 'reddit_feed', 'reddit_conversations', 'reddit_all_placements'] } },
  { id: 'b28', brief: 'Run of site display in Australia', want: { channels: ['display'], countries: ['AU'] } },
  { id: 'b29', brief: 'Pre-roll before recipe and cooking videos', want: { channels: ['olv', 'ctv'], formats: ['video'], topics: ['food'] } },
  { id: 'b30', brief: 'Christmas pop-up station on UK radio', want: { channels: ['radio'], countries: ['GB'], ideal: ['mr_christmas_station'] } },
  { id: 'b31', brief: 'Tech enthusiasts: podcasts and video about gadgets', want: { channels: ['podcast', 'olv'], topics: ['tech'] } },
  { id: 'b32', brief: 'Winter sports fans in Germany, December 2026', want: { countries: ['DE'], topics: ['sport'], flight: dec(), ideal: ['kanalacht-wintersport-15s', 'kanalacht-wintersport-30s'] } },
  { id: 'b33', brief: 'Car launch: motoring enthusiasts in Germany and Italy, display', want: { channels: ['display'], countries: ['DE', 'IT'], topics: ['auto'] } },
  { id: 'b34', brief: 'Japanese market, anime fans, online video', want: { channels: ['olv'], countries: ['JP'], topics: ['entertainment'] } },
  { id: 'b35', brief: 'Esports sponsorship with video pre-roll', want: { formats: ['video'], topics: ['gaming'] } },
  { id: 'b36', brief: 'Healthy eating and fitness audiences in the US', want: { countries: ['US'], topics: ['health'] } },
  { id: 'b37', brief: 'Breaking news pre-roll in France', want: { channels: ['olv'], countries: ['FR'], topics: ['news'] } },
  { id: 'b38', brief: 'Retail media: sponsored products for a baby food brand', want: { channels: ['retail_media'], topics: ['parenting', 'food'] } },
  { id: 'b39', brief: 'Snapchat Discover and Stories for Gen Z in the UK', want: { channels: ['social'], ideal: ['snap_between_stories', 'snap_discover', 'snap_automatic'] } },
  { id: 'b40', brief: 'Homepage takeover on a US publisher, $15k', want: { countries: ['US'], formats: ['size:970x250'], budget: 15_000, ideal: ['dsp_homepage_takeover'] } },
  { id: 'b41', brief: 'Irish rugby fans, MPU, January 2027', want: { formats: ['size:300x250'], countries: ['IE'], topics: ['sport'], flight: ['2027-01-01', '2027-01-31'] } },
  { id: 'b42', brief: 'Property and real estate readers in Sydney', want: { countries: ['AU'], topics: ['real_estate'] } },
  { id: 'b43', brief: 'Outstream video across news articles, US', want: { channels: ['olv'], countries: ['US'], topics: ['news'] } },
  { id: 'b44', brief: 'Audio ads in Germany for a car brand, 30s', want: { formats: ['audio'], countries: ['DE'] } },
  { id: 'b45', brief: 'Nordic CTV: Sweden, Norway and Denmark, news audiences', want: { channels: ['ctv'], countries: ['SE', 'NO', 'DK'], topics: ['news'] } },
  { id: 'b46', brief: 'Half-page and skyscraper formats on gaming sites', want: { formats: ['size:300x600', 'size:160x600'], topics: ['gaming'] } },
  { id: 'b47', brief: 'sports fans', filters: { channels: ['ctv'], countries: ['GB'] }, want: { channels: ['ctv'], countries: ['GB'], topics: ['sport'] } },
  { id: 'b48', brief: 'Hiking and outdoor gear audiences, native and newsletter, US', want: { formats: ['native'], countries: ['US'], topics: ['outdoor'] } },
];

/**
 * The first 48 briefs' classes (issue 47's set; by what each mainly asks besides channel,
 * place, format and topic): a flight, a budget, or an audience with no channel or format.
 */
const firstClasses: Record<string, BriefClass> = {
  b01: 'time',
  b05: 'time',
  b24: 'time',
  b32: 'time',
  b41: 'time',
  b06: 'budget',
  b16: 'budget',
  b40: 'budget',
  b09: 'audience',
  b14: 'audience',
  b26: 'audience',
  b36: 'audience',
  b42: 'audience',
};

/** The relevance set: issue 47's 48 briefs, then issue 71's 79 (briefs-grown.ts). */
export const briefs: Brief[] = [
  ...firstBriefs.map((b) => ({ ...b, class: firstClasses[b.id] ?? ('core' as const) })),
  ...grownBriefs,
];
