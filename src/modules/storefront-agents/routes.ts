import { z } from 'zod';
import { pageOf, pageSchema } from '../../platform/http/pagination.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  agentDetailSchema,
  agentListQuery,
  agentParams,
  agentSummarySchema,
  refreshedCapabilitiesSchema,
} from './schemas.js';
import type { StorefrontAgentsService } from './service.js';

const tags = ['Storefront agents'];
const base = '/api/v2/storefront/agents';

/** Hosted /storefront/agents: the storefront's inventory sources seen as AdCP agents. */
export function storefrontAgentRoutes(agents: StorefrontAgentsService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'storefront.agents.list',
      summary: "List the agents behind this storefront's inventory sources",
      tags,
      auth: 'seller',
      query: agentListQuery,
      response: pageSchema(agentSummarySchema),
      handler: async ({ principal, query }) => {
        const { items, total } = await agents.list(principal, query);
        return pageOf(items, total, query);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:agentId`,
      operationId: 'storefront.agents.get',
      summary: 'One agent: its sources, authentication, billing options and your account there',
      tags,
      auth: 'seller',
      params: agentParams,
      response: agentDetailSchema,
      handler: ({ principal, params }) => agents.get(principal, params.agentId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:agentId/capabilities/refresh`,
      operationId: 'storefront.agents.refreshCapabilities',
      summary: "Re-probe the agent's get_adcp_capabilities and answer what it reported",
      description:
        'Every inventory source of this storefront on the agent is probed again (recorded in its ' +
        'health and the audit log). 503 AGENT_UNAVAILABLE when the agent did not answer.',
      tags,
      auth: 'seller',
      params: agentParams,
      response: refreshedCapabilitiesSchema,
      handler: ({ principal, params }) => agents.refreshCapabilities(principal, params.agentId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:agentId/oauth/authorize`,
      operationId: 'storefront.agents.startOperatorOAuth',
      summary: 'Agent-level (operator) OAuth: not supported; buyers connect their own accounts',
      description:
        'Always 400 OPERATOR_OAUTH_UNSUPPORTED for an agent of this storefront (404 otherwise): ' +
        'use accounts/oauth/authorize, where each buyer consents for its own account.',
      tags,
      auth: 'seller',
      params: agentParams,
      body: z
        .object({ redirectUri: z.string().max(2048).optional() })
        .strict()
        .optional(),
      response: z.object({
        authorizationUrl: z.string(),
        agentId: z.string(),
        agentName: z.string(),
      }),
      handler: ({ principal, params }) => agents.startOperatorOAuth(principal, params.agentId),
    }),
  ];
}
