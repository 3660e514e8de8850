import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { serveMcpPost } from '../src/platform/mcp/serve.js';
import { createServerPool } from '../src/platform/mcp/server-pool.js';

/**
 * The server of bench/mcp-transport.ts: one MCP tool answering `products` (argv) product-sized
 * objects, served over stateless Streamable HTTP with JSON answers on pooled official
 * McpServers, (a) at /node through serveMcpPost (src/platform/mcp/serve.ts: the SDK's Node
 * wrapper, `StreamableHTTPServerTransport`, over hono's adapter) and (b) at /web through the
 * SDK's `WebStandardStreamableHTTPServerTransport` driven directly: a web Request built from the
 * headers (the body already parsed) and the JSON answer written in one `end()` with its length.
 * Prints {"port"} once listening; exits when stdin closes.
 */
const count = Number(process.argv[2] ?? 30);
const products = Array.from({ length: count }, (_, i) => ({
  product_id: `product-${i}`,
  name: `Product ${i}`,
  description: 'A product of the benchmark, about the size of a demo catalogue entry.',
  publisher_properties: [{ publisher_domain: 'bench.example', selection_type: 'all' }],
  format_ids: [{ agent_url: 'https://creative.bench.example', id: 'display_300x250' }],
  delivery_type: 'non_guaranteed',
  pricing_options: [
    { pricing_option_id: 'cpm', pricing_model: 'cpm', currency: 'USD', floor_price: 4.5 },
  ],
}));
const pool = createServerPool(() => {
  const server = new McpServer({ name: 'transport-bench', version: '1.0.0' });
  server.registerTool('get_products', { description: 'Fixed products' }, async () => ({
    content: [{ type: 'text', text: `Found ${count} products` }],
    structuredContent: { products },
  }));
  return server;
}, 8);
const auth = { token: 'bench', clientId: 'bench', scopes: [] };
const app = Fastify();
app.post('/node', (request, reply) => serveMcpPost(pool, request, reply, auth));
app.post('/web', async (request, reply) => {
  reply.hijack();
  await pool.use(async (server) => {
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(webRequestOf(request), {
        parsedBody: request.body,
        authInfo: auth,
      });
      await writeOnce(response, reply);
    } finally {
      await server.close();
    }
  });
});

function webRequestOf(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const url = `http://${request.headers.host ?? 'localhost'}${request.url}`;
  return new Request(url, { method: 'POST', headers });
}

async function writeOnce(response: Response, reply: FastifyReply): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  reply.raw.writeHead(response.status, headers);
  reply.raw.end(body);
}
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
