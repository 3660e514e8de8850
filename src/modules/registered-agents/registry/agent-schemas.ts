import { z } from 'zod';
import { limitOffsetQuery } from '../../../platform/http/pagination.js';
import {
  agentAuthInput as authInput,
  agentEndpointUrl as endpointUrl,
  agentProtocol as protocol,
} from '../../../upstream/agent-registration-schemas.js';
import { capabilitiesSchema, healthSchema } from '../../inventory-sources/index.js';

/**
 * The wire shapes every kind of registered agent shares. Each is built anew per kind (a function,
 * not one shared object), so each kind's routes own their schemas as before.
 */
export const authenticationTypes = ['NO_AUTH', 'API_KEY'] as const;

/** Registering an agent by URL. */
export const createAgentBody = () =>
  z
    .object({
      name: z.string().trim().min(1).max(255),
      description: z.string().max(2000).optional(),
      /** The agent's MCP endpoint, or its A2A base (or agent card) URL. */
      endpointUrl: endpointUrl.optional(),
      /** Accepted for endpointUrl. */
      agentUrl: endpointUrl.optional(),
      protocol: protocol.default('MCP'),
      /** Omitted: API_KEY when auth carries a token, else NO_AUTH. */
      authenticationType: z.enum(authenticationTypes).optional(),
      auth: authInput.optional(),
      /** The account the agent issued you (AdCP account_id), when it issued one. */
      accountIdentifier: z.string().trim().min(1).max(255).optional(),
    })
    .strict();
export type CreateAgentInput = z.infer<ReturnType<typeof createAgentBody>>;

/** Changing an agent: any subset of its fields. */
export const updateAgentBody = () =>
  z
    .object({
      name: z.string().trim().min(1).max(255),
      description: z.string().max(2000).nullable(),
      endpointUrl,
      agentUrl: endpointUrl,
      protocol,
      authenticationType: z.enum(authenticationTypes),
      auth: authInput,
      accountIdentifier: z.string().trim().min(1).max(255).nullable(),
      /** DISABLED: kept, but no longer asked. */
      status: z.enum(['ACTIVE', 'DISABLED']),
    })
    .partial()
    .strict();
export type UpdateAgentInput = z.infer<ReturnType<typeof updateAgentBody>>;

export const agentListQuery = () => limitOffsetQuery({ defaultLimit: 20, maxLimit: 100 });

/** A registered agent as answered: its sealed token never leaves, only whether one is stored. */
export function agentSchema<T extends string>(kind: {
  type: T;
  agentIdDescription: string;
  relationshipDescription: string;
  id: string;
}) {
  return z
    .object({
      agentId: z.string().describe(kind.agentIdDescription),
      type: z.literal(kind.type),
      name: z.string(),
      description: z.string().nullable(),
      endpointUrl: z.string(),
      protocol: z.enum(['MCP', 'A2A']),
      authenticationType: z.enum(authenticationTypes),
      authConfigured: z.boolean().describe('A credential is stored (it is never returned)'),
      accountIdentifier: z.string().nullable(),
      status: z.enum(['ACTIVE', 'DISABLED']),
      relationship: z.literal('SELF').describe(kind.relationshipDescription),
      capabilities: capabilitiesSchema.nullable(),
      health: healthSchema,
      createdAt: z.iso.datetime(),
      updatedAt: z.iso.datetime(),
    })
    .meta({ id: kind.id });
}
export type AgentView<T extends string> = z.infer<ReturnType<typeof agentSchema<T>>>;
