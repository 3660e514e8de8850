import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Guard } from '../platform/guard/guard.js';
import { registerInProcessRequests } from '../platform/http/in-process.js';
import { documents, openApiDocument } from '../platform/openapi/documents.js';
import { capabilityIndex, type OpenApiLike } from './capabilities.js';
import { jsonRpcError } from '../platform/mcp/json-rpc.js';
import { mcpMethodNotAllowed, serveMcpPost } from '../platform/mcp/serve.js';
import { createServerPool, type ServerPool } from '../platform/mcp/server-pool.js';
import { authInfoFor, mcpServerFor, type Persona } from './tools.js';

export interface McpServersOptions {
  /** Keys, callers and budgets: MCP requests count in a budget of their own; api_call's REST calls in the REST one. */
  guard: Guard;
  ping: () => Promise<void>;
  version: string;
}

/** Servers per persona: enough that a burst of calls rarely waits for one. */
const serversPerPersona = 8;

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
  const { guard } = options;
  // api_call and the other tools call the REST routes in process (after registerIdempotency).
  registerInProcessRequests(app);
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

  // A few servers per persona, built on first use and reused: each takes one request at a time.
  const pools = new Map<Persona, ServerPool<McpServer>>();
  const poolOf = (persona: Persona) => {
    let pool = pools.get(persona);
    if (!pool) {
      pool = createServerPool(
        () =>
          mcpServerFor({
            app,
            persona,
            prefixes: documents[persona].prefixes,
            version: options.version,
            ping: options.ping,
            search: (question, limit) => indexOf(persona).search(question, limit),
          }),
        serversPerPersona,
      );
      pools.set(persona, pool);
    }
    return pool;
  };
  app.addHook('onClose', async () => {
    await Promise.all([...pools.values()].map((pool) => pool.close()));
  });

  for (const persona of ['buyer', 'storefront'] as const) {
    for (const path of mcpPaths[persona]) {
      app.post(path, { config: { rateLimit: false }, schema: { hide: true } }, (request, reply) =>
        serve(persona, request, reply),
      );
      app.get(path, { schema: { hide: true } }, mcpMethodNotAllowed);
      app.delete(path, { schema: { hide: true } }, mcpMethodNotAllowed);
    }
  }

  async function serve(persona: Persona, request: FastifyRequest, reply: FastifyReply) {
    const authorization = request.headers.authorization;
    const token = guard.keyOf(request.headers);
    const principal = await guard.identify(token);
    // Unauthenticated attempts count against the IP (no key guessing at MCP speed); a key's
    // MCP requests in a budget beside its REST one, so tools/list floods are bounded too.
    const decision = await guard.count(principal, request.ip, 'mcp');
    if (!decision.allowed) {
      return reply
        .code(429)
        .header('retry-after', decision.resetIn)
        .send(jsonRpcError(-32029, 'Too many requests; retry after the Retry-After delay'));
    }
    const refusal = guard.refusal(principal, 'authenticated', { keyPresented: !!token });
    if (refusal || !principal || !authorization) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="interchange"')
        .send(
          jsonRpcError(
            -32001,
            refusal?.reason === 'invalid_key'
              ? refusal.message
              : 'Send your Interchange API key: "Authorization: Bearer <key>"',
          ),
        );
    }
    const mcpCaller = { caller: { authorization, ip: request.ip }, principal };
    await serveMcpPost(poolOf(persona), request, reply, authInfoFor(token ?? '', mcpCaller));
  }
}
