import type { Brief } from './briefs.js';

/**
 * A fourth set (w31): price and budget wording as agency planners write it (caps and floors,
 * "cheapest", "premium", "value", £/€/$ and their names, "quid", "grand", "per thousand" written
 * out, ranges, "no more than", "up to", "tops", budgets in words, and the other four supported
 * languages), written after the guard unseen3 showed a price class of 0.658 that the read sets
 * (0.972, 0.978) did not explain. Graded by the same written rubric (README.md, "Judging": a
 * product dearer than the ceiling is 0; a range's upper bound is the ceiling; a floor the buyer
 * caps, "floor prices below €9", is a ceiling; "cheapest", "value" and "premium" grade nothing
 * by themselves) against the same catalogue, and fingerprinted (`FINGERPRINT-unseen4`) before
 * the first run. w31's development set for price wording: read brief by brief.
 */
// prettier-ignore
export const unseen4Briefs: Brief[] = [
  { id: 'w01', class: 'price', brief: 'UK sport display, CPM under 10 quid', want: { channels: ['display'], countries: ['GB'], topics: ['sport'], maxCpm: 10 } },
  { id: 'w02', class: 'price', brief: 'MPUs in Germany - no more than €8 CPM please', want: { formats: ['size:300x250'], countries: ['DE'], maxCpm: 8 } },
  { id: 'w03', class: 'price', brief: 'US pre-roll at $12 a thousand or less', want: { channels: ['olv'], countries: ['US'], maxCpm: 12 } },
  { id: 'w04', class: 'price', brief: 'Online video in France, CPMs between 10 and 15 euros', want: { channels: ['olv'], countries: ['FR'], maxCpm: 15 } },
  { id: 'w05', class: 'price', brief: 'Leaderboards in Italy, max €7 per thousand impressions', want: { formats: ['size:728x90'], countries: ['IT'], maxCpm: 7 } },
  { id: 'w06', class: 'price', brief: 'Cheapest banners you have on Dutch news sites', want: { channels: ['display'], countries: ['NL'], topics: ['news'] } },
  { id: 'w07', class: 'price', brief: 'Value display inventory in Spain, floor prices below €9', want: { channels: ['display'], countries: ['ES'], maxCpm: 9 } },
  { id: 'w08', class: 'price', brief: 'Premium UK online video, happy to pay up to £25 CPM', want: { channels: ['olv'], countries: ['GB'], maxCpm: 25 } },
  { id: 'w09', class: 'price', brief: 'CTV in the US with a ceiling of 35 dollars CPM', want: { channels: ['ctv'], countries: ['US'], maxCpm: 35 } },
  { id: 'w10', class: 'price', brief: 'Mobile banners in the US for under five dollars CPM', want: { formats: ['size:320x50'], countries: ['US'], maxCpm: 5 } },
  { id: 'w11', class: 'price', brief: 'UK half page, £15 CPM tops', want: { formats: ['size:300x600'], countries: ['GB'], maxCpm: 15 } },
  { id: 'w12', class: 'price', brief: 'Display on US tech sites, sub-$10 CPMs only', want: { channels: ['display'], countries: ['US'], topics: ['tech'], maxCpm: 10 } },
  { id: 'w13', class: 'price', brief: 'Germany CTV at €30-35 CPM', want: { channels: ['ctv'], countries: ['DE'], maxCpm: 35 } },
  { id: 'w14', class: 'budget', brief: 'A €20k test budget for connected TV in Germany', want: { channels: ['ctv'], countries: ['DE'], budget: 20_000 } },
  { id: 'w15', class: 'budget', brief: 'UK connected TV, we have up to £12k', want: { channels: ['ctv'], countries: ['GB'], budget: 12_000 } },
  { id: 'w16', class: 'budget', brief: 'US CTV, total budget half a million dollars', want: { channels: ['ctv'], countries: ['US'], budget: 500_000 } },
  { id: 'w17', class: 'budget', brief: 'Podcast test in the US, 5 grand', want: { channels: ['podcast'], countries: ['US'], budget: 5_000 } },
  { id: 'w18', class: 'budget', brief: 'Budget circa €50K, Italian CTV', want: { channels: ['ctv'], countries: ['IT'], budget: 50_000 } },
  { id: 'w19', class: 'price', brief: 'US food display, $25k budget, CPM not to exceed $9', want: { channels: ['display'], countries: ['US'], topics: ['food'], budget: 25_000, maxCpm: 9 } },
  { id: 'w20', class: 'language', lang: 'de', brief: 'Display in Deutschland, Sport, TKP höchstens 9 Euro', want: { channels: ['display'], countries: ['DE'], topics: ['sport'], maxCpm: 9 } },
  { id: 'w21', class: 'language', lang: 'fr', brief: 'Bannières en France, CPM inférieur à 8 €', want: { channels: ['display'], countries: ['FR'], maxCpm: 8 } },
  { id: 'w22', class: 'language', lang: 'es', brief: 'Vídeo online en España, CPM no superior a 14 euros', want: { channels: ['olv'], countries: ['ES'], maxCpm: 14 } },
  { id: 'w23', class: 'language', lang: 'it', brief: 'Display in Italia sui siti di viaggi, CPM sotto i 10 euro', want: { channels: ['display'], countries: ['IT'], topics: ['travel'], maxCpm: 10 } },
  { id: 'w24', class: 'language', lang: 'nl', brief: 'Display in Nederland, CPM tot 9 euro', want: { channels: ['display'], countries: ['NL'], maxCpm: 9 } },
  { id: 'w25', class: 'price', brief: 'French display for a retailer, keep it under eight euros a thousand', want: { channels: ['display'], countries: ['FR'], maxCpm: 8 } },
  { id: 'w26', class: 'language', lang: 'de', brief: 'Online-Video in Deutschland, Tausenderpreis bis 25 €', want: { channels: ['olv'], countries: ['DE'], maxCpm: 25 } },
];
