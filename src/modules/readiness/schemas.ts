import { z } from 'zod';
import { agentComplianceSchema, sourceComplianceSchema } from '../compliance/index.js';
import { productIssueSchema } from '../inventory-sources/index.js';
import { publisherDomainSchema } from '../publisher-authorization/index.js';

const capabilityState = z.enum(['supported', 'unsupported', 'unknown']);

export const checkSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  status: z.enum(['complete', 'partial', 'missing', 'optional']),
  isBlocker: z.boolean(),
  details: z.string().optional(),
  actionLabel: z.string().optional(),
  method: z.string().optional(),
  action: z.literal('recheck').optional(),
  requirement: z.enum(['hard', 'soft', 'platform_default']).optional(),
  compliance: z
    .array(agentComplianceSchema)
    .optional()
    .describe("On agent_connectivity: each source's latest compliance run"),
  policy: z.enum(['strict', 'warn', 'off']).optional(),
  pending: z
    .array(
      z.object({
        runUid: z.string(),
        sourceId: z.string(),
        agentId: z.string(),
        status: z.string(),
      }),
    )
    .optional(),
});
export type ReadinessCheck = z.infer<typeof checkSchema>;

export const sourceDiagnosticSchema = z.object({
  id: z.string().nullable(),
  sourceId: z.string().nullable(),
  name: z.string(),
  executionType: z.string(),
  sourceStatus: z.enum(['PENDING', 'ACTIVE', 'DISABLED']),
  canTransact: z
    .boolean()
    .describe(
      'Interchange addition: the source sells now. Exactly the sources with true are offered to ' +
        'buyers (get_products) and take new buys; the others are left out, and a buy naming ' +
        'their products is refused PRODUCT_UNAVAILABLE',
    ),
  cannotTransact: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .describe(
      'Interchange addition: why the source cannot sell now (not ACTIVE, credentials missing or ' +
        'refused, not connected, not answering, failed compliance under the strict policy), ' +
        'in words that name what to do; null when it can',
    ),
  agentId: z.string().nullable().describe('Null while the source is a draft'),
  agentStatus: z
    .enum(['PENDING', 'ACTIVE', 'DISABLED'])
    .describe('Hosted API: a projection of sourceStatus; the probe verdict is health.status'),
  endpointUrl: z.string().nullable().describe('Null while the source is a draft'),
  protocol: z.enum(['MCP', 'A2A']),
  auth: z.object({ required: z.boolean(), configured: z.boolean(), type: z.string() }),
  capabilities: z.object({
    products: capabilityState,
    createMediaBuy: capabilityState,
    updateMediaBuy: capabilityState,
    signals: capabilityState,
    wholesaleProducts: capabilityState,
  }),
  productBuilder: z.object({
    mode: z.enum(['composition', 'passthrough', 'unknown']),
    wholesaleProductCount: z.number().int().nullable(),
    signalCount: z.number().int().nullable(),
    catalogCacheCold: z.boolean(),
    declaredUnsupportedIngredients: z.array(z.string()),
  }),
  compliance: sourceComplianceSchema,
  invalidProducts: z
    .array(productIssueSchema)
    .describe(
      "Products the source answered that AdCP's product schema refuses: left out of every " +
        "buyer's answer (the rest still sell) until fixed where the source keeps them. Cleared " +
        'when the product comes back valid or the source stops offering it; oldest first',
    ),
  health: z.object({
    status: z
      .enum(['healthy', 'failing', 'unknown'])
      .describe('healthy: the latest probe answered; unknown: never probed'),
    lastProbeAt: z.iso.datetime().nullable(),
    lastSuccessAt: z.iso.datetime().nullable(),
    lastError: z.object({ code: z.string(), message: z.string(), at: z.iso.datetime() }).nullable(),
    latencyMs: z.number().int().nullable(),
    lastCallError: z
      .object({ tool: z.string(), code: z.string(), message: z.string(), at: z.iso.datetime() })
      .nullable()
      .describe(
        'The last failure of a storefront-agent call to this source, with its detail (host, ' +
          'exception); buyers saw only the source id, name and code',
      ),
  }),
  debug: z.object({
    version: z.string().nullable(),
    syntheticCapabilities: z.boolean(),
    tools: z.array(z.string()),
    supportedBillings: z.array(z.string()),
    channels: z.array(z.string()),
    publisherDomains: z.array(z.string()),
    requireOperatorAuth: z.boolean(),
    creativeHasCreativeLibrary: z.boolean().nullable(),
  }),
  lastActivity: z
    .object({
      action: z.string(),
      resourceType: z.string(),
      resourceId: z.string().nullable(),
      resourceName: z.string().nullable(),
      outcome: z.string(),
      description: z.string(),
      timestamp: z.iso.datetime(),
    })
    .nullable(),
});
export type SourceDiagnostic = z.infer<typeof sourceDiagnosticSchema>;

export const setupModeSchema = z.object({
  current: z.enum(['composition', 'passthrough']),
  sources: z.array(
    z.object({ sourceId: z.string(), mode: z.enum(['composition', 'passthrough', 'unknown']) }),
  ),
  managedSalesAgents: z.array(z.string()),
  composition: z.object({ required: z.boolean(), sourceCount: z.number().int() }),
  passthrough: z.object({ sourceCount: z.number().int() }),
  unknown: z.object({ sourceCount: z.number().int() }),
  recommendation: z.enum(['composition', 'passthrough', 'mixed', 'undecided']),
  rationale: z.string(),
});

export const effectiveStatusSchema = z
  .enum(['archived', 'paused', 'blocked', 'live'])
  .describe(
    'archived, else paused (isPaused), else blocked (a blocker or not live yet), else live',
  );

export const demandCoverageSchema = z.object({
  eligibleCombinations: z.number().int(),
  coveredCombinations: z.number().int(),
  categories: z.array(z.string()),
  markets: z.array(z.string()),
  channels: z.array(z.string()),
  missingDimensions: z.array(z.enum(['category', 'market', 'channel', 'inventory'])),
  sampleBriefs: z.array(
    z.object({
      category: z.string(),
      market: z.string(),
      channel: z.string(),
      status: z.enum(['covered', 'needs_inventory']),
      rationale: z.string(),
    }),
  ),
});

export const diagnosisSchema = z.object({
  diagnosisId: z.string(),
  sourceId: z.string().nullable(),
  sourceName: z.string(),
  failureMode: z.enum([
    'source_unreachable',
    'source_degraded',
    'agent_auth_missing',
    'catalog_products_hidden',
  ]),
  owner: z.enum(['seller', 'scope3', 'vendor']),
  severity: z.enum(['blocking', 'attention', 'advisory']),
  summary: z.string(),
  detail: z.string().nullable(),
  action: z.union([
    z.object({
      kind: z.literal('recheck'),
      label: z.string(),
      operation: z.literal('refresh_esa'),
      pathParams: z.object({ esaId: z.string() }),
      method: z.literal('POST'),
      path: z.string(),
    }),
    z.object({ kind: z.literal('open'), label: z.string() }),
    z.object({ kind: z.literal('none') }),
  ]),
  docsAnchor: z.string().nullable(),
  observedAt: z.string(),
});

export const readinessSchema = z
  .object({
    platformId: z.string(),
    status: z.enum(['ready', 'blocked']),
    isPaused: z.boolean().describe('Seller intake hold: no discovery, no new buys or edits'),
    canTransact: z
      .boolean()
      .describe('Not archived, not paused, every blocker complete, and live (activated)'),
    effectiveStatus: effectiveStatusSchema,
    blockerIds: z.array(z.string()).describe('Incomplete blockers, plus activation before go-live'),
    phase: z.enum(['pass_through', 'crawl', 'walk', 'run']),
    checks: z.array(checkSchema),
    publisherDomains: z.array(publisherDomainSchema),
    demandCoverage: demandCoverageSchema,
    sourceDiagnostics: z.array(sourceDiagnosticSchema),
    diagnoses: z.array(diagnosisSchema),
    setupMode: setupModeSchema.nullable(),
  })
  .meta({ id: 'StorefrontReadiness' });
export type Readiness = z.infer<typeof readinessSchema>;
