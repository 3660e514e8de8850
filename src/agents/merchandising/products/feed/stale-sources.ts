import { speaks31, staleResponse } from '../../../adcp31/index.js';
import type { SourceOutcome } from '../../../../sources/fan-out.js';
import type { AdcpErrorObject } from '../../types.js';

/**
 * A source's answer served from its mirrored feed because the live probe failed
 * (kinds/agent/feed-mirror): a 3.1 caller gets the products with the STALE_RESPONSE advisory
 * (staleAdvisory); a 3.0 caller, whose release has no such advisory, gets the source's error as
 * when it is asked live.
 */
export function asServed<T>(outcome: SourceOutcome<T>): SourceOutcome<T> {
  if (!outcome.ok || !outcome.stale || speaks31()) return outcome;
  return {
    ok: false,
    error: outcome.stale.error,
    source: outcome.source,
    latencyMs: outcome.latencyMs,
  };
}

/**
 * The STALE_RESPONSE advisory for a source served from its mirror (error-details/
 * stale-response.json): one per source, on `products`; freshness target 0 s, since every other
 * answer is confirmed by the source on the call itself. The source is named, never its address.
 */
export function staleAdvisory<T>(outcome: SourceOutcome<T>): AdcpErrorObject | undefined {
  if (!outcome.ok || !outcome.stale) return undefined;
  const { ageSeconds, error } = outcome.stale;
  const advisory = staleResponse('products', {
    served_from_cache: true,
    cache_age_seconds: ageSeconds,
    freshness_target_seconds: 0,
    upstream: { name: outcome.source.name },
    original_error: { code: error.code, message: error.message },
  });
  return { ...advisory, details: { ...advisory.details, source_id: outcome.source.sourceId } };
}
