import { isRecord } from '../../../platform/is-record.js';
import { projectionOf } from './projection.js';

/*
 * AdCP 3.1's FORMAT_DECLARATION_DIVERGENT (enums/error-code.json): a product that carries both
 * `format_ids` (v1) and `format_options` (v2) must describe the same creative requirement in
 * each; where they disagree the answer still succeeds, with a non-fatal advisory in `errors[]`
 * per product (`field: products[N]`, `source: "producer"`: the storefront authors the answer its
 * buyer reads), `details` as the code asks: product_id, format_ids, format_options_summary,
 * divergence_reason. A declaration disagrees when its `v1_format_ref` names a format the
 * product's format_ids do not, or a format the spec's v1 → v2 registry (projection.ts) projects to
 * another canonical or other dimensions or duration than the declaration's params.
 */

type Json = Record<string, unknown>;

/** The advisory as get_products' `errors[]` carries it (core/error.json). */
export interface FormatAdvisory {
  code: 'FORMAT_DECLARATION_DIVERGENT';
  message: string;
  field: string;
  source: 'producer';
  recovery: 'correctable';
  details: Json;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const records = (value: unknown): Json[] => list(value).filter(isRecord);
const sameUrl = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
const sameFormat = (a: Json, b: Json) =>
  a['id'] === b['id'] && sameUrl(a['agent_url'], b['agent_url']);

// The parameters whose disagreement changes what creative fits (dimensions, duration).
const compared = ['width', 'height', 'duration_ms_exact'] as const;

/** Why one declaration disagrees with the product's format_ids, or undefined when it agrees. */
function divergenceOf(option: Json, formatIds: Json[]): string | undefined {
  const params = isRecord(option['params']) ? option['params'] : {};
  for (const ref of records(option['v1_format_ref'])) {
    if (!formatIds.some((formatId) => sameFormat(formatId, ref))) {
      return `v1_format_ref ${String(ref['id'])} is not among the product's format_ids`;
    }
    const projected = projectionOf(String(ref['id']));
    if (!projected) continue;
    if (projected.kind !== option['format_kind']) {
      return `${String(ref['id'])} is ${projected.kind}, the declaration ${String(option['format_kind'])}`;
    }
    const differs = compared.find(
      (name) =>
        projected.params[name] !== undefined &&
        params[name] !== undefined &&
        projected.params[name] !== params[name],
    );
    if (differs) {
      return `${String(ref['id'])} has ${differs} ${String(projected.params[differs])}, the declaration ${String(params[differs])}`;
    }
  }
  return undefined;
}

/** One advisory per product whose two format declarations disagree, in answer order. */
export function formatDivergences(products: readonly object[]): FormatAdvisory[] {
  const advisories: FormatAdvisory[] = [];
  products.forEach((product, index) => {
    if (!isRecord(product)) return;
    const formatIds = records(product['format_ids']);
    const options = records(product['format_options']);
    if (formatIds.length === 0 || options.length === 0) return;
    const reason = options.map((option) => divergenceOf(option, formatIds)).find(Boolean);
    if (!reason) return;
    advisories.push({
      code: 'FORMAT_DECLARATION_DIVERGENT',
      message: `Product ${String(product['product_id'])} declares formats that disagree: ${reason}. Its format_options are the declaration to read.`,
      field: `products[${index}]`,
      source: 'producer',
      recovery: 'correctable',
      details: {
        product_id: product['product_id'],
        format_ids: formatIds,
        format_options_summary: options.map((option) => ({
          format_kind: option['format_kind'],
          ...(option['format_option_id'] !== undefined && {
            format_option_id: option['format_option_id'],
          }),
          ...(option['v1_format_ref'] !== undefined && { v1_format_ref: option['v1_format_ref'] }),
        })),
        divergence_reason: reason,
      },
    });
  });
  return advisories;
}
