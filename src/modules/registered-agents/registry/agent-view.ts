import { isoDate } from '../../../platform/formats.js';
import { healthOf } from '../../inventory-sources/index.js';
import type { AgentView } from './agent-schemas.js';
import type { AgentRow } from './agent-store.js';

/** The one mapping from an agent row to the wire shape; the sealed token never leaves. */
export function agentView<T extends string>(
  row: AgentRow,
  kind: { agentId: string; type: T },
): AgentView<T> {
  return {
    agentId: kind.agentId,
    type: kind.type,
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
