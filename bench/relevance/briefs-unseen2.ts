import type { Brief } from './briefs.js';

/**
 * A second guard set of agency briefs (issue 71 item 6, "checked against a set the project does
 * not hold"), written in w28 before that round ran the matcher on them or looked at any more of
 * the other sets' failures: briefs as planners write them (five languages besides English,
 * exclusions, flights as quarters, seasons, holidays and ranges, price caps and budgets in words,
 * audience-only, place, terse), graded by the same written rubric (README.md, "Judging") against
 * the same catalogue and fingerprinted (`FINGERPRINT-unseen2`) before the first run (two briefs
 * that no product met at grade 2, Spanish property and Spanish cooking video, were reworded to
 * Germany and to sport before that run). It was w28's guard; w29 read it brief by brief as its
 * development set (`npx tsx bench/relevance-mcp.ts --set unseen2`); briefs-unseen3.ts is w29's guard.
 */
const q4 = (): [string, string] => ['2026-10-01', '2026-12-31'];
const q1 = (): [string, string] => ['2027-01-01', '2027-03-31'];
const xmas = (): [string, string] => ['2026-12-01', '2026-12-24'];

// prettier-ignore
export const unseen2Briefs: Brief[] = [
  { id: 'v01', class: 'core', brief: 'Half-page units on American food blogs', want: { formats: ['size:300x600'], countries: ['US'], topics: ['food'] } },
  { id: 'v02', class: 'core', brief: 'Native content on Dutch business and finance titles', want: { formats: ['native'], countries: ['NL'], topics: ['business'] } },
  { id: 'v03', class: 'exclusion', brief: 'French display for an insurer. Please exclude anything sport-related and avoid news.', want: { channels: ['display'], countries: ['FR'], exclude: { topics: ['sport', 'news'] } } },
  { id: 'v04', class: 'exclusion', brief: 'Video across Spain but no CTV, online video only', want: { channels: ['olv'], countries: ['ES'], exclude: { channels: ['ctv'] } } },
  { id: 'v05', class: 'exclusion', brief: 'Display in Deutschland, bitte keine Sportseiten und kein Gaming', lang: 'de', want: { channels: ['display'], countries: ['DE'], exclude: { topics: ['sport', 'gaming'] } } },
  { id: 'v06', class: 'exclusion', brief: 'Vidéo en France, sans sport', lang: 'fr', want: { formats: ['video'], countries: ['FR'], exclude: { topics: ['sport'] } } },
  { id: 'v07', class: 'exclusion', brief: 'UK campaign on anything but video formats', want: { countries: ['GB'], exclude: { formats: ['video'] } } },
  { id: 'v08', class: 'time', brief: 'US auto display running January to March 2027', want: { channels: ['display'], countries: ['US'], topics: ['auto'], flight: q1() } },
  { id: 'v09', class: 'time', brief: 'UK travel video over winter 2026/27', want: { formats: ['video'], countries: ['GB'], topics: ['travel'], flight: ['2026-12-01', '2027-02-28'] } },
  { id: 'v10', class: 'time', brief: 'German parenting sites for Q4 2026', want: { countries: ['DE'], topics: ['parenting'], flight: q4() } },
  { id: 'v11', class: 'time', brief: 'Black Friday 2026 push on US retail and shopping sites', want: { countries: ['US'], topics: ['retail'], flight: ['2026-11-23', '2026-11-29'] } },
  { id: 'v12', class: 'time', brief: 'Italian food display from 1 December 2026 to 15 January 2027', want: { channels: ['display'], countries: ['IT'], topics: ['food'], flight: ['2026-12-01', '2027-01-15'] } },
  { id: 'v13', class: 'time', brief: 'Christmas 2026 gifting campaign on UK lifestyle and fashion titles', want: { countries: ['GB'], topics: ['lifestyle', 'fashion'], flight: xmas() } },
  { id: 'v14', class: 'price', brief: 'UK sport MPUs, nothing over £10 CPM', want: { formats: ['size:300x250'], countries: ['GB'], topics: ['sport'], maxCpm: 10 } },
  { id: 'v15', class: 'price', brief: 'Affordable German display, CPM below 6 euros', want: { channels: ['display'], countries: ['DE'], maxCpm: 6 } },
  { id: 'v16', class: 'budget', brief: 'US connected TV for a streaming launch, total budget fifty thousand dollars', want: { channels: ['ctv'], countries: ['US'], budget: 50_000 } },
  { id: 'v17', class: 'budget', brief: 'UK news display, about 15k in total', want: { channels: ['display'], countries: ['GB'], topics: ['news'], budget: 15_000 } },
  { id: 'v18', class: 'audience', brief: 'Target pet owners in the US', want: { countries: ['US'], topics: ['pets'] } },
  { id: 'v19', class: 'audience', brief: 'Reach health-conscious women 25-44 in Britain', want: { countries: ['GB'], topics: ['health'] } },
  { id: 'v20', class: 'audience', brief: 'Property buyers and renters in Germany', want: { countries: ['DE'], topics: ['real_estate'] } },
  { id: 'v21', class: 'audience', brief: 'Small business owners and founders, United States', want: { countries: ['US'], topics: ['business'] } },
  { id: 'v22', class: 'language', lang: 'de', brief: 'Pre-Roll-Videos im Umfeld Reise, Deutschland, erstes Quartal 2027', want: { formats: ['video'], countries: ['DE'], topics: ['travel'], flight: q1() } },
  { id: 'v23', class: 'language', lang: 'fr', brief: 'Bannières 300x250 sur des sites auto en France', want: { formats: ['size:300x250'], countries: ['FR'], topics: ['auto'] } },
  { id: 'v24', class: 'language', lang: 'es', brief: 'Publicidad en vídeo en sitios de deportes en España, CPM máximo 15 euros', want: { formats: ['video'], countries: ['ES'], topics: ['sport'], maxCpm: 15 } },
  { id: 'v25', class: 'language', lang: 'nl', brief: 'Video op Nederlandse sportsites, geen voetbalpodcasts', want: { formats: ['video'], countries: ['NL'], topics: ['sport'], exclude: { channels: ['podcast'] } } },
  { id: 'v26', class: 'language', lang: 'it', brief: 'Banner display sui siti di viaggi in Italia, budget 20.000 euro', want: { channels: ['display'], countries: ['IT'], topics: ['travel'], budget: 20_000 } },
  { id: 'v27', class: 'terse', brief: 'ROS MPU US', want: { formats: ['size:300x250'], countries: ['US'] } },
  { id: 'v28', class: 'terse', brief: 'DE HP billboard news', want: { formats: ['size:970x250'], countries: ['DE'], topics: ['news'] } },
];
