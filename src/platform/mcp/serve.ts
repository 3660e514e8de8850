import type { IncomingMessage } from 'node:http';
import { mcpAcceptHeaderMiddleware } from '@adcp/sdk/express-mcp';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { PooledServer, ServerPool } from './server-pool.js';
import { jsonRpcError } from './json-rpc.js';

const acceptJsonOnlyClients = mcpAcceptHeaderMiddleware();

/** What serving needs of a server: it takes a transport (one at a time). */
export interface McpConnectable {
  connect(transport: Transport): Promise<void>;
}

/**
 * Answers one MCP POST over stateless Streamable HTTP: a fresh transport on a pooled server and
 * a JSON (not SSE) answer. `auth` reaches tool handlers as the caller's principal (`req.auth`).
 * Hijacks the reply; resolves once the answer has been written.
 */
export async function serveMcpPost<S extends PooledServer & McpConnectable>(
  pool: ServerPool<S>,
  request: FastifyRequest,
  reply: FastifyReply,
  auth: AuthInfo | undefined,
): Promise<void> {
  const raw: IncomingMessage & { auth?: AuthInfo } = request.raw;
  raw.auth = auth;
  // We answer JSON, never a stream, so a client that only accepts JSON is served too (the MCP
  // transport would refuse it with 406).
  acceptJsonOnlyClients(raw, reply.raw, () => undefined);
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
      request.log.error({ err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify(jsonRpcError(-32603, 'Internal error')));
      }
    } finally {
      // Detaches the transport; the server's tools stay registered for the next request.
      await server.close();
    }
  });
}

/**
 * GET and DELETE on a stateless MCP endpoint: 405, which MCP clients read as "no
 * server-initiated stream and no sessions".
 */
export async function mcpMethodNotAllowed(_request: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(405)
    .header('allow', 'POST')
    .type('application/json')
    .send(jsonRpcError(-32000, 'Method not allowed: this MCP endpoint is stateless, POST only'));
}
