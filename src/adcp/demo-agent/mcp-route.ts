import type { IncomingMessage } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { bearerOf } from './auth.js';
import type { ServerPool } from './server-pool.js';

/**
 * MCP over stateless Streamable HTTP: every POST gets a fresh transport on a pooled server and
 * a JSON (not SSE) answer. GET and DELETE answer 405, which MCP clients read as "no
 * server-initiated stream and no sessions".
 */
export function registerMcpRoute(
  scope: FastifyInstance,
  options: {
    pool: () => Promise<ServerPool>;
    authInfoOf: (token: string | undefined) => AuthInfo | undefined;
  },
): void {
  scope.post('/mcp', async (request, reply) => {
    const raw: IncomingMessage & { auth?: AuthInfo } = request.raw;
    // The transport hands `req.auth` to handlers as the caller's principal.
    raw.auth = options.authInfoOf(bearerOf(request.headers.authorization));
    const pool = await options.pool();
    reply.hijack();
    await pool.use(async (server) => {
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(raw, reply.raw, request.body);
      } catch (error) {
        request.log.error({ err: error }, 'demo agent MCP request failed');
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json' });
          reply.raw.end(jsonRpcError(-32603, 'Internal error'));
        }
      } finally {
        // Detaches the transport; the server's tools stay registered for the next request.
        await server.close();
      }
    });
  });

  const notAllowed = async (_request: unknown, reply: FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .type('application/json')
      .send(jsonRpcError(-32000, 'Method not allowed: this MCP endpoint is stateless, POST only'));
  scope.get('/mcp', notAllowed);
  scope.delete('/mcp', notAllowed);
}

function jsonRpcError(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
}
