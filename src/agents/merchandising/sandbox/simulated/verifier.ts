import { isRecord } from '../../../../platform/is-record.js';

/*
 * The sandbox's simulated creative verifier: what a governance agent under a reserved name
 * (creatives/provenance/verifier.ts) answers to get_creative_features, in
 * creative/get-creative-features-response.json's shape. Deterministic, as the spec's storyboards
 * describe their verifier (media_buy_seller/provenance_truth_of_claim): an asset URL containing
 * "ai-generated-true" makes `ai_generated` true with confidence 0.95, "ai-generated-false" false
 * with 0.95; a creative with neither gets no `ai_generated` result (nothing observed). A
 * provenance declaring `human_oversight` edited or directed with `disclosure.required: false` is
 * surfaced as an OVERSIGHT_DISCLOSURE_CARVEOUT_CLAIMED audit observation
 * (creative/audit-observation.json), never a refutation. Other features are not measured.
 */

export const simulatedVerifierFeature = 'ai_generated';

export function simulatedFeatures(request: {
  creative_manifest: Record<string, unknown>;
  feature_ids?: string[];
}): Record<string, unknown> {
  const manifest = request.creative_manifest;
  const asked = request.feature_ids;
  const results = [];
  const observed = aiGenerated(manifest['assets']);
  if (observed !== undefined && (!asked || asked.includes(simulatedVerifierFeature))) {
    results.push({
      feature_id: simulatedVerifierFeature,
      value: observed,
      confidence: 0.95,
      measured_at: new Date().toISOString(),
    });
  }
  const carveOut = carveOutOf(manifest['provenance'], asked?.[0]);
  return { results, ...(carveOut && { audit_observations: [carveOut] }) };
}

function aiGenerated(assets: unknown): boolean | undefined {
  const urls = Object.values(isRecord(assets) ? assets : {}).flatMap((asset) =>
    isRecord(asset) && typeof asset['url'] === 'string' ? [asset['url']] : [],
  );
  if (urls.some((url) => url.includes('ai-generated-true'))) return true;
  if (urls.some((url) => url.includes('ai-generated-false'))) return false;
  return undefined;
}

function carveOutOf(provenance: unknown, featureId: string | undefined) {
  if (!isRecord(provenance)) return undefined;
  const oversight = provenance['human_oversight'];
  const disclosure = provenance['disclosure'];
  if (oversight !== 'edited' && oversight !== 'directed') return undefined;
  if (!isRecord(disclosure) || disclosure['required'] !== false) return undefined;
  return {
    code: 'OVERSIGHT_DISCLOSURE_CARVEOUT_CLAIMED',
    severity: 'audit-worthy',
    recovery: 'informational',
    field: 'creative_manifest.provenance.disclosure.required',
    message: `Provenance claims human oversight (${oversight}) and no disclosure: retained for audit`,
    details: {
      // The verifier's own URL is filled in by the caller (creatives/provenance/verifier.ts).
      agent_url: 'https://sandbox.interchange.invalid/verifier',
      ...(featureId && { feature_id: featureId }),
      claimed_value: { human_oversight: oversight, disclosure_required: false },
    },
  };
}
