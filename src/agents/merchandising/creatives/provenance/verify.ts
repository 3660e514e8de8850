import { isRecord } from '../../../../platform/is-record.js';
import {
  canonicalVerifier,
  declaredProvenance,
  type AcceptedVerifier,
  type ProvenancePolicy,
  type ProvenanceRefusal,
} from './policy.js';
import type { AuditObservation, CreativeVerifier, FeaturesRequest } from './verifier.js';

/*
 * Truth of a creative's provenance claim (media_buy_seller/provenance_truth_of_claim and
 * provenance_audit_observation): once the creative passed the structural checks, each accepted
 * verifier its provenance names (`embedded_provenance[]` / `watermarks[]` `verify_agent`, already
 * on the allowlist) is asked get_creative_features about it, for the feature the policy's entry
 * names (else the buyer's). An AI-detection feature (`ai_generated`) observed true at or above
 * the seller's confidence threshold contradicts a claim of a non-AI `digital_source_type`:
 * PROVENANCE_CLAIM_CONTRADICTED with the audit-safe details (agent_url, feature_id,
 * claimed_value, observed_value, confidence) and nothing of the verifier's answer besides. Audit
 * observations the verifiers return are kept, not refusals. A verifier that does not answer
 * refutes nothing: the claim stands unverified (the spec lets a seller verify; it does not make
 * a creative wait on a verifier's uptime).
 */

/** The seller's confidence threshold for a contradiction. */
export const contradictionConfidence = 0.9;

/** digital-source-type values that claim no machine-generated content. */
const nonAiSourceTypes = new Set(['digital_capture', 'digital_creation', 'composite_capture']);

export interface Verification {
  refusal?: ProvenanceRefusal;
  observations: AuditObservation[];
}

export async function verifyProvenance(
  creative: Record<string, unknown>,
  index: number,
  policy: ProvenancePolicy,
  verifier: CreativeVerifier,
): Promise<Verification> {
  const observations: AuditObservation[] = [];
  for (const { provenance, path } of declaredProvenance(creative, `creatives[${index}]`)) {
    for (const { accepted, featureId } of nominated(provenance, policy.accepted)) {
      const request: FeaturesRequest = {
        creative_manifest: {
          format_id: creative['format_id'],
          assets: creative['assets'],
          provenance,
        },
        ...(featureId && { feature_ids: [featureId] }),
      };
      const answer = await verifier.features(accepted.agentUrl, request);
      if (!answer) continue;
      observations.push(...answer.auditObservations);
      const claimed = provenance['digital_source_type'];
      const contradiction = answer.results.find(
        (result) =>
          isAiDetection(result.feature_id) &&
          result.value === true &&
          (result.confidence ?? 1) >= contradictionConfidence &&
          typeof claimed === 'string' &&
          nonAiSourceTypes.has(claimed),
      );
      if (!contradiction) continue;
      const refusal: ProvenanceRefusal = {
        code: 'PROVENANCE_CLAIM_CONTRADICTED',
        recovery: 'correctable',
        message: `The verifier observed ${contradiction.feature_id} true, contradicting digital_source_type ${String(claimed)}`,
        field: `${path}.digital_source_type`,
        details: {
          agent_url: accepted.agentUrl,
          feature_id: contradiction.feature_id,
          claimed_value: claimed,
          observed_value: contradiction.value,
          ...(contradiction.confidence !== undefined && {
            confidence: contradiction.confidence,
          }),
        },
      };
      return { refusal, observations };
    }
  }
  return { observations };
}

const isAiDetection = (featureId: string) =>
  featureId === 'ai_generated' || featureId.endsWith('.ai_generated');

/**
 * The accepted verifiers a provenance names, once each with the feature to ask: the entry whose
 * feature is the buyer's (or names none) first, the policy's feature over the buyer's.
 */
function nominated(provenance: Record<string, unknown>, accepted: AcceptedVerifier[]) {
  const asked = new Map<string, { accepted: AcceptedVerifier; featureId?: string }>();
  for (const list of ['embedded_provenance', 'watermarks'] as const) {
    const entries = provenance[list];
    for (const entry of Array.isArray(entries) ? entries : []) {
      const agent = isRecord(entry) ? entry['verify_agent'] : undefined;
      if (!isRecord(agent)) continue;
      const url = canonicalVerifier(agent['agent_url']);
      const buyers = typeof agent['feature_id'] === 'string' ? agent['feature_id'] : undefined;
      const onList = accepted.filter((a) => a.canonical === url);
      const entryOf =
        onList.find((a) => a.featureId === undefined || a.featureId === buyers) ?? onList[0];
      if (!entryOf) continue;
      const featureId = entryOf.featureId ?? buyers;
      asked.set(`${entryOf.canonical}\n${featureId ?? ''}`, {
        accepted: entryOf,
        ...(featureId && { featureId }),
      });
    }
  }
  return [...asked.values()];
}
