import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import Fastify from 'fastify';
import { z } from 'zod';
import { serveMcpPost } from '../src/platform/mcp/serve.js';
import { createServerPool } from '../src/platform/mcp/server-pool.js';

/**
 * The ceiling of bench/feed-mirror.ts's side (b): a storefront answering from its mirrors at no
 * cost at all. An MCP server on our serving path (pooled official McpServer, stateless
 * Streamable HTTP, JSON answers) whose get_products answers, as it stands, the very result the
 * storefront answered the same brief (`answer(result)` before each window), with no
 * authentication, composition, ranking or statement. No storefront can beat it over MCP: the
 * answer is serialized and the buyer parses it all the same. (c)/(a) is the most any mirror
 * can gain over the buyer's own fan-out against these sources; (b)/(c) what the storefront's own
 * work leaves of it.
 */
export async function startCeiling() {
  let result: CallToolResult = { content: [] };
  const pool = createServerPool(() => {
    const server = new McpServer({ name: 'ceiling', version: '1.0.0' });
    server.registerTool(
      'get_products',
      {
        description: 'Answers the storefront’s answer',
        inputSchema: {
          buying_mode: z.string().optional(),
          brief: z.string().optional(),
          brand: z.object({ domain: z.string() }).optional(),
        },
      },
      async () => result,
    );
    return server;
  }, 8);
  const app = Fastify();
  app.post('/mcp', (request, reply) =>
    serveMcpPost(pool, request, reply, { token: 'ceiling', clientId: 'ceiling', scopes: [] }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/mcp`,
    answer: (next: CallToolResult) => {
      result = next;
    },
    close: () => app.close(),
  };
}
