import { isRecord } from '../../../platform/is-record.js';
import { formatOptionsOf } from './projection.js';

/*
 * AdCP 3.1's `format_option_id` on every format option a storefront answers
 * (core/product-format-declaration.json: SHOULD on every entry, so a buyer can choose one with
 * `format_option_refs`; without it a product is not V2-authorable). Product-local and derived
 * from what the option is, never from where it sits in an answer, so it is the same on every call,
 * page and instance (and a wholesale feed's version with it). A source's own id is kept; an option
 * without one is named by the v1 format it links to (`v1_format_ref`: a projected option's is the
 * format id it came from), else by its canonical kind and fixed size or duration (`image_300x250`,
 * `video_hosted_30s`). A name another option of the product holds gets `_2`, `_3`, … in order.
 */

type Json = Record<string, unknown>;

const named = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The id an option without one of its own is given, before any clash is settled. */
function derivedId(option: Json): string {
  const ref = Array.isArray(option['v1_format_ref'])
    ? option['v1_format_ref'].find(isRecord)
    : undefined;
  if (ref && named(ref['id'])) return ref['id'];
  const params = isRecord(option['params']) ? option['params'] : {};
  const { width, height, duration_ms_exact: ms } = params;
  const size = typeof width === 'number' && typeof height === 'number' ? `_${width}x${height}` : '';
  const duration = typeof ms === 'number' ? `_${ms / 1000}s` : '';
  return `${String(option['format_kind'])}${size}${duration}`;
}

/** `options` each with a `format_option_id` unique within them (see above). */
export function withOptionIds<T extends object>(options: readonly T[]): T[] {
  const own = options.map((option) => (option as Json)['format_option_id']);
  const given = new Set(own.filter(named));
  const taken = new Set<string>();
  return options.map((option, index) => {
    const id = own[index];
    if (named(id) && !taken.has(id)) {
      taken.add(id);
      return option;
    }
    const base = named(id) ? id : derivedId(option as Json);
    let chosen = base;
    // A name a later option was given stays that option's.
    for (let n = 2; taken.has(chosen) || (chosen !== id && given.has(chosen)); n++) {
      chosen = `${base}_${n}`;
    }
    taken.add(chosen);
    return { ...option, format_option_id: chosen };
  });
}

/**
 * A product's format options as a 3.1 caller reads them, each with its id: its own
 * `format_options` where it declares them, else those projected from its `format_ids` through
 * the spec's v1 → v2 registry (projection.ts); undefined when it has neither.
 */
export function formatOptionsOfProduct(product: object): Json[] | undefined {
  const own = (product as { format_options?: unknown }).format_options;
  if (Array.isArray(own)) return withOptionIds(own.filter(isRecord));
  const projected = formatOptionsOf((product as { format_ids?: unknown }).format_ids);
  return projected && withOptionIds(projected);
}
