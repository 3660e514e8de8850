import { isRecord } from '../platform/is-record.js';

/**
 * Whether an agent's refusal says its own answer failed its schema, not our request: @adcp/sdk's
 * servers outside production check every answer before sending it (`responses: 'strict'`) and,
 * when it does not fit, send VALIDATION_ERROR with `details.side: 'response'` instead, after
 * the tool has run. So the call did what it does (a create_media_buy booked its buy); only its
 * answer is lost. Such a refusal is the agent's fault, and for a write its outcome is unknown.
 * `details` is a failed call's details (`adcp_error`, `{errors}`, or the error itself).
 * Answers the JSON pointer the agent named, or '' when it named none; undefined when the
 * refusal is of another kind.
 */
export function answerOutOfSchema(details: unknown): string | undefined {
  const error = adcpErrorOf(details);
  if (error?.['code'] !== 'VALIDATION_ERROR') return undefined;
  const inner = error['details'];
  if (!isRecord(inner) || inner['side'] !== 'response') return undefined;
  return typeof error['field'] === 'string' ? error['field'].slice(0, 200) : '';
}

/**
 * The AdCP error a failed call's details carry: `adcp_error`, else the first of `{errors}`, else
 * the details themselves; undefined when they are not an object.
 */
export function adcpErrorOf(details: unknown): Record<string, unknown> | undefined {
  if (!isRecord(details)) return undefined;
  if (isRecord(details['adcp_error'])) return details['adcp_error'];
  const first = Array.isArray(details['errors']) ? details['errors'][0] : undefined;
  return isRecord(first) ? first : details;
}
