import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpAcceptHeaderMiddleware } from '@adcp/sdk/express-mcp';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../platform/http/auth.js';
import type { RateLimiter } from '../platform/http/rate-limit.js';
import { documents, openApiDocument } from '../platform/openapi/documents.js';
import { capabilityIndex, type OpenApiLike } from './capabilities.js';
import { mcpServerFor, type Persona } from './tools.js';

export interface McpServersOptions {
  identity: Authenticator;
  ping: () => Promise<void>;
  version: string;
  /** The API's buckets. MCP requests count in a bucket of their own; api_call's REST calls in the REST one. */
  limits: { limiter: RateLimiter; perKeyLimit: number; perIpLimit: number };
}

const acceptJsonOnlyClients = mcpAcceptHeaderMiddleware();

/** The REST surface each MCP server proxies to, as its OpenAPI document lists it. */
export const mcpPaths: Record<Persona, string[]> = {
  buyer: ['/mcp/v2/buyer', '/mcp/buyer'],
  storefront: ['/mcp/v2/storefront', '/mcp/storefront'],
};

/**
 * The buyer and storefront MCP servers (seed 004): stateless Streamable HTTP, the caller's
 * Bearer key authenticating every POST, and tools that dispatch through the REST routes.
 */
export function registerMcpServers(app: FastifyInstance, options: McpServersOptions): void {
  const { limiter, perKeyLimit, perIpLimit } = options.limits;
  // Built on first use: the OpenAPI documents exist once every route is registered.
  const indexes = new Map<Persona, ReturnType<typeof capabilityIndex>>();
  const indexOf = (persona: Persona) => {
    let index = indexes.get(persona);
    if (!index) {
      index = capabilityIndex(openApiDocument(app, persona) as OpenApiLike);
      indexes.set(persona, index);
    }
    return index;
  };

  for (const persona of ['buyer', 'storefront'] as const) {
    for (const path of mcpPaths[persona]) {
      app.post(path, { config: { rateLimit: false }, schema: { hide: true } }, (request, reply) =>
        serve(persona, request, reply),
      );
      app.get(path, { schema: { hide: true } }, methodNotAllowed);
      app.delete(path, { schema: { hide: true } }, methodNotAllowed);
    }
  }

  async function serve(persona: Persona, request: FastifyRequest, reply: FastifyReply) {
    const authorization = request.headers.authorization;
    const token = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    const principal = token ? await options.identity.authenticate(token) : undefined;
    // Unauthenticated attempts count against the IP (no key guessing at MCP speed); a key's
    // MCP requests in a bucket beside its REST one, so tools/list floods are bounded too.
    // That bucket allows twice the REST limit plus the handshake: an api_call is one MCP POST
    // and one REST call, so the REST limit, counted on the inner call, is the one that binds.
    const decision = principal
      ? limiter.hit(`mcp:${principal.keyId}`, perKeyLimit * 2 + 10)
      : limiter.hit(`ip:${request.ip}`, perIpLimit);
    if (!decision.allowed) {
      return reply
        .code(429)
        .header('retry-after', decision.resetIn)
        .send(rpcError(-32029, 'Too many requests; retry after the Retry-After delay'));
    }
    if (!principal || !authorization) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="interchange"')
        .send(
          rpcError(
            -32001,
            token
              ? 'The API key is not valid or has been revoked'
              : 'Send your Interchange API key: "Authorization: Bearer <key>"',
          ),
        );
    }
    const server = mcpServerFor({
      app,
      persona,
      prefixes: documents[persona].prefixes,
      caller: { authorization, ip: request.ip },
      principal,
      version: options.version,
      ping: options.ping,
      search: (question, limit) => indexOf(persona).search(question, limit),
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    // We answer JSON, never a stream, so clients that accept only JSON are served too.
    acceptJsonOnlyClients(request.raw, reply.raw, () => undefined);
    reply.hijack();
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (error) {
      request.log.error({ err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify(rpcError(-32603, 'Internal error')));
      }
    } finally {
      await server.close();
    }
  }
}

async function methodNotAllowed(_request: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(405)
    .header('allow', 'POST')
    .send(rpcError(-32000, 'Method not allowed: this MCP endpoint is stateless, POST only'));
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
