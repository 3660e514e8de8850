import { isoDate } from '../../../platform/formats.js';
import type { ActivationView } from './schemas.js';
import type { ActivationRow } from './activation-store.js';

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
