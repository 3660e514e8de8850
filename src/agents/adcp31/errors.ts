import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../platform/is-record.js';
import type { AdcpError, StaleResponseDetails } from './schemas/envelope.js';
import { supportedMajor, supportedReleases } from './release.js';

/*
 * The errors AdCP 3.1 adds for a storefront agent, in core/error.json's shape with the recovery
 * class enums/error-code.json gives each code. A fatal one is a tool error (MCP isError, A2A
 * failed) carrying it twice, as `adcp_error` and as `errors[0]` (the spec's two-layer model);
 * STALE_RESPONSE is the exception: an advisory in `errors[]` beside a good answer.
 */

/**
 * A failed tool answer carrying `error`, with the envelope's `status` (AdCP 3.x requires it on
 * every task answer); `context` is the request's, echoed.
 */
export function errorAnswer(error: AdcpError, context?: unknown): CallToolResult {
  const structuredContent = {
    status: 'failed',
    adcp_error: error,
    errors: [error],
    ...(isRecord(context) && { context }),
  };
  return {
    content: [{ type: 'text', text: JSON.stringify(structuredContent) }],
    isError: true,
    structuredContent,
  };
}

/** Another major, or a pin the major field contradicts (error-details/version-unsupported.json). */
export function versionUnsupported(claimed: string, adcpVersion?: string): AdcpError {
  return {
    code: 'VERSION_UNSUPPORTED',
    message: `Request claims ${claimed}; this agent speaks AdCP ${supportedReleases.join(' and ')}`,
    recovery: 'correctable',
    suggestion: 'Pin a release from details.supported_versions and retry',
    details: {
      supported_versions: [...supportedReleases],
      supported_majors: [supportedMajor],
      ...(adcpVersion !== undefined && { adcp_version: adcpVersion }),
    },
  };
}

/** A request field this layer could not read (a malformed pin, a task tool's arguments). */
export function validationError(field: string, message: string): AdcpError {
  return { code: 'VALIDATION_ERROR', message, field, recovery: 'correctable' };
}

/**
 * Authentication material in the tool's arguments (enums/error-code.json CREDENTIAL_IN_ARGS):
 * the field names where it was found, never its value; the message is the same for every case.
 */
export function credentialInArgs(field: string): AdcpError {
  return {
    code: 'CREDENTIAL_IN_ARGS',
    message:
      'Request arguments carry authentication material. Send credentials on the transport ' +
      '(Authorization header) only, rotate the exposed credential, then resubmit.',
    field,
    recovery: 'terminal',
  };
}

/** A read's idempotency_key that is not a key (the pattern AdCP gives every task's key). */
export function malformedIdempotencyKey(): AdcpError {
  return {
    code: 'INVALID_REQUEST',
    message: 'idempotency_key must match ^[A-Za-z0-9_.:-]{16,255}$',
    field: 'idempotency_key',
    recovery: 'correctable',
  };
}

/** Another request holding the same idempotency_key is still running. */
export function idempotencyInFlight(retryAfterSeconds: number): AdcpError {
  return {
    code: 'IDEMPOTENCY_IN_FLIGHT',
    message:
      'A request with this idempotency_key is still being processed. Retry with the same key ' +
      'after retry_after seconds; do not mint a new one.',
    retry_after: Math.min(3600, Math.max(1, Math.ceil(retryAfterSeconds))),
    recovery: 'transient',
  };
}

/** A task id unknown to this caller (another buyer's answers the same). */
export function taskNotFound(): AdcpError {
  return {
    code: 'REFERENCE_NOT_FOUND',
    message: 'No such task',
    field: 'task_id',
    recovery: 'correctable',
  };
}

/**
 * The advisory for an answer served from a cache past its freshness target because the live
 * fetch failed (enums/error-code.json STALE_RESPONSE): one per stale upstream, in the answer's
 * `errors[]`, never as `adcp_error`. Only for 3.1 answers; see docs/conformance.md for where.
 */
export function staleResponse(field: string, details: StaleResponseDetails): AdcpError {
  return {
    code: 'STALE_RESPONSE',
    message: `Part of this answer is ${details.cache_age_seconds} s old: a live fetch failed and a cached answer was served`,
    field,
    recovery: 'transient',
    details: { ...details },
  };
}
