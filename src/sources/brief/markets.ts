/**
 * A market as a seller writes it in a sheet's Market, Country, Geo or Territory cell: ISO 3166-1
 * codes (GB, GBR), country names in the main ad markets' languages ("United Kingdom", "UK",
 * "Deutschland", "Allemagne"; i18n-iso-countries, which keeps the names and their common aliases),
 * or a region buyers name markets by ("DACH", "Nordics": places.ts). "Global" and the like name
 * no country (a product that sells everywhere).
 */
import { createRequire } from 'node:module';
import type * as Countries from 'i18n-iso-countries';
import { regionCountries } from './places.js';

const require = createRequire(import.meta.url);
// The library's core without its Node entry, which loads all of its 80 languages at start;
// require() answers `any`: the library's own declarations describe what it is.
const countries = require('i18n-iso-countries/index.js') as typeof Countries;
// Each language file is the library's locale data (its declared LocaleData).
for (const language of ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'da', 'nb', 'pl', 'ja'])
  countries.registerLocale(
    require(`i18n-iso-countries/langs/${language}.json`) as Countries.LocaleData,
  );
const languages = countries.getSupportedLanguages().filter((l) => countries.langs().includes(l));

/** Words that say "every market": no country named, nothing unknown. */
const everywhere = new Set(['global', 'worldwide', 'all', 'international', 'any', 'ww', 'row']);

/** Names the library does not hold that sellers write for a country. */
const extra: Record<string, string> = { england: 'GB', britain: 'GB', scotland: 'GB', wales: 'GB' };

/** The ISO alpha-2 code one market names, or the region's codes; null when none is known. */
export function countriesOfMarket(written: string): string[] | null {
  const text = written.trim().replace(/\.$/, '');
  if (!text) return [];
  const key = text.toLowerCase();
  if (everywhere.has(key)) return [];
  const region = regionCountries.get(key.replace(/[^a-z0-9]/g, ''));
  if (region) return [...region];
  if (extra[key]) return [extra[key]];
  if (/^[a-z]{2}$/i.test(text)) {
    const code = text.toUpperCase() === 'UK' ? 'GB' : text.toUpperCase();
    return countries.isValid(code) ? [code] : null;
  }
  if (/^[a-z]{3}$/i.test(text)) {
    const code = countries.alpha3ToAlpha2(text.toUpperCase());
    if (code) return [code];
  }
  for (const language of languages) {
    const code = countries.getAlpha2Code(text, language);
    if (code) return [code];
  }
  return null;
}

/**
 * The countries a cell names ("GB", "UK, Ireland", "DE; AT; CH", "DACH"), in order, once each,
 * and the parts it could not read as a market.
 */
export function marketsOf(cell: string): { countries: string[]; unknown: string[] } {
  // A name with "and" in it ("Trinidad and Tobago") is one market.
  const whole = countriesOfMarket(cell);
  if (whole !== null) return { countries: whole, unknown: [] };
  const found = new Set<string>();
  const unknown: string[] = [];
  for (const part of cell.split(/[,;|/\n]+|\s+(?:and|&|\+)\s+/i)) {
    if (!part.trim()) continue;
    const codes = countriesOfMarket(part);
    if (codes === null) unknown.push(part.trim());
    else for (const code of codes) found.add(code);
  }
  return { countries: [...found], unknown };
}
