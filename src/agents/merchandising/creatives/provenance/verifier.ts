import { z } from 'zod';
import type { UpstreamClient } from '../../../../upstream/index.js';
import { isReservedName } from './scope.js';

/*
 * The governance agents a creative policy accepts (`accepted_verifiers`), asked
 * get_creative_features (AdCP 3.1.19 creative/get-creative-features-request.json) about a
 * creative whose provenance names them. Called over MCP through the guarded upstream client,
 * with no credential (the seller vetted the endpoint when it listed it). A verifier under a
 * reserved name (scope.ts: the spec's storyboards list
 * `https://governance.encypher.seller.example`) resolves nowhere: the sandbox's simulated
 * verifier answers for it, as the spec's own training agent maps that sentinel to an internal
 * verifier.
 */

/** creative/creative-feature-result.json, as read: the value and its confidence. */
const featureResult = z.object({
  feature_id: z.string(),
  value: z.union([z.boolean(), z.number(), z.string()]),
  confidence: z.number().min(0).max(1).optional(),
});

/** creative/audit-observation.json, its audit-safe details only (the spec's allowlist). */
export const auditObservation = z
  .object({
    code: z.literal('OVERSIGHT_DISCLOSURE_CARVEOUT_CLAIMED'),
    severity: z.literal('audit-worthy'),
    recovery: z.literal('informational'),
    field: z.string().max(500),
    message: z.string().max(2000),
    details: z
      .object({
        agent_url: z.string().max(2000),
        feature_id: z.string().max(200).optional(),
        claimed_value: z
          .object({
            human_oversight: z.enum(['edited', 'directed']),
            disclosure_required: z.literal(false),
          })
          .strip(),
        observed_value: z.union([z.boolean(), z.number(), z.string(), z.null()]).optional(),
        confidence: z.number().min(0).max(1).optional(),
        substituted_for: z.string().max(2000).optional(),
      })
      .strip(),
  })
  .strip();
export type AuditObservation = z.infer<typeof auditObservation>;

/** The success arm of get-creative-features-response.json, as the storefront reads it. */
const featuresAnswer = z.object({
  results: z.array(featureResult),
  audit_observations: z.array(z.unknown()).optional(),
});

export interface FeaturesAnswer {
  results: Array<z.infer<typeof featureResult>>;
  /** The well-formed observations; one that is not is dropped, never passed on. */
  auditObservations: AuditObservation[];
}

export interface FeaturesRequest {
  creative_manifest: Record<string, unknown>;
  feature_ids?: string[];
}

export interface CreativeVerifier {
  /** The agent's answer; unreachable, refusing or answering nonsense: undefined. */
  features(agentUrl: string, request: FeaturesRequest): Promise<FeaturesAnswer | undefined>;
}

const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

export function createCreativeVerifier(deps: {
  upstream: Pick<UpstreamClient, 'callTool'>;
  /** Answers for verifiers under reserved names (the sandbox's). */
  simulated: (request: FeaturesRequest) => unknown;
  timeoutMs: number;
  /** Loopback http agent URLs are called (development and tests only). */
  allowInsecureUrls: boolean;
}): CreativeVerifier {
  return {
    async features(agentUrl, request) {
      if (isReservedName(agentUrl)) return readAnswer(deps.simulated(request), agentUrl);
      const url = new URL(agentUrl);
      const secure =
        url.protocol === 'https:' || (deps.allowInsecureUrls && loopback.test(url.hostname));
      if (!secure) return undefined;
      const answer = await deps.upstream.callTool(
        { endpointUrl: agentUrl, protocol: 'MCP', auth: { type: 'NO_AUTH' } },
        'get_creative_features',
        { ...request },
        { timeoutMs: deps.timeoutMs },
      );
      return answer.ok ? readAnswer(answer.data, agentUrl) : undefined;
    },
  };
}

function readAnswer(data: unknown, agentUrl: string): FeaturesAnswer | undefined {
  const read = featuresAnswer.safeParse(data);
  if (!read.success) return undefined;
  const auditObservations = (read.data.audit_observations ?? []).flatMap((raw) => {
    const observation = auditObservation.safeParse(raw);
    if (!observation.success) return [];
    // The agent that produced it is the one the storefront called, whatever it says.
    return [{ ...observation.data, details: { ...observation.data.details, agent_url: agentUrl } }];
  });
  return { results: read.data.results, auditObservations };
}
