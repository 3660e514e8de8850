import { z } from 'zod';

/** Hosted's CatalogMappingReadiness, closed, with the values a modular source here answers. */
const action = z.object({
  operation: z.enum(['open_modular_avails_commit', 'get_modular_inventory_source_readiness']),
  arguments: z.object({ sourceId: z.string() }),
});

const row = z.object({
  id: z.string(),
  title: z.string(),
  requirement: z.enum(['REQUIRED', 'RECOMMENDED', 'NOT_APPLICABLE']),
  status: z
    .enum(['NOT_STARTED', 'IN_PROGRESS', 'READY', 'NEEDS_ATTENTION', 'BLOCKED'])
    .nullable()
    .describe('Null means unknown'),
  evidence: z.array(
    z.object({
      code: z.string(),
      summary: z.string(),
      value: z.union([z.string(), z.number(), z.boolean()]).optional(),
      observedAt: z.string().nullable(),
    }),
  ),
  freshness: z.object({
    state: z.enum(['FRESH', 'STALE', 'UNAVAILABLE']),
    observedAt: z.string().nullable(),
  }),
  sourceOfTruth: z.enum(['INVENTORY_SOURCE', 'INVENTORY_FEED', 'PRODUCT_CATALOG', 'SOURCE_PROOF']),
  action: action.nullable(),
  externalOwner: z.enum(['PUBLISHER', 'SCOPE3', 'VENDOR']).nullable(),
  diagnostics: z.array(z.object({ code: z.string(), message: z.string() })),
});

export const catalogMappingReadinessSchema = z
  .object({
    sections: z.array(
      z.object({
        id: z.enum(['SET_UP_INVENTORY', 'MAKE_IT_MERCHANDISABLE', 'PROVE_IT']),
        title: z.enum(['Set up inventory', 'Make it merchandisable', 'Prove it']),
        rows: z.array(row),
      }),
    ),
    progress: z.object({
      ready: z.number().int(),
      applicable: z.number().int(),
      percent: z.number().int(),
    }),
    nextAction: action.nullable().describe('The first applicable row not READY: its action'),
  })
  .describe(
    "The source's set-up checklist in hosted's three sections, each row read from what the source holds",
  );
