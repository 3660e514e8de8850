import type { A2AAgentCardOverrides, AdcpLogger, AdcpServer } from '@adcp/sdk/server';
import type { FastifyInstance } from 'fastify';
import { agentCardPaths, createAgentA2a, type AgentA2a } from '../../agents/hosting/a2a.js';
import { bearerOf } from '../../platform/http/auth/api-key.js';
import { runExpressStyle } from '../../agents/hosting/express-bridge.js';
import { authInfoOf } from './auth.js';
import { demoAgentName, demoAgentVersion } from './server.js';

export type DemoA2a = AgentA2a;

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
  return createAgentA2a({
    server: options.server,
    card,
    logger: options.logger,
    // Unauthenticated requests were already refused with 401 when a token is required.
    ...(options.secured && {
      authenticate: async (req) => authInfoOf(bearerOf(req.headers.authorization)) ?? null,
    }),
  });
}
