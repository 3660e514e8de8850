import type { AgentCard } from '@a2a-js/sdk';
import {
  createA2AAdapter,
  type A2AAgentCardOverrides,
  type AdcpLogger,
  type AdcpServer,
} from '@adcp/sdk/server';
import type { FastifyInstance } from 'fastify';
import { authInfoOf, bearerOf } from './auth.js';
import { runExpressStyle, type ExpressStyleHandler } from './express-bridge.js';
import { demoAgentName, demoAgentVersion } from './server.js';

type AgentSkill = NonNullable<A2AAgentCardOverrides['skills']>[number];

/** Where the A2A agent card is served, relative to the A2A endpoint. */
export const agentCardPaths = ['/.well-known/agent-card.json', '/.well-known/agent.json'];

export interface DemoA2a {
  agentCard: AgentCard;
  jsonRpcHandler: ExpressStyleHandler;
}

/**
 * A2A routes: JSON-RPC at `/a2a` (@adcp/sdk's Express handler, bridged) and the agent card
 * under `/a2a/.well-known/`, the places A2A and AdCP clients look for it.
 */
export function registerA2aRoutes(scope: FastifyInstance, a2a: () => Promise<DemoA2a>): void {
  for (const path of agentCardPaths) {
    scope.get(`/a2a${path}`, async () => (await a2a()).agentCard);
  }
  scope.post('/a2a', async (request, reply) =>
    runExpressStyle((await a2a()).jsonRpcHandler, request, reply),
  );
}

/** The demo seller over A2A through @adcp/sdk's adapter. */
export async function createDemoA2a(options: {
  server: AdcpServer;
  a2aUrl: string;
  organizationUrl: string;
  secured: boolean;
  logger: AdcpLogger;
}): Promise<DemoA2a> {
  const card: A2AAgentCardOverrides = {
    name: demoAgentName,
    description:
      'Built-in demo AdCP sales agent: display, online video, CTV and audio inventory on ' +
      'demo-publisher.example.',
    url: options.a2aUrl,
    version: demoAgentVersion,
    provider: { organization: 'Interchange', url: options.organizationUrl },
    ...(options.secured && {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      security: [{ bearer: [] }],
    }),
  };
  const { server, logger } = options;
  // @adcp/sdk leaves get_adcp_capabilities out of the skills it derives, and AdCP clients
  // then treat the agent as protocol v2; so derive them once, then declare them with it.
  const derived = await createA2AAdapter({ server, agentCard: card, logger }).getAgentCard();
  const adapter = createA2AAdapter({
    server,
    logger,
    agentCard: { ...card, skills: withCapabilitiesSkill(derived.skills) },
    // Unauthenticated requests were already refused with 401 when a token is required.
    ...(options.secured && {
      authenticate: async (req) => authInfoOf(bearerOf(req.headers.authorization)) ?? null,
    }),
  });
  return {
    agentCard: await adapter.getAgentCard(),
    jsonRpcHandler: adapter.jsonRpcHandler as ExpressStyleHandler,
  };
}

function withCapabilitiesSkill(skills: AgentSkill[]): AgentSkill[] {
  // Protocol plumbing such as `tasks/get` is not an AdCP skill.
  const tools = skills.filter((skill) => !skill.id.includes('/'));
  if (tools.some((skill) => skill.id === 'get_adcp_capabilities')) return tools;
  return [
    ...tools,
    {
      id: 'get_adcp_capabilities',
      name: 'get_adcp_capabilities',
      description:
        'AdCP capability discovery: protocols, channels, publisher domains and pricing models.',
      tags: ['adcp'],
    },
  ];
}
