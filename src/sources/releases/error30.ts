import { isRecord } from '../../platform/is-record.js';

/*
 * An AdCP 3.1 error as a 3.0 caller is told it (issue 49 item 7): a 3.1 source's errors[] held in
 * its mirrored feed reach 3.0 buyers too. 3.0.6's core/error.json takes any code, but a 3.0 buyer
 * reads the codes of its own enums/error-code.json: each code 3.1.19 added becomes the nearest
 * 3.0.6 code, 3.1's own kept in `details.adcp31_code` and its recovery class (3.1.19's
 * enumMetadata) set where the source gave none, so a 3.0 buyer recovers as a 3.1 one would.
 * `source` and `sdk_id` (who emitted the entry), which 3.1 added, are left out.
 */

type Recovery = 'transient' | 'correctable' | 'terminal';

const nearest30: Readonly<Record<string, readonly [code: string, recovery: Recovery]>> = {
  AUTH_MISSING: ['AUTH_REQUIRED', 'correctable'],
  AUTH_INVALID: ['AUTH_REQUIRED', 'terminal'],
  // A platform connection or authorization to complete before the seller can act.
  AUTHORIZATION_REQUIRED: ['ACCOUNT_SETUP_REQUIRED', 'correctable'],
  CONFIGURATION_ERROR: ['SERVICE_UNAVAILABLE', 'terminal'],
  CREATIVE_VALUE_NOT_ALLOWED: ['CREATIVE_REJECTED', 'correctable'],
  CREATIVE_INACCESSIBLE: ['CREATIVE_REJECTED', 'correctable'],
  PROVENANCE_REQUIRED: ['CREATIVE_REJECTED', 'correctable'],
  PROVENANCE_DIGITAL_SOURCE_TYPE_MISSING: ['CREATIVE_REJECTED', 'correctable'],
  PROVENANCE_DISCLOSURE_MISSING: ['CREATIVE_REJECTED', 'correctable'],
  PROVENANCE_EMBEDDED_MISSING: ['CREATIVE_REJECTED', 'correctable'],
  PROVENANCE_VERIFIER_NOT_ACCEPTED: ['CREATIVE_REJECTED', 'correctable'],
  PROVENANCE_CLAIM_CONTRADICTED: ['CREATIVE_REJECTED', 'correctable'],
  UNPRICEABLE_OUTPUT: ['UNSUPPORTED_FEATURE', 'correctable'],
  UNSUPPORTED_GRANULARITY: ['UNSUPPORTED_FEATURE', 'correctable'],
  UNSUPPORTED_PROVISIONING: ['UNSUPPORTED_FEATURE', 'correctable'],
  MULTI_FINALIZE_UNSUPPORTED: ['UNSUPPORTED_FEATURE', 'correctable'],
  BILLING_NOT_SUPPORTED: ['UNSUPPORTED_FEATURE', 'correctable'],
  BILLING_OUT_OF_BAND: ['UNSUPPORTED_FEATURE', 'terminal'],
  PAYMENT_TERMS_NOT_SUPPORTED: ['UNSUPPORTED_FEATURE', 'correctable'],
  FORMAT_NOT_SUPPORTED: ['UNSUPPORTED_FEATURE', 'correctable'],
  // The format and tracker advisories: a declaration the reader cannot use as given.
  FORMAT_PROJECTION_FAILED: ['UNSUPPORTED_FEATURE', 'correctable'],
  FORMAT_DECLARATION_DIVERGENT: ['UNSUPPORTED_FEATURE', 'correctable'],
  FORMAT_DECLARATION_V1_AMBIGUOUS: ['UNSUPPORTED_FEATURE', 'correctable'],
  FORMAT_OPTION_UNRESOLVED: ['UNSUPPORTED_FEATURE', 'correctable'],
  FORMAT_DECLARATION_V1_LOSSY_MULTI_SIZE: ['UNSUPPORTED_FEATURE', 'correctable'],
  PIXEL_TRACKER_LOSSY_DOWNGRADE: ['UNSUPPORTED_FEATURE', 'correctable'],
  PIXEL_TRACKER_UPGRADE_INFERRED: ['UNSUPPORTED_FEATURE', 'correctable'],
  BUDGET_CAP_REACHED: ['BUDGET_EXCEEDED', 'correctable'],
  IDEMPOTENCY_IN_FLIGHT: ['CONFLICT', 'transient'],
  SIGNAL_TARGETING_INCOMPATIBLE: ['INVALID_REQUEST', 'correctable'],
  EVALUATOR_AGENT_NOT_ACCEPTED: ['INVALID_REQUEST', 'correctable'],
  BRAND_REQUIRED: ['INVALID_REQUEST', 'correctable'],
  CREDENTIAL_IN_ARGS: ['INVALID_REQUEST', 'terminal'],
  CATALOG_LIMIT_EXCEEDED: ['INVALID_REQUEST', 'correctable'],
  FEED_FETCH_FAILED: ['VALIDATION_ERROR', 'correctable'],
  INVALID_FEED_FORMAT: ['VALIDATION_ERROR', 'correctable'],
  ITEM_VALIDATION_FAILED: ['VALIDATION_ERROR', 'correctable'],
  PROPOSAL_NOT_FOUND: ['REFERENCE_NOT_FOUND', 'correctable'],
  SCOPE_INSUFFICIENT: ['PERMISSION_DENIED', 'correctable'],
  READ_ONLY_SCOPE: ['PERMISSION_DENIED', 'correctable'],
  FIELD_NOT_PERMITTED: ['PERMISSION_DENIED', 'correctable'],
  BILLING_NOT_PERMITTED_FOR_AGENT: ['PERMISSION_DENIED', 'correctable'],
  AGENT_BLOCKED: ['PERMISSION_DENIED', 'terminal'],
  AGENT_SUSPENDED: ['ACCOUNT_SUSPENDED', 'terminal'],
  ACTION_NOT_ALLOWED: ['INVALID_STATE', 'correctable'],
  // A seller's public placement exposing private fields: the seller's fault, not the request's.
  PRIVATE_FIELD_IN_PUBLIC_PLACEMENT: ['SERVICE_UNAVAILABLE', 'correctable'],
  // Served from a cache past its freshness: 3.0 has no advisory for it; the source was unavailable.
  STALE_RESPONSE: ['SERVICE_UNAVAILABLE', 'transient'],
};

/** `error` as a 3.0 caller is told it; itself when 3.1 added nothing to it. */
export function errorFor30(error: unknown): unknown {
  if (!isRecord(error)) return error;
  const code = typeof error['code'] === 'string' ? error['code'] : '';
  const mapped = Object.hasOwn(nearest30, code) ? nearest30[code] : undefined;
  if (!mapped && !('source' in error) && !('sdk_id' in error)) return error;
  const { source: _source, sdk_id: _sdk, ...rest } = error;
  if (!mapped) return rest;
  const [code30, recovery] = mapped;
  const details = isRecord(error['details']) ? error['details'] : {};
  return {
    ...rest,
    code: code30,
    recovery: rest['recovery'] ?? recovery,
    details: { ...details, adcp31_code: code },
  };
}
