/**
 * The publisher properties a row is sold on: a JSON list of them, or a domain with property tags
 * or ids, or the defaults (the storefront's publisher domain).
 */
import type { AvailDefaults, PublisherProperty } from '../avail.js';
import { listOf, parseJson } from './cells.js';
import type { RowReader } from './row-reader.js';

const domainPattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

export function propertiesOf(row: RowReader, defaults: AvailDefaults): PublisherProperty[] {
  if (row.has('publisherProperties')) {
    const cell = row.cell('publisherProperties');
    const value = typeof cell === 'string' ? parseJson(cell) : cell;
    if (Array.isArray(value) && value.length > 0 && value.every(isPublisherProperty)) {
      return value as PublisherProperty[];
    }
    row.problem(
      'INVALID_PUBLISHER_PROPERTIES',
      'publisherProperties',
      'publisherProperties must list {publisher_domain, selection_type} entries',
    );
    return [];
  }
  const domain = (row.text('publisherDomain') ?? '').toLowerCase();
  const tags = listOf(row.text('propertyTags'));
  const ids = listOf(row.text('propertyIds'));
  if (domain === '') {
    if (defaults.publisherProperties?.length) return defaults.publisherProperties;
    if (defaults.publisherDomain) return [whole(defaults.publisherDomain, tags, ids)];
    row.problem(
      'INVALID_PUBLISHER_PROPERTIES',
      'publisherDomain',
      'publisherDomain is required (the storefront has no publisher domain to default to)',
    );
    return [];
  }
  if (!domainPattern.test(domain)) {
    row.problem(
      'INVALID_PUBLISHER_PROPERTIES',
      'publisherDomain',
      'publisherDomain must be a domain',
    );
    return [];
  }
  return [whole(domain, tags, ids)];
}

function whole(domain: string, tags: string[], ids: string[]): PublisherProperty {
  if (ids.length > 0)
    return { publisher_domain: domain, selection_type: 'by_id', property_ids: ids };
  if (tags.length > 0)
    return { publisher_domain: domain, selection_type: 'by_tag', property_tags: tags };
  return { publisher_domain: domain, selection_type: 'all' };
}

function isPublisherProperty(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  const domain = p['publisher_domain'];
  if (typeof domain !== 'string' || !domainPattern.test(domain)) return false;
  const listOk = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
  return (
    p['selection_type'] === 'all' ||
    (p['selection_type'] === 'by_id' && listOk(p['property_ids'])) ||
    (p['selection_type'] === 'by_tag' && listOk(p['property_tags']))
  );
}
