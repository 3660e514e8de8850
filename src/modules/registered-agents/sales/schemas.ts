import { z } from 'zod';
import {
  agentListQuery,
  agentSchema,
  createAgentBody,
  updateAgentBody,
  type AgentView,
} from '../registry/agent-schemas.js';

export const createSalesAgentBody = createAgentBody();
export const updateSalesAgentBody = updateAgentBody();

export const salesAgentParams = z.object({
  salesAgentId: z
    .string()
    .regex(/^(remote-)?[1-9][0-9]{0,15}$/, 'must be a remote agent id, e.g. remote-12'),
});

export const salesAgentListQuery = agentListQuery();

export const salesAgentSchema = agentSchema({
  type: 'SALES',
  agentIdDescription: 'remote-{id}: the salesAgentId discovery and media buys name',
  relationshipDescription: 'Registered by you, outside the marketplace',
  id: 'RemoteSalesAgent',
});
export type SalesAgentView = AgentView<'SALES'>;
