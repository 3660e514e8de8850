import { invalid } from '../../../platform/errors.js';

/**
 * Test-cohort definitions are checked per definition.type, so a cohort can actually be built:
 * zip lists hold postal codes, geo lists hold region codes, percentage splits stay within 0-100.
 * Other types (audience lists, custom) pass with their type only.
 */
const zipPattern = /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/;
const geoPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

export function checkCohortDefinition(definition: Record<string, unknown> & { type: string }) {
  const field = (name: string) => `definition.${name}`;
  const list = (name: string, pattern: RegExp, what: string) => {
    const value = definition[name];
    if (!Array.isArray(value) || value.length === 0) {
      throw invalid(
        `A ${definition.type} cohort needs ${name}: a non-empty list of ${what}`,
        field(name),
      );
    }
    if (value.length > 10_000) throw invalid(`${name} holds at most 10000 entries`, field(name));
    const bad = value.findIndex((v) => typeof v !== 'string' || !pattern.test(v));
    if (bad >= 0) throw invalid(`${name}[${bad}] is not one of ${what}`, `${field(name)}.${bad}`);
  };
  switch (definition.type) {
    case 'zip_code':
    case 'postal_code':
      return list('zips', zipPattern, 'postal codes such as "94103"');
    case 'geo':
    case 'dma':
    case 'region':
    case 'country':
      return list('geos', geoPattern, 'geo codes such as "US-CA" or "807"');
    case 'percentage':
    case 'random_split': {
      const p = definition.percentage;
      if (typeof p !== 'number' || !(p > 0 && p <= 100)) {
        throw invalid('percentage must be a number above 0 and at most 100', field('percentage'));
      }
      return;
    }
    default:
      return;
  }
}
