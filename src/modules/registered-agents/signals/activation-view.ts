import { isoDate } from '../../platform/formats.js';
import { healthOf } from '../inventory-sources/index.js';
import { buyerSignalAgentIdOf } from './agent-id.js';
import type { ActivationView, SignalAgentView } from './schemas.js';
import type { ActivationRow, SignalAgentRow } from './store.js';

/** The one mapping from an agent row to the wire shape; the sealed token never leaves. */
export function signalAgentView(row: SignalAgentRow): SignalAgentView {
  return {
    agentId: buyerSignalAgentIdOf(row.id),
    type: 'SIGNAL',
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

export function activationView(row: ActivationRow): ActivationView {
  return {
    activationId: row.id,
    campaignId: row.campaignId,
    agentId: row.agentId,
    signalAgentSegmentId: row.signalAgentSegmentId,
    pricingOptionId: row.pricingOptionId,
    status: row.status,
    destinations: row.destinations,
    deployments: row.deployments,
    error: row.lastError ?? null,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}
