import { errorAnswer, validationError } from './errors.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The product fields AdCP 3.1.19 adds to get_products' `fields` (media-buy/
 * get-products-request.json) beyond 3.0's list, which @adcp/sdk 6.11 validates requests against.
 */
const added31 = [
  'video_placement_types',
  'audio_distribution_types',
  'sponsored_placement_types',
  'social_placement_surfaces',
  'format_options',
  'included_signals',
  'signal_targeting_allowed',
  'signal_targeting_options',
  'signal_targeting_rules',
] as const;

/** 3.0's names, as the SDK's request schema lists them (3.1 keeps every one of them). */
const known30 = [
  'product_id',
  'name',
  'description',
  'publisher_properties',
  'channels',
  'format_ids',
  'placements',
  'delivery_type',
  'exclusivity',
  'pricing_options',
  'forecast',
  'outcome_measurement',
  'delivery_measurement',
  'reporting_capabilities',
  'creative_policy',
  'catalog_types',
  'metric_optimization',
  'conversion_tracking',
  'data_provider_signals',
  'max_optimization_goals',
  'catalog_match',
  'collections',
  'collection_targeting_allowed',
  'installments',
  'brief_relevance',
  'expires_at',
  'product_card',
  'product_card_detailed',
  'enforced_policies',
  'trusted_match',
] as const;

const only31 = new Set<string>(added31);
const fields31 = new Set<string>([...known30, ...added31]);

/**
 * A 3.1 get_products' `fields` checked against 3.1.19's list (a name outside it is
 * VALIDATION_ERROR at `fields[i]`), and what the 3.0 server behind is handed: the names 3.0 knows
 * (the answer is the same: a storefront answers whole products, a field it was not asked for
 * included); none left, no `fields` (all of them). Anything else is the SDK's to refuse as before.
 */
export function fieldsFor30(
  args: Record<string, unknown>,
): { args: Record<string, unknown> } | { refused: CallToolResult } {
  const fields = args['fields'];
  if (!Array.isArray(fields) || !fields.every((f): f is string => typeof f === 'string')) {
    return { args };
  }
  const unknown = fields.findIndex((f) => !fields31.has(f));
  if (unknown >= 0) {
    const error = validationError(
      `fields[${unknown}]`,
      `"${fields[unknown]!.slice(0, 64)}" is not a product field of AdCP 3.1`,
    );
    return { refused: errorAnswer(error, args['context']) };
  }
  if (!fields.some((f) => only31.has(f))) return { args };
  const { fields: _asked, ...rest } = args;
  const kept = fields.filter((f) => !only31.has(f));
  return { args: kept.length > 0 ? { ...rest, fields: kept } : rest };
}
