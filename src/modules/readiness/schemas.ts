import { z } from 'zod';

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
});
export type ReadinessCheck = z.infer<typeof checkSchema>;

export const sourceDiagnosticSchema = z.object({
  id: z.string().nullable(),
  sourceId: z.string().nullable(),
  name: z.string(),
  executionType: z.string(),
  sourceStatus: z.enum(['PENDING', 'ACTIVE', 'DISABLED']),
  agentId: z.string(),
  agentStatus: z.enum(['healthy', 'failing', 'unknown']),
  endpointUrl: z.string(),
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
  compliance: z.object({
    passed: z.boolean().nullable(),
    summary: z.string(),
    checkedAt: z.iso.datetime().nullable(),
    trackCounts: z.object({
      total: z.number().int(),
      passing: z.number().int(),
      partial: z.number().int(),
      failing: z.number().int(),
    }),
  }),
  health: z.object({
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

export const readinessSchema = z
  .object({
    platformId: z.string(),
    status: z.enum(['ready', 'blocked']),
    checks: z.array(checkSchema),
    sourceDiagnostics: z.array(sourceDiagnosticSchema),
    setupMode: setupModeSchema.nullable(),
  })
  .meta({ id: 'StorefrontReadiness' });
export type Readiness = z.infer<typeof readinessSchema>;
