import type { IncomingMessage } from 'node:http';
import { mcpAcceptHeaderMiddleware } from '@adcp/sdk/express-mcp';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
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
 *
 * The SDK's web-standard transport is driven directly rather than through its Node wrapper
 * (`StreamableHTTPServerTransport`), which builds a request listener per call and streams the
 * answer through a web ReadableStream in chunks: here the answer, always one JSON document, is
 * written once with its length (bench/README.md, storefront-fanout). The transport still does
 * all of the protocol's checks (Accept, Content-Type, JSON-RPC validation, protocol version).
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
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(webRequestOf(raw), {
        parsedBody: request.body,
        authInfo: auth,
      });
      await writeResponse(response, reply);
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

/** The POST as a web Request for the transport: method, URL and headers (the body is parsed). */
function webRequestOf(raw: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const host = raw.headers.host ?? 'localhost';
  return new Request(`http://${host}${raw.url ?? '/'}`, { method: 'POST', headers });
}

/** Writes the transport's answer (a JSON document, or none: 202) in one write, with its length. */
async function writeResponse(response: Response, reply: FastifyReply): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  reply.raw.writeHead(response.status, headers);
  reply.raw.end(body);
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
