import type { FastifyInstance } from 'fastify';
import { documentNames } from '../platform/openapi/routes.js';

const agentBase = '/adcp/storefront-{platformId}';

/** Where an agent goes from the root: every path here answers (test/web/home-page.test.ts). */
const index = {
  name: 'Interchange',
  description: 'Open, self-hostable agentic advertising marketplace on the Ad Context Protocol',
  console: '/console',
  apiReference: '/docs',
  openapi: Object.fromEntries(documentNames.map((n) => [n, `/api/v2/${n}/openapi.json`])),
  mcp: { buyer: '/mcp/v2/buyer', storefront: '/mcp/v2/storefront' },
  storefrontAgents: {
    mcp: `${agentBase}/mcp`,
    a2a: `${agentBase}/a2a`,
    agentCard: `${agentBase}/a2a/.well-known/agent-card.json`,
  },
  health: '/health',
};

/**
 * `GET /`, the address `npm start` prints. A person (a browser asking for HTML first) is sent to
 * the console, which asks for a key when none is signed in; anything else (an agent, curl) gets a
 * JSON map of where to go, with the API reference as the `service-doc` link (RFC 8631).
 */
export function registerHomePage(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const first =
      String(request.headers.accept ?? '')
        .split(',')[0]
        ?.trim() ?? '';
    if (/^(text\/html|application\/xhtml\+xml)\b/i.test(first)) {
      return reply.redirect('/console', 303);
    }
    return reply.header('link', '</docs>; rel="service-doc"').send(index);
  });
}
