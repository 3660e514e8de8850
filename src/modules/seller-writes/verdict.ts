import { adcpErrorOf, answerOutOfSchema, type ToolCallResult } from '../../upstream/index.js';

/**
 * What one call of a write tells about its outcome: the seller answered it, refused it (nothing
 * was done: the intent is over), or the outcome is unknown (a buy may exist: it is looked up
 * before anything is sent again, and never reported FAILED).
 */
export type Verdict =
  | { kind: 'answered' }
  | { kind: 'refused'; code: string; message: string }
  | {
      kind: 'unknown';
      reason: string;
      /**
       * false: the seller ran the write and answered out of its own schema (upstream
       * answerOutOfSchema). Its key may not hold the outcome (@adcp/sdk keeps such an answer for
       * seconds), so sending it again could make the write twice: it is only looked up.
       */
      resend?: false;
    };

/**
 * AdCP error codes after which a write may or may not have taken effect: the seller could not
 * finish (SERVICE_UNAVAILABLE, INTERNAL_ERROR), was still working on the key, or could not judge
 * it (IDEMPOTENCY_EXPIRED, IDEMPOTENCY_CONFLICT: the key was used before, so a buy may exist),
 * or did not take it yet (RATE_LIMITED; sent again, it is the same intent).
 */
export const unknownOutcomeCodes: ReadonlySet<string> = new Set([
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'IDEMPOTENCY_EXPIRED',
  'IDEMPOTENCY_CONFLICT',
  'IDEMPOTENCY_IN_FLIGHT',
  'RATE_LIMITED',
]);

/** Transport failures after which the request may have reached the seller and been acted on. */
export const unknownTransportCodes: ReadonlySet<string> = new Set(['timeout', 'protocol_error']);

/** The AdCP error code a seller answered with, from a failed call's details. */
export function adcpCodeOf(details: unknown): string | undefined {
  const code = adcpErrorOf(details)?.['code'];
  return typeof code === 'string' ? code : undefined;
}

/** The verdict of one upstream call (the upstream client's or an in-process agent's answer). */
export function verdictOf(result: ToolCallResult<unknown>): Verdict {
  if (result.ok) return { kind: 'answered' };
  const { code, message, details } = result.error;
  if (unknownTransportCodes.has(code)) return { kind: 'unknown', reason: message };
  if (code === 'tool_error') {
    if (answerOutOfSchema(details) !== undefined) {
      return { kind: 'unknown', reason: message, resend: false };
    }
    const adcp = adcpCodeOf(details) ?? 'unknown';
    return unknownOutcomeCodes.has(adcp)
      ? { kind: 'unknown', reason: message }
      : { kind: 'refused', code: adcp, message };
  }
  // Not delivered (no such agent, a blocked address, credentials refused): nothing was done.
  return { kind: 'refused', code, message };
}
