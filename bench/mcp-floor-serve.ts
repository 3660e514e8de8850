import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import Fastify from 'fastify';
import { z } from 'zod';
import { serveMcpPost } from '../src/platform/mcp/serve.js';
import { createServerPool } from '../src/platform/mcp/server-pool.js';

/**
 * The floor under api_call, for bench/mcp-api-call.ts: the same answer text (the file named by
 * FLOOR_ANSWER_FILE) served (a) by a plain Fastify route and (b) by an MCP tool that does
 * nothing else, over the same serving path as ours (pooled official McpServer, stateless
 * Streamable HTTP, JSON answers). (b) minus (a) is what the MCP SDK costs to carry the answer,
 * with no route, authentication or dispatch of ours in it. Prints {"port"} once listening;
 * exits when stdin closes.
 */
const answer = readFileSync(process.env.FLOOR_ANSWER_FILE ?? '', 'utf8');
const app = Fastify();
app.get('/plain', async (_request, reply) =>
  reply.type('application/json; charset=utf-8').send(answer),
);
// The same input schema as api_call's, so the SDK validates as much.
const pool = createServerPool(() => {
  const server = new McpServer({ name: 'floor', version: '1.0.0' });
  server.registerTool(
    'api_call',
    {
      description: 'Answers the fixed text',
      inputSchema: {
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
        path: z.string(),
        query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      },
    },
    async () => ({ content: [{ type: 'text', text: answer }], _meta: { status: 200 } }),
  );
  return server;
}, 8);
app.post('/mcp', (request, reply) =>
  serveMcpPost(pool, request, reply, { token: 'floor', clientId: 'floor', scopes: [] }),
);
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
