import { z } from 'zod';
import { limitOffsetQuery } from '../../platform/http/pagination.js';
import {
  agentAuthInput as authInput,
  agentEndpointUrl as endpointUrl,
  agentProtocol as protocol,
} from '../../upstream/agent-registration-schemas.js';
import { capabilitiesSchema, healthSchema } from '../inventory-sources/index.js';

export const remoteAuthenticationTypes = ['NO_AUTH', 'API_KEY'] as const;
export type RemoteAuthenticationType = (typeof remoteAuthenticationTypes)[number];

export const createSalesAgentBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(2000).optional(),
    /** The agent's MCP endpoint, or its A2A base (or agent card) URL. */
    endpointUrl: endpointUrl.optional(),
    /** Accepted for endpointUrl. */
    agentUrl: endpointUrl.optional(),
    protocol: protocol.default('MCP'),
    /** Omitted: API_KEY when auth carries a token, else NO_AUTH. */
    authenticationType: z.enum(remoteAuthenticationTypes).optional(),
    auth: authInput.optional(),
    /** The account the seller issued you (AdCP account_id), when it issued one. */
    accountIdentifier: z.string().trim().min(1).max(255).optional(),
  })
  .strict();
export type CreateSalesAgentInput = z.infer<typeof createSalesAgentBody>;

export const updateSalesAgentBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(2000).nullable(),
    endpointUrl,
    agentUrl: endpointUrl,
    protocol,
    authenticationType: z.enum(remoteAuthenticationTypes),
    auth: authInput,
    accountIdentifier: z.string().trim().min(1).max(255).nullable(),
    /** DISABLED: kept, but no longer asked in discovery nor booked. */
    status: z.enum(['ACTIVE', 'DISABLED']),
  })
  .partial()
  .strict();
export type UpdateSalesAgentInput = z.infer<typeof updateSalesAgentBody>;

export const salesAgentParams = z.object({
  salesAgentId: z
    .string()
    .regex(/^(remote-)?[1-9][0-9]{0,15}$/, 'must be a remote agent id, e.g. remote-12'),
});

export const salesAgentListQuery = limitOffsetQuery({ defaultLimit: 20, maxLimit: 100 });
export type SalesAgentListQuery = z.infer<typeof salesAgentListQuery>;

export const salesAgentSchema = z
  .object({
    agentId: z.string().describe('remote-{id}: the salesAgentId discovery and media buys name'),
    type: z.literal('SALES'),
    name: z.string(),
    description: z.string().nullable(),
    endpointUrl: z.string(),
    protocol: z.enum(['MCP', 'A2A']),
    authenticationType: z.enum(remoteAuthenticationTypes),
    authConfigured: z.boolean().describe('A credential is stored (it is never returned)'),
    accountIdentifier: z.string().nullable(),
    status: z.enum(['ACTIVE', 'DISABLED']),
    relationship: z.literal('SELF').describe('Registered by you, outside the marketplace'),
    capabilities: capabilitiesSchema.nullable(),
    health: healthSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'RemoteSalesAgent' });
export type SalesAgentView = z.infer<typeof salesAgentSchema>;
