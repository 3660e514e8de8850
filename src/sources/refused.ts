import type { SourceError, SourceIdentity } from './port.js';

/**
 * A source's refusal, as its kind states it: an AdCP code and the buyer's words, and what the
 * buyer may do about it. Never a host, a token or an exception's text: those are the operator's.
 */
export interface Refusal {
  code: string;
  message: string;
  /** The request field at fault, when one is. */
  field?: string | undefined;
  /** Whether retrying helps; the kind's to say, absent when it does not. */
  recovery?: SourceError['recovery'] | undefined;
  /** Seconds before a retry may succeed (a provider's rate limit). */
  retryAfter?: number | undefined;
  /**
   * Why the storefront left the source out or what the refusal was (not_connected, timeout,
   * tool_error, …). The storefront reads it: a write refused `tool_error` with an unknown-outcome
   * code (SERVICE_UNAVAILABLE, …) is one recovery establishes (buys/source-writes.ts).
   */
  reason?: string | undefined;
  /** The kind's own details for the buyer (the source's labels are added, and win). */
  details?: Record<string, unknown> | undefined;
}

/**
 * The one "source refused" error of every kind: AdCP's error object, its details naming the
 * source (`source_id`, `source_name`) and, when the kind gives one, the `reason`, so a buyer
 * reads every kind's refusal the same way.
 */
export function sourceRefused(source: SourceIdentity, refusal: Refusal): SourceError {
  const labels = {
    source_id: source.sourceId,
    source_name: source.name,
    ...(refusal.reason !== undefined && { reason: refusal.reason }),
  };
  return {
    code: refusal.code,
    message: refusal.message,
    ...(refusal.recovery && { recovery: refusal.recovery }),
    ...(refusal.retryAfter !== undefined && { retry_after: refusal.retryAfter }),
    ...(refusal.field !== undefined && refusal.field !== '' && { field: refusal.field }),
    // The labels first in order and last in value: a kind's details never rename the source.
    details: { ...labels, ...refusal.details, ...labels },
  };
}
