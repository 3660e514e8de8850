import { z } from 'zod';
import { limitOffsetQuery } from '../../platform/http/pagination.js';
import { authenticationTypes, sourceTypes } from '../inventory-sources/index.js';

export const agentListQuery = z
  .object({
    type: z.enum(sourceTypes).optional(),
    status: z.enum(['PENDING', 'ACTIVE', 'DISABLED']).optional(),
    relationship: z
      .enum(['SELF', 'MARKETPLACE'])
      .optional()
      .describe('MARKETPLACE lists nothing: only the storefront’s own agents are listed'),
    name: z.string().trim().min(1).max(255).optional(),
    supportsRegistration: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: only agents whose buyers register their own credentials'),
  })
  .extend(limitOffsetQuery({ defaultLimit: 20, maxLimit: 100 }).shape)
  .strict();
export type AgentListQuery = z.infer<typeof agentListQuery>;

export const agentParams = z.object({ agentId: z.string().min(1).max(255) });

const agentStatus = z.enum(['PENDING', 'ACTIVE', 'DISABLED']);

export const agentSummarySchema = z
  .object({
    agentId: z.string(),
    type: z.enum(sourceTypes),
    name: z.string(),
    protocol: z.enum(['MCP', 'A2A']),
    status: agentStatus.describe(
      'ACTIVE when one of its sources is ACTIVE, else PENDING, else DISABLED',
    ),
    relationship: z.literal('SELF'),
    requiresOperatorAuth: z
      .boolean()
      .describe('Buyers register their own credentials (the source’s requiresCredentials)'),
    requiresAccount: z.boolean().describe('requiresOperatorAuth and you hold no account there'),
    authConfigured: z.boolean().describe('Needs no credential, or the operator’s is stored'),
    createdAt: z.iso.datetime(),
    customerAccountCount: z.number().int(),
    sourceIds: z.array(z.string()).describe('The storefront’s inventory sources on this agent'),
  })
  .meta({ id: 'StorefrontAgentSummary' });

export const agentDetailSchema = agentSummarySchema
  .extend({
    description: z.string().nullable(),
    endpointUrl: z.string(),
    authenticationType: z.enum(authenticationTypes),
    billingOptions: z
      .object({ default: z.string().nullable(), supported: z.array(z.string()) })
      .nullable(),
    customerId: z.number().int(),
    reportingType: z.null(),
    reportingPollingCadence: z.null(),
    hasCustomerAccount: z.boolean(),
    hasMasterAccount: z.boolean().describe('You hold a MARKETPLACE account there'),
    customerAccount: z
      .object({
        id: z.string(),
        accountIdentifier: z.string(),
        status: z.string(),
        registeredBy: z.string().nullable(),
        createdAt: z.iso.datetime(),
      })
      .optional(),
    oauth: z.null().describe('Operator-held OAuth tokens are not supported'),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'StorefrontAgent' });

export const refreshedCapabilitiesSchema = z.object({
  version: z.string().describe('AdCP version(s) the agent reported; empty when it did not say'),
  protocols: z.array(z.string()),
  tools: z.array(z.string()),
  requireOperatorAuth: z.boolean(),
  defaultBilling: z.string().nullable(),
  supportedBillings: z.array(z.string()),
});

export type AgentSummary = z.infer<typeof agentSummarySchema>;
export type AgentDetail = z.infer<typeof agentDetailSchema>;
