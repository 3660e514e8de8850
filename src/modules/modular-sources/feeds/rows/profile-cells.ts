/**
 * Where a row sells and what it is, as its seller says: the Market column's countries, and the
 * Audience and Content columns' words, which the brief matcher reads (sources/brief: a product's
 * `ext.interchange.countries`, `audience` and `content`).
 */
import { marketsOf } from '../../../../sources/brief/index.js';
import { clip } from './cells.js';
import type { RowReader } from './row-reader.js';

/** A row's countries, audience and content; a market it cannot read is a warning, not a refusal. */
export function profileOf(row: RowReader): {
  countries?: string[];
  audience?: string;
  content?: string;
} {
  const market = row.text('countries');
  const audience = row.text('audience');
  const content = row.text('content');
  const out: { countries?: string[]; audience?: string; content?: string } = {};
  if (market !== undefined) {
    const read = marketsOf(market);
    if (read.unknown.length) {
      row.problem(
        'INVALID_VALUE',
        'countries',
        `"${clip(read.unknown.join(', '), 60)}" is not a country: write ISO codes (GB, DE) or country names, several split by commas; the row sells without ${read.countries.length ? 'those' : 'a country'}`,
        'WARNING',
      );
    }
    if (read.countries.length) out.countries = read.countries;
  }
  if (audience) out.audience = audience;
  if (content) out.content = content;
  return out;
}
