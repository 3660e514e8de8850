import { isoDate, isoDateOrNull } from '../../platform/formats.js';
import type { SourceView } from './schemas.js';
import { isDraft, type StoredSourceRow } from './store.js';
import { agentDescriptor, providerDescriptor } from '../../source-kinds/descriptors.js';

/**
 * The executionType of a wired provider adapter's source. provider-adapters makes those rows and
 * depends on this module, so the value is declared here, once, and used there.
 */
export const providerAdapterExecutionType = providerDescriptor.executionType;

/** The one mapping from a source row to the wire shape; the sealed credential never leaves. */
export function sourceView(
  row: StoredSourceRow,
  storefrontType: 'composition' | 'passthrough',
): SourceView {
  return {
    id: String(row.id),
    sourceId: row.sourceId,
    storefrontId: row.storefrontId,
    name: row.name,
    description: row.description,
    executionType: row.executionType,
    type: row.type as SourceView['type'],
    status: row.status,
    role: storefrontType === 'passthrough' ? 'upstream' : 'ingredient',
    agentId: row.agentId,
    endpointUrl: row.endpointUrl,
    draft: isDraft(row),
    // Hosted: the protocol is an agent's; null for the kinds Interchange serves itself.
    protocol: row.executionType === agentDescriptor.executionType ? row.protocol : null,
    authenticationType: row.authenticationType,
    authConfigured: row.authSealed !== null,
    requiresCredentials: row.requiresCredentials,
    // Hosted: routed through an official provider adapter (ours: a wired provider adapter).
    isAdapterSource: row.executionType === providerAdapterExecutionType,
    reportingType: null,
    reportingPollingCadence: null,
    capabilities: row.capabilities,
    health: healthOf(row),
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

/** Probe health of anything probed like a source (a buyer's remote sales agents too). */
export function healthOf(
  row: Pick<StoredSourceRow, 'lastProbeAt' | 'lastSuccessAt' | 'lastError' | 'lastLatencyMs'>,
): SourceView['health'] {
  const failing =
    row.lastError !== null &&
    (row.lastSuccessAt === null || new Date(row.lastError.at) >= row.lastSuccessAt);
  return {
    status: row.lastProbeAt === null ? 'unknown' : failing ? 'failing' : 'healthy',
    lastProbeAt: isoDateOrNull(row.lastProbeAt),
    lastSuccessAt: isoDateOrNull(row.lastSuccessAt),
    lastError: row.lastError ?? null,
    latencyMs: row.lastLatencyMs,
  };
}
