import type { DecisioningAdcpServer } from '@adcp/sdk/server';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { FastifyInstance } from 'fastify';
import { bearerOf } from '../../platform/http/auth/api-key.js';
import { mcpMethodNotAllowed, serveMcpPost } from '../../platform/mcp/serve.js';
import type { ServerPool } from '../../platform/mcp/server-pool.js';

/** MCP over stateless Streamable HTTP at `/mcp`: POST answers, GET and DELETE 405. */
export function registerMcpRoute(
  scope: FastifyInstance,
  options: {
    pool: () => Promise<ServerPool<DecisioningAdcpServer>>;
    authInfoOf: (token: string | undefined) => AuthInfo | undefined;
  },
): void {
  scope.post('/mcp', async (request, reply) => {
    const auth = options.authInfoOf(bearerOf(request.headers.authorization));
    await serveMcpPost(await options.pool(), request, reply, auth);
  });
  scope.get('/mcp', mcpMethodNotAllowed);
  scope.delete('/mcp', mcpMethodNotAllowed);
}
