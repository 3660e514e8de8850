import { z } from 'zod';
import { inventoryRunFields } from './sync/run-schema.js';

/*
 * The answers of the hosted ad-server source routes (storefront OpenAPI: EsaConnection,
 * EsaTestConnectionResponse, EsaTenantStatus, EsaSyncHistoryResponse, EsaRefreshResult); the
 * bodies the seller sends are in schemas.ts.
 */

const iso = z.string();

export const connectionSchema = z.object({
  id: z.string(),
  sourceId: z.string().describe('Interchange addition'),
  customerId: z.number().int(),
  provisioningStatus: z.enum(['pending', 'provisioning', 'active', 'failed', 'deactivated']),
  tenantId: z.string().nullable(),
  mcpUrl: z.string().nullable(),
  a2aUrl: z.string().nullable(),
  adServer: z
    .object({ type: z.string() })
    .catchall(z.unknown())
    .nullable()
    .describe('The non-secret ad-server config (hosted AdServerConfigView of its type)'),
  serviceAccountEmail: z.string().nullable(),
  authConfigured: z.boolean(),
  lastError: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  lastTestedAt: iso.nullable(),
  provisionedAt: iso.nullable(),
  deactivatedAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
  inventorySync: z
    .object({
      status: z.string(),
      lastRunAt: iso.nullable(),
      completedAt: iso.nullable(),
      itemCount: z.number().int().nullable(),
      error: z.string().nullable(),
      updatedAt: iso.nullable(),
    })
    .nullable(),
});

const capabilityCheck = z.object({
  capability: z.string(),
  status: z.string(),
  message: z.string().nullable().optional(),
  errorCode: z.string().nullable().optional(),
  remediation: z.string().nullable().optional(),
  details: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const testConnectionSchema = z.object({
  success: z.boolean(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  remediation: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  capabilityChecks: z.array(capabilityCheck),
  testedAt: iso,
});

export const syncRunSchema = z.object({
  syncId: z.string(),
  syncType: z.string(),
  startedAt: iso,
  completedAt: iso.nullable(),
  status: z.string(),
  durationSeconds: z.number().int().nullable(),
  itemsProcessed: z.number().int(),
  itemsFailed: z.number().int(),
  errorSummary: z.string().nullable(),
  errorCategory: z.string().nullable(),
  ...inventoryRunFields,
});

export const syncHistoryQuery = z.object({
  syncType: z.string().max(64).optional(),
  status: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(64).optional(),
});

export const syncHistorySchema = z.object({
  runs: z.array(syncRunSchema),
  count: z.number().int(),
  nextCursor: z.string().nullable(),
});

export const refreshSchema = z.object({
  status: z.enum(['started', 'already_running']),
  syncRunIds: z.record(z.string(), z.string()),
  startedAt: iso.nullable(),
  runningSyncTypes: z.array(z.string()),
});

const syncBlock = z.object({
  status: z.string(),
  severity: z.string(),
  lastSuccessAt: iso.nullable(),
  issue: z
    .object({ code: z.string(), category: z.string(), message: z.string(), retryable: z.boolean() })
    .nullable(),
  lastRunAt: iso.nullable(),
  lastStartedAt: iso.nullable(),
  itemCount: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const statusQuery = z.object({
  includeSyncHistory: z.coerce.boolean().optional(),
  syncHistoryLimit: z.coerce.number().int().min(1).max(10).default(5),
});

export const statusSchema = z.object({
  operational: z.object({
    isLive: z.boolean(),
    discoveryDegraded: z.boolean(),
    deliveryDegraded: z.boolean(),
    summary: z.string(),
    issues: z.array(
      z.object({
        code: z.string(),
        severity: z.string(),
        message: z.string(),
        affects: z.array(z.string()),
      }),
    ),
  }),
  adapter: z.object({
    type: z.string(),
    connected: z.boolean(),
    lastTestedAt: iso.nullable(),
    lastTestError: z.string().nullable(),
  }),
  syncs: z.object({ inventory: syncBlock, customTargeting: syncBlock, advertisers: syncBlock }),
  workflows: z.object({
    openCount: z.number().int(),
    oldestOpenedAt: iso.nullable(),
    byKind: z.record(z.string(), z.number().int()),
  }),
  packages: z.object({
    activeCount: z.number().int(),
    pausedCount: z.number().int(),
    last24hImpressions: z.number().int(),
  }),
  products: z.object({
    activeCount: z.number().int(),
    draftCount: z.number().int(),
    archivedCount: z.number().int(),
  }),
  delivery: z
    .object({
      lastImportStatus: z
        .string()
        .nullable()
        .describe(
          'completed, partial (a page bound was hit: rows past it were not imported; or rows the report answered could not be read and were left out) or failed',
        ),
      lastImportAt: iso.nullable(),
      ageSeconds: z.number().int().nullable(),
    })
    .describe('Interchange addition: the last delivery report import, its outcome and its age'),
  syncHistory: z.array(syncRunSchema).optional(),
  fetchedAt: iso,
});

export const importSchema = z.object({
  rows: z.number().int(),
  importedAt: iso,
  partial: z
    .boolean()
    .describe(
      'True when the report did not end within the page bound (rows past it were not imported) or some of its rows could not be read and were left out (sync-history says which)',
    ),
});
