import { isoDate } from '../../platform/formats.js';
import { healthOf } from '../inventory-sources/index.js';
import type { SalesAgentView } from './schemas.js';
import { remoteAgentIdOf } from './agent-id.js';
import type { SalesAgentRow } from './store.js';

/** The one mapping from an agent row to the wire shape; the sealed token never leaves. */
export function salesAgentView(row: SalesAgentRow): SalesAgentView {
  return {
    agentId: remoteAgentIdOf(row.id),
    type: 'SALES',
    name: row.name,
    description: row.description,
    endpointUrl: row.endpointUrl,
    protocol: row.protocol,
    authenticationType: row.authenticationType,
    authConfigured: row.authSealed !== null,
    accountIdentifier: row.accountIdentifier,
    status: row.status,
    relationship: 'SELF',
    capabilities: row.capabilities ? { countries: [], ...row.capabilities } : null,
    health: healthOf(row),
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}
