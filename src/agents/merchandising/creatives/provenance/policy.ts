import { isRecord } from '../../../../platform/is-record.js';
import type { Product } from '../../types.js';

/**
 * Provenance requirements (core/creative-policy.json: `provenance_required`,
 * `provenance_requirements`, `accepted_verifiers`) as the storefront enforces them on
 * sync_creatives, structurally: presence, `digital_source_type`, disclosure metadata and the
 * verifier allowlist (media_buy_seller/provenance_enforcement). A claim's truth is asked of the
 * accepted verifiers afterwards (verify.ts).
 *
 * The storefront enforces only policies of products it sells itself, the sandbox's (a source's
 * products carry their own seller's policy, which that seller enforces when the creative reaches
 * it); which of them a creative meets is scope.ts's.
 */
export interface ProvenancePolicy {
  required: boolean;
  digitalSourceType: boolean;
  disclosure: boolean;
  /** Canonical verifier URLs (canonicalVerifier) the policy accepts. */
  verifiers: Set<string>;
  /** The accepted verifiers as the products publish them, each with its canonical URL. */
  accepted: AcceptedVerifier[];
}

/** One `accepted_verifiers` entry: the agent the seller calls, and the feature it asks. */
export interface AcceptedVerifier {
  agentUrl: string;
  canonical: string;
  featureId?: string;
}

/** A creative refused for its provenance: the per-creative error. */
export interface ProvenanceRefusal {
  code:
    | 'PROVENANCE_REQUIRED'
    | 'PROVENANCE_DIGITAL_SOURCE_TYPE_MISSING'
    | 'PROVENANCE_VERIFIER_NOT_ACCEPTED'
    | 'PROVENANCE_DISCLOSURE_MISSING'
    | 'PROVENANCE_CLAIM_CONTRADICTED';
  message: string;
  field: string;
  /** enums/error-code.json: every PROVENANCE_* code is correctable (the buyer resubmits). */
  recovery: 'correctable';
  /** PROVENANCE_CLAIM_CONTRADICTED's audit-safe details (verify.ts). */
  details?: Record<string, unknown>;
}

/**
 * The strictest reading of the products' creative policies (a creative may serve on any of
 * them): required if one requires it, verifiers those any accepts. Undefined when none asks for
 * provenance.
 */
export function provenancePolicyOf(products: Product[]): ProvenancePolicy | undefined {
  const policy: ProvenancePolicy = {
    required: false,
    digitalSourceType: false,
    disclosure: false,
    verifiers: new Set(),
    accepted: [],
  };
  for (const product of products) {
    const creativePolicy: unknown = product.creative_policy;
    if (!isRecord(creativePolicy)) continue;
    const requirements = creativePolicy['provenance_requirements'];
    policy.required ||= creativePolicy['provenance_required'] === true;
    if (isRecord(requirements)) {
      policy.digitalSourceType ||= requirements['require_digital_source_type'] === true;
      policy.disclosure ||= requirements['require_disclosure_metadata'] === true;
    }
    const verifiers = creativePolicy['accepted_verifiers'];
    for (const verifier of Array.isArray(verifiers) ? verifiers : []) {
      const url = isRecord(verifier) ? canonicalVerifier(verifier['agent_url']) : undefined;
      if (!url || !isRecord(verifier)) continue;
      policy.verifiers.add(url);
      const featureId = verifier['feature_id'];
      policy.accepted.push({
        agentUrl: String(verifier['agent_url']),
        canonical: url,
        ...(typeof featureId === 'string' && { featureId }),
      });
    }
  }
  const asks = policy.required || policy.digitalSourceType || policy.disclosure;
  return asks || policy.verifiers.size > 0 ? policy : undefined;
}

/**
 * What the policy refuses in creative `index` (its fields named from the request's
 * `creatives[index]`), or undefined. Checked in the order the spec's codes go from absent to
 * incomplete: no provenance, no digital_source_type, an off-list verifier, no disclosure.
 */
export function provenanceRefusal(
  creative: Record<string, unknown>,
  index: number,
  policy: ProvenancePolicy,
): ProvenanceRefusal | undefined {
  const at = `creatives[${index}]`;
  const declared = declaredProvenance(creative, at);
  if (declared.length === 0) {
    if (!policy.required) return undefined;
    return {
      code: 'PROVENANCE_REQUIRED',
      recovery: 'correctable',
      message: 'The creative policy requires provenance: attach a provenance object',
      field: `${at}.provenance`,
    };
  }
  for (const { provenance, path } of declared) {
    if (policy.digitalSourceType && typeof provenance['digital_source_type'] !== 'string') {
      return {
        code: 'PROVENANCE_DIGITAL_SOURCE_TYPE_MISSING',
        recovery: 'correctable',
        message: 'The creative policy requires provenance.digital_source_type',
        field: `${path}.digital_source_type`,
      };
    }
  }
  for (const { provenance, path } of declared) {
    const offList = offListVerifier(provenance, path, policy.verifiers);
    if (offList) {
      return {
        code: 'PROVENANCE_VERIFIER_NOT_ACCEPTED',
        recovery: 'correctable',
        message:
          'verify_agent.agent_url is not among the accepted_verifiers of the creative policy',
        field: offList,
      };
    }
  }
  for (const { provenance, path } of declared) {
    if (policy.disclosure && !isRecord(provenance['disclosure'])) {
      return {
        code: 'PROVENANCE_DISCLOSURE_MISSING',
        recovery: 'correctable',
        message: 'The creative policy requires provenance.disclosure metadata',
        field: `${path}.disclosure`,
      };
    }
  }
  return undefined;
}

/** Provenance declared on the creative and on each of its assets, with their paths. */
export function declaredProvenance(creative: Record<string, unknown>, at: string) {
  const found: Array<{ provenance: Record<string, unknown>; path: string }> = [];
  if (isRecord(creative['provenance'])) {
    found.push({ provenance: creative['provenance'], path: `${at}.provenance` });
  }
  const assets = creative['assets'];
  for (const [name, asset] of Object.entries(isRecord(assets) ? assets : {})) {
    if (isRecord(asset) && isRecord(asset['provenance'])) {
      found.push({ provenance: asset['provenance'], path: `${at}.assets.${name}.provenance` });
    }
  }
  return found;
}

/** The path of the first verify_agent.agent_url outside the allowlist, if any. */
function offListVerifier(
  provenance: Record<string, unknown>,
  path: string,
  accepted: Set<string>,
): string | undefined {
  for (const list of ['embedded_provenance', 'watermarks'] as const) {
    const entries = provenance[list];
    if (!Array.isArray(entries)) continue;
    for (const [j, entry] of entries.entries()) {
      const agent = isRecord(entry) ? entry['verify_agent'] : undefined;
      if (!isRecord(agent) || agent['agent_url'] === undefined) continue;
      const url = canonicalVerifier(agent['agent_url']);
      if (!url || !accepted.has(url)) return `${path}.${list}[${j}].verify_agent.agent_url`;
    }
  }
  return undefined;
}

/**
 * A verifier URL canonicalized as the spec compares them (docs/reference/url-canonicalization:
 * lowercase scheme and host, no default port, dot-segments resolved; WHATWG URL does all four),
 * without a trailing slash. Undefined for what is not an http(s) URL.
 */
export function canonicalVerifier(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
