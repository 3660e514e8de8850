import type { Brief } from './briefs.js';

/**
 * A third guard set of agency briefs (issue 71 item 6, "checked against a set the project does
 * not hold"), written in w29 before that round changed or ran the matcher: briefs as planners
 * write them (German, French, Spanish, Italian and Dutch besides English; flights as quarters,
 * halves, seasons, holidays and ranges; price caps and budgets in words; exclusions, hard and
 * soft; audience-only; terse rate-card wording), graded by the written rubric (README.md,
 * "Judging") against the same catalogue and fingerprinted (`FINGERPRINT-unseen3`) before the
 * first run. Run once at the start of a round and once at its end, never read brief by brief
 * (`npx tsx bench/relevance-mcp.ts --set unseen3`).
 */
const q1 = (): [string, string] => ['2027-01-01', '2027-03-31'];
const h1 = (): [string, string] => ['2027-01-01', '2027-06-30'];
const summer = (): [string, string] => ['2027-06-01', '2027-08-31'];
const xmas = (): [string, string] => ['2026-12-01', '2026-12-24'];
const easter = (): [string, string] => ['2027-03-15', '2027-03-28'];
const backToSchool = (): [string, string] => ['2027-08-01', '2027-09-15'];
const blackFriday = (): [string, string] => ['2026-11-23', '2026-11-29'];

// prettier-ignore
export const unseen3Briefs: Brief[] = [
  { id: 'w01', class: 'core', brief: 'Mobile 320x50 banners on Spanish news and current affairs sites', want: { formats: ['size:320x50'], countries: ['ES'], topics: ['news'] } },
  { id: 'w02', class: 'core', brief: 'Native placements on US health and wellness publishers', want: { formats: ['native'], countries: ['US'], topics: ['health'] } },
  { id: 'w03', class: 'exclusion', brief: 'Video in Italy for a car brand, no connected TV and nothing around sport', want: { formats: ['video'], countries: ['IT'], exclude: { channels: ['ctv'], topics: ['sport'] } } },
  { id: 'w04', class: 'exclusion', lang: 'de', brief: 'Display-Kampagne in Österreich, aber keine Nachrichtenumfelder', want: { channels: ['display'], countries: ['AT'], exclude: { topics: ['news'] } } },
  { id: 'w05', class: 'exclusion', lang: 'nl', brief: 'Online video in Nederland, liever geen sport', want: { formats: ['video'], countries: ['NL'], exclude: { topics: ['sport'] } } },
  { id: 'w06', class: 'exclusion', brief: 'US display excluding gaming and entertainment titles', want: { channels: ['display'], countries: ['US'], exclude: { topics: ['gaming', 'entertainment'] } } },
  { id: 'w07', class: 'time', brief: 'UK parenting display for the whole of H1 2027', want: { channels: ['display'], countries: ['GB'], topics: ['parenting'], flight: h1() } },
  { id: 'w08', class: 'time', lang: 'fr', brief: 'Campagne vidéo en France au premier trimestre 2027, univers cuisine', want: { formats: ['video'], countries: ['FR'], topics: ['food'], flight: q1() } },
  { id: 'w09', class: 'time', lang: 'es', brief: 'Display en España durante el verano de 2027, temática de viajes', want: { channels: ['display'], countries: ['ES'], topics: ['travel'], flight: summer() } },
  { id: 'w10', class: 'time', lang: 'it', brief: 'Campagna display in Italia per Natale 2026 sui siti di moda', want: { channels: ['display'], countries: ['IT'], topics: ['fashion'], flight: xmas() } },
  { id: 'w11', class: 'time', lang: 'nl', brief: 'Display op Nederlandse nieuwssites van februari tot en met april 2027', want: { channels: ['display'], countries: ['NL'], topics: ['news'], flight: ['2027-02-01', '2027-04-30'] } },
  { id: 'w12', class: 'time', lang: 'de', brief: 'Online-Video im Umfeld Sport in Deutschland zu Ostern 2027', want: { formats: ['video'], countries: ['DE'], topics: ['sport'], flight: easter() } },
  { id: 'w13', class: 'time', brief: 'Back to school 2027 campaign on US parenting sites', want: { countries: ['US'], topics: ['parenting'], flight: backToSchool() } },
  { id: 'w14', class: 'time', brief: 'UK gaming video across Black Friday week 2026', want: { formats: ['video'], countries: ['GB'], topics: ['gaming'], flight: blackFriday() } },
  { id: 'w15', class: 'price', brief: 'French sport display, max CPM €12', want: { channels: ['display'], countries: ['FR'], topics: ['sport'], maxCpm: 12 } },
  { id: 'w16', class: 'price', lang: 'it', brief: 'Video in Italia con CPM non oltre 12 euro', want: { formats: ['video'], countries: ['IT'], maxCpm: 12 } },
  { id: 'w17', class: 'price', brief: 'Cheapest leaderboards in Germany, no more than 8 EUR CPM', want: { formats: ['size:728x90'], countries: ['DE'], maxCpm: 8 } },
  { id: 'w18', class: 'budget', brief: 'Connected TV in France, total spend 15k euros', want: { channels: ['ctv'], countries: ['FR'], budget: 15_000 } },
  { id: 'w19', class: 'budget', lang: 'de', brief: 'CTV Deutschland, Budget 20.000 Euro, Sportumfeld', want: { channels: ['ctv'], countries: ['DE'], topics: ['sport'], budget: 20_000 } },
  { id: 'w20', class: 'budget', brief: 'US online video around news and current affairs, $10,000 all in', want: { channels: ['olv'], countries: ['US'], topics: ['news'], budget: 10_000 } },
  { id: 'w21', class: 'audience', brief: 'Reach keen home cooks and foodies in France', want: { countries: ['FR'], topics: ['food'] } },
  { id: 'w22', class: 'audience', brief: 'Young men who follow football, Spain', want: { countries: ['ES'], topics: ['sport'] } },
  { id: 'w23', class: 'audience', brief: 'Homeowners planning a renovation in the Netherlands', want: { countries: ['NL'], topics: ['home'] } },
  { id: 'w24', class: 'audience', brief: 'Dog and cat owners across Britain', want: { countries: ['GB'], topics: ['pets'] } },
  { id: 'w25', class: 'language', lang: 'es', brief: 'Banners de 300x600 en webs de salud en España', want: { formats: ['size:300x600'], countries: ['ES'], topics: ['health'] } },
  { id: 'w26', class: 'language', lang: 'it', brief: 'Leaderboard 728x90 su siti di auto e motori in Italia', want: { formats: ['size:728x90'], countries: ['IT'], topics: ['auto'] } },
  { id: 'w27', class: 'language', lang: 'nl', brief: 'Advertenties op Nederlandse zakelijke en financiële sites', want: { countries: ['NL'], topics: ['business'] } },
  { id: 'w28', class: 'language', lang: 'fr', brief: 'Campagne display sur les sites de parentalité en France', want: { channels: ['display'], countries: ['FR'], topics: ['parenting'] } },
  { id: 'w29', class: 'terse', brief: 'UK ROS LB', want: { formats: ['size:728x90'], countries: ['GB'] } },
  { id: 'w30', class: 'terse', brief: 'FR HP MPU sport', want: { formats: ['size:300x250'], countries: ['FR'], topics: ['sport'] } },
  { id: 'w31', class: 'terse', brief: 'IT ROS HPU', want: { formats: ['size:300x600'], countries: ['IT'] } },
];
