import { z } from 'zod';
import { positiveIdSchema } from '../../platform/formats.js';

/** Hosted TrackStatus; `silent` is never produced here (grading.ts). */
const trackStatus = z.enum(['pass', 'fail', 'skip', 'partial', 'silent']);

export const trackSchema = z.object({
  track: z.string().describe('The storyboard id (capability_discovery, error_compliance, …)'),
  status: trackStatus,
  label: z.string(),
  durationMs: z.number(),
  failureReason: z.string().optional(),
});

export const observationSchema = z.object({
  category: z.string(),
  severity: z.enum(['info', 'suggestion', 'warning', 'error']),
  message: z.string(),
});

export const failureSchema = z.object({
  track: z.string(),
  scenario: z.string().describe('storyboard/phase as the runner names it'),
  stepId: z.string().nullable(),
  step: z.string(),
  task: z.string().describe('The AdCP task the step called'),
  essential: z
    .boolean()
    .describe('A step its track exists to verify: this failure fails the track'),
  error: z.string().optional(),
  expected: z
    .string()
    .optional()
    .describe("What the storyboard expects, in the storyboard's words"),
  checks: z.array(z.string()).describe('The checks that failed, with the runner hints'),
  fix: z.string().optional().describe('The adcp CLI command that re-runs this step alone'),
});

/** Hosted ComplianceAgentResult, one per source, with our additions after `error`. */
export const agentComplianceSchema = z.object({
  agentId: z.string(),
  agentUrl: z.string(),
  passed: z.boolean(),
  tracks: z.array(trackSchema),
  summary: z.string(),
  observations: z.array(observationSchema),
  durationMs: z.number(),
  error: z.string().optional(),
  sourceId: z.string(),
  runUid: z.string(),
  checkedAt: z.iso.datetime().nullable(),
  gated: z
    .boolean()
    .describe('Left out of composition and passthrough (INTERCHANGE_COMPLIANCE_POLICY=strict)'),
  failures: z.array(failureSchema),
});
export type AgentCompliance = z.infer<typeof agentComplianceSchema>;

export const runRefSchema = z.object({
  runUid: z.string(),
  sourceId: z.string(),
  agentId: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'unreachable', 'auth_required', 'error']),
});

/** The readiness check `agent_connectivity` (hosted ReadinessCheck with compliance[]). */
export const complianceCheckSchema = z
  .object({
    id: z.literal('agent_connectivity'),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    status: z.enum(['complete', 'partial', 'missing', 'optional']),
    isBlocker: z.boolean(),
    method: z.string().optional(),
    details: z.string().optional(),
    action: z.literal('recheck').optional(),
    actionLabel: z.string().optional(),
    compliance: z.array(agentComplianceSchema),
    requirement: z.enum(['hard', 'soft', 'platform_default']),
    policy: z.enum(['strict', 'warn', 'off']).describe('INTERCHANGE_COMPLIANCE_POLICY'),
    pending: z
      .array(runRefSchema)
      .describe('Runs queued or under way; GET /test-runs?runUid= follows one'),
  })
  .meta({ id: 'ComplianceCheck' });
export type ComplianceCheck = z.infer<typeof complianceCheckSchema>;

export const refreshBody = z
  .object({
    agentId: z
      .string()
      .min(1)
      .optional()
      .describe('Re-run one agent (as readiness names it); omitted: every testable source'),
    sourceId: z.string().min(1).max(255).optional().describe('Re-run one source by its sourceId'),
    buyerCustomerId: positiveIdSchema
      .optional()
      .describe(
        "For sources that take buyers' credentials: a BUYER customer of your own organisation " +
          'whose credential at the source the run presents',
      ),
  })
  .strict();
export type RefreshInput = z.infer<typeof refreshBody>;

/** Hosted /test-runs query, plus sourceId. */
export const testRunsQuery = z
  .object({
    take: z.coerce.number().int().min(1).max(20).default(5),
    storefrontId: positiveIdSchema.optional(),
    runUid: z.uuid().optional(),
    sourceId: z.string().min(1).max(255).optional(),
  })
  .strict();
export type TestRunsQuery = z.infer<typeof testRunsQuery>;

const gradedTrackSchema = trackSchema.extend({
  stepsPassed: z.number().int(),
  stepsFailed: z.number().int(),
  stepsSkipped: z.number().int(),
});

/** Hosted StorefrontAgentTestRun, for compliance runs, with our additions after updatedAt. */
export const testRunSchema = z.object({
  id: z.string(),
  runUid: z.string(),
  customerId: z.number().int(),
  userId: z.number().int().nullable(),
  conversationUid: z.null(),
  toolName: z.literal('compliance'),
  status: z
    .enum(['planned', 'partial', 'passed', 'failed'])
    .describe('planned while queued or running; partial: passed with tracks that missed steps'),
  stage: z.string().nullable(),
  sandbox: z.boolean(),
  storefrontId: z.number().int().nullable(),
  advertiserId: z.null(),
  campaignId: z.null(),
  discoveryId: z.null(),
  executedCampaign: z.boolean(),
  discoveredProductCount: z.null(),
  selectedProductCount: z.null(),
  summary: z.record(z.string(), z.unknown()),
  artifacts: z.record(z.string(), z.unknown()),
  diagnostics: z.record(z.string(), z.unknown()),
  steps: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      status: z.enum(['completed', 'failed', 'not_checked']),
      operation: z.string().nullable(),
      httpStatus: z.number().int().nullable(),
      endpoint: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  sourceId: z.string(),
  agentId: z.string(),
  agentUrl: z.string(),
  protocol: z.enum(['MCP', 'A2A']),
  trigger: z.enum(['registration', 'refresh', 'schedule']),
  credential: z.enum(['storefront', 'buyer', 'none']).nullable(),
  runStatus: runRefSchema.shape.status,
  passed: z.boolean().nullable(),
  checkedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  storyboards: z.array(z.string()),
  tracks: z.array(gradedTrackSchema),
  failures: z.array(failureSchema),
  observations: z.array(observationSchema),
  error: z.string().nullable(),
});
export type TestRun = z.infer<typeof testRunSchema>;

export const testRunsSchema = z.object({ runs: z.array(testRunSchema) });

/** sourceDiagnostics[].compliance (hosted), with our additions after trackCounts. */
export const sourceComplianceSchema = z.object({
  passed: z.boolean().nullable().describe('Null until a run finished'),
  summary: z.string(),
  checkedAt: z.iso.datetime().nullable(),
  trackCounts: z.object({
    total: z.number().int(),
    passing: z.number().int(),
    partial: z.number().int(),
    failing: z.number().int(),
  }),
  gated: z.boolean(),
  runUid: z.string().nullable(),
  runStatus: runRefSchema.shape.status.nullable(),
  failingTracks: z.array(z.string()),
});
export type SourceCompliance = z.infer<typeof sourceComplianceSchema>;

export const sourceSettingsParams = z.object({ sourceId: z.string().min(1).max(255) });

export const sourceSettingsBody = z
  .object({
    allowBookingStoryboards: z
      .boolean()
      .describe(
        'Run the storyboards that book, change or traffic buys at this source although it ' +
          'declares no sandbox (get_adcp_capabilities account.sandbox): you vouch that it ' +
          'honours sandbox: true, or accept what a run books there',
      ),
  })
  .strict();
export type SourceSettingsInput = z.infer<typeof sourceSettingsBody>;

/** A source's compliance settings, with what its runs play as things stand. */
export const sourceSettingsSchema = z
  .object({
    sourceId: z.string(),
    sandboxDeclared: z
      .boolean()
      .describe('The source declares sandbox accounts it honours (account.sandbox)'),
    allowBookingStoryboards: z.boolean(),
    storyboards: z
      .array(z.string())
      .describe('The storyboards a run of this source plays now (by its capabilities)'),
    withheld: z
      .array(z.string())
      .describe('Storyboards that apply but are not run: they would book without a sandbox'),
    updatedBy: z.number().int().nullable().describe('The user who last set these settings'),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ComplianceSourceSettings' });
export type SourceSettings = z.infer<typeof sourceSettingsSchema>;
