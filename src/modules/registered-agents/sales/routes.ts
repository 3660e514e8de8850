import { pageOf, pageSchema } from '../../../platform/http/pagination.js';
import { defineRoute } from '../../../platform/http/route.js';
import {
  createSalesAgentBody,
  salesAgentListQuery,
  salesAgentParams,
  salesAgentSchema,
  updateSalesAgentBody,
} from './schemas.js';
import type { SalesAgentsService } from './service.js';

const tags = ['Sales Agents'];
const base = '/api/v2/buyer/sales-agents';

/** A buyer's remote AdCP sales agents; another customer's answer 404. */
export function salesAgentRoutes(agents: SalesAgentsService) {
  return [
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listSalesAgents',
      summary: 'List the remote AdCP sales agents you registered (oldest first)',
      tags,
      auth: 'customer',
      query: salesAgentListQuery,
      response: pageSchema(salesAgentSchema),
      handler: async ({ principal, query }) => {
        const { items, total } = await agents.list(principal, query);
        return pageOf(items, total, query);
      },
    }),
    defineRoute({
      method: 'POST',
      url: base,
      operationId: 'createSalesAgent',
      summary: 'Register a remote AdCP sales agent by URL (MCP or A2A, bearer token or none)',
      description:
        'Discovery asks it (as salesAgentId remote-{id}) beside the storefront agents, and campaigns ' +
        'book its products with it. The token is stored encrypted and never returned. The agent is ' +
        'probed at once (get_adcp_capabilities); one that does not answer is kept with health ' +
        'failing. Private, loopback and metadata addresses are refused unless the operator allows ' +
        'them. A sponsored buyer cannot register agents (403).',
      tags,
      auth: 'customer',
      status: 201,
      body: createSalesAgentBody,
      response: salesAgentSchema,
      handler: ({ principal, body }) => agents.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/:salesAgentId`,
      operationId: 'getSalesAgent',
      summary: 'One of your remote sales agents, with its probed capabilities and health',
      tags,
      auth: 'customer',
      params: salesAgentParams,
      response: salesAgentSchema,
      handler: ({ principal, params }) => agents.get(principal, params.salesAgentId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/:salesAgentId`,
      operationId: 'updateSalesAgent',
      summary:
        'Change a remote sales agent (any subset of fields; status DISABLED stops asking it)',
      description:
        'A new endpoint, protocol or credential is probed again. auth null (or {}) removes the ' +
        'token; omitted, the stored token stays.',
      tags,
      auth: 'customer',
      params: salesAgentParams,
      body: updateSalesAgentBody,
      response: salesAgentSchema,
      handler: ({ principal, params, body }) => agents.update(principal, params.salesAgentId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/:salesAgentId`,
      operationId: 'deleteSalesAgent',
      summary: 'Remove a remote sales agent (its media buys stay; it is no longer reached)',
      tags,
      auth: 'customer',
      params: salesAgentParams,
      response: salesAgentSchema,
      handler: ({ principal, params }) => agents.remove(principal, params.salesAgentId),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/:salesAgentId/capabilities/refresh`,
      operationId: 'refreshSalesAgentCapabilities',
      summary: 'Probe a remote sales agent again now (get_adcp_capabilities)',
      tags,
      auth: 'customer',
      params: salesAgentParams,
      response: salesAgentSchema,
      handler: ({ principal, params }) => agents.refresh(principal, params.salesAgentId),
    }),
  ];
}
