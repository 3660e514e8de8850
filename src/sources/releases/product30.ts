import { isRecord } from '../../platform/is-record.js';
import { type Reading30, values30 } from './values30.js';

/*
 * A 3.1 product as a 3.0 caller is answered it (issue 49 items 1 and 7). The mirror fetches a
 * source's set in AdCP 3.1, while a 3.0 caller asking the source live is answered in 3.0: without
 * what 3.1 added to core/product.json and the objects it holds (3.1.19 beside @adcp/sdk's 3.0.6),
 * with what 3.0 requires where 3.1 made it optional, and without the values 3.1 added to the
 * enums of fields 3.0 already has (values30.ts).
 */

/** Product fields AdCP 3.1 added (3.1.19 core/product.json properties beyond 3.0.6's). */
const added31 = [
  'allowed_actions',
  'audio_distribution_types',
  'format_options',
  'included_signals',
  'signal_targeting_options',
  'signal_targeting_rules',
  'social_placement_surfaces',
  'sponsored_placement_types',
  'vendor_metric_optimization',
  'video_placement_types',
] as const;

/** Fields 3.1 added to the objects a product holds (one object, or each of a list). */
const addedWithin31: Readonly<Record<string, readonly string[]>> = {
  placements: [
    'audio_distribution_types',
    'format_options',
    'kind',
    'mode',
    'publisher_domain',
    'social_placement_surfaces',
    'sponsored_placement_types',
    'video_placement_types',
  ],
  reporting_capabilities: ['vendor_metrics', 'windowed_pull_granularities'],
  creative_policy: ['accepted_verifiers', 'provenance_requirements'],
  delivery_measurement: ['vendors'],
};

/**
 * Objects 3.0 requires fields of that 3.1 does not (3.1's product card is typed inline, its
 * delivery measurement names `vendors` instead of `provider`): one without them is left out of a
 * 3.0 answer, as optional as it is there.
 */
export const required30: Readonly<Record<string, readonly string[]>> = {
  product_card: ['format_id', 'manifest'],
  product_card_detailed: ['format_id', 'manifest'],
  delivery_measurement: ['provider'],
};

type Json = Record<string, unknown>;

/** `record` without `fields`; itself when it has none of them. */
function without(record: Json, fields: readonly string[]): Json {
  if (!fields.some((field) => field in record)) return record;
  const kept = { ...record };
  for (const field of fields) delete kept[field];
  return kept;
}

/**
 * `product` as a 3.0 answer carries it; itself (the same object) when 3.1 changed nothing of it;
 * undefined when nothing of it is left that a 3.0 caller could buy (every pricing option billed
 * on an event 3.1 added), so a 3.0 answer leaves it out. A product declaring its formats by
 * `format_options` only names no format id: a 3.0 answer needs the list, and none is made up (an
 * empty one, as the storefront's own 3.0 answers give).
 */
export function productFor30(product: Readonly<Json>): Readonly<Json> | undefined {
  return reading30(product, 'copy');
}

/**
 * What 3.0.6's schema judges of a 3.1 product for a 3.1 caller (merchandising's product check):
 * its 3.0 reading, the enum values 3.1 added left out or stood in by a 3.0 value so every other
 * part is still judged (values30.ts). Never undefined: a 3.1 caller buys what 3.1 allows.
 */
export function productJudged30(product: Readonly<Json>): Readonly<Json> {
  return reading30(product, 'judged') ?? product;
}

function reading30(product: Readonly<Json>, reading: Reading30): Readonly<Json> | undefined {
  let changed = false;
  const kept: Json = { ...product };
  const drop = (field: string) => {
    if (field in kept) {
      delete kept[field];
      changed = true;
    }
  };
  for (const field of added31) drop(field);
  for (const [field, inner] of Object.entries(addedWithin31)) {
    const value = kept[field];
    if (Array.isArray(value)) {
      const items = value.map((item: unknown) => (isRecord(item) ? without(item, inner) : item));
      if (items.some((item, i) => item !== value[i])) {
        kept[field] = items;
        changed = true;
      }
    } else if (isRecord(value)) {
      const narrowed = without(value, inner);
      if (narrowed !== value) {
        kept[field] = narrowed;
        changed = true;
      }
    }
  }
  for (const [field, needs] of Object.entries(required30)) {
    const value = kept[field];
    if (value !== undefined && !(isRecord(value) && needs.every((need) => need in value))) {
      drop(field);
    }
  }
  if (!Array.isArray(kept['format_ids'])) {
    kept['format_ids'] = [];
    changed = true;
  }
  const values = values30(kept, reading);
  if (values === 'unsellable') return undefined;
  for (const [field, value] of Object.entries(values ?? {})) {
    if (value === undefined) delete kept[field];
    else kept[field] = value;
  }
  return changed || values ? kept : product;
}
