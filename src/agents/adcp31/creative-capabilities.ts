import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../platform/is-record.js';

/**
 * The `creative` block of a 3.1 caller's get_adcp_capabilities (protocol/get-adcp-capabilities-
 * response.json: "only present if creative is in supported_protocols"). A storefront takes,
 * keeps and lists buyers' creatives (sync_creatives, list_creatives) but builds none, so it
 * declares only what a buyer must know before calling, and that truthfully:
 *
 * - `bills_through_adcp: false`: creatives cost nothing through AdCP here (no rate card on
 *   list_creatives, no build_creative, no report_usage); the spec's "false or absent" reading,
 *   said explicitly because buyers route on it before any call (creative/billing_out_of_band);
 * - `supports_evaluator: false`: build_creative is not offered, so no evaluator is ever run and
 *   `creative.evaluator` is not among `experimental_features` (creative/evaluator_auth's phases
 *   require `true`, so they do not apply).
 *
 * No `supported_formats`: that is the catalog of what build_creative produces, and the storefront
 * produces nothing; the formats it accepts are on list_creative_formats and on each product.
 * Generation, transformation, refinement and the rest keep their schema default, false.
 */
export const creativeCapabilities31 = {
  bills_through_adcp: false,
  supports_evaluator: false,
} as const;

/** A 3.1 capabilities answer with the creative block, where `creative` is a declared protocol. */
export function advertiseCreative(result: CallToolResult): CallToolResult {
  const content = result.structuredContent;
  if (result.isError === true || !content) return result;
  const protocols = content['supported_protocols'];
  if (!Array.isArray(protocols) || !protocols.includes('creative')) return result;
  const declared = content['creative'];
  return {
    ...result,
    structuredContent: {
      ...content,
      creative: { ...(isRecord(declared) && declared), ...creativeCapabilities31 },
    },
  };
}
