import type { FastifyInstance } from 'fastify';

/**
 * `GET /`, the address the server prints: a person (a browser asking for HTML) is sent to the
 * console, which asks for a key when none is signed in; anything else (an agent, curl) gets a
 * JSON map of where to go: the API reference and OpenAPI documents, the MCP servers, and where
 * each storefront's AdCP agent and its A2A agent card live.
 */
export function registerHomeRoute(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const accept = String(request.headers.accept ?? '');
    const first = accept.split(',')[0]?.trim() ?? '';
    if (/^text\/html\b/i.test(first) || /^application\/xhtml\+xml\b/i.test(first)) {
      return reply.redirect('/console', 303);
    }
    const agent = '/adcp/storefront-{platformId}';
    return reply.header('Link', '</docs>; rel="service-doc"').send({
      name: 'Interchange',
      description: 'Open, self-hostable agentic advertising marketplace on the Ad Context Protocol',
      console: '/console',
      apiReference: '/docs',
      openapi: {
        buyer: '/api/v2/buyer/openapi.json',
        storefront: '/api/v2/storefront/openapi.json',
        admin: '/api/v2/admin/openapi.json',
      },
      mcp: { buyer: '/mcp/v2/buyer', storefront: '/mcp/v2/storefront' },
      storefrontAgents: {
        mcp: `${agent}/mcp`,
        a2a: `${agent}/a2a`,
        agentCard: `${agent}/.well-known/agent-card.json`,
      },
      health: '/health',
    });
  });
}
