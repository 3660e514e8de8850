import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAgentExposed, mayUseStorefrontAgent } from '../../../modules/identity/index.js';
import {
  agentIdOf,
  platformIdOfAgent,
  type StorefrontRow,
  type StorefrontsService,
} from '../../../modules/storefronts/index.js';
import type { Guard } from '../../../platform/guard/guard.js';
import type { CustomerPrincipal, Principal } from '../../../platform/principal.js';
import { agentCardPaths } from '../../hosting/a2a.js';
import { registerToolSchemaRoutes } from '../../hosting/tool-schemas/index.js';
import { runExpressStyle } from '../../hosting/express-bridge.js';
import { jsonRpcError } from '../../../platform/mcp/json-rpc.js';
import { mcpMethodNotAllowed, serveMcpPost } from '../../../platform/mcp/serve.js';
import { refuseUnstorableInput } from '../../hosting/unstorable-input.js';
import { runAsCaller } from '../caller.js';
import { authRefusal, isAtLeast, pinnedReleaseOf } from '../../adcp31/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { agentBasePath, type Merchandising } from './runtime.js';

/**
 * Every storefront's Merchandising Agent, `storefront-{platformId}`: MCP at
 * /adcp/storefront-{platformId}/mcp and A2A at …/a2a (agent card under …/a2a/.well-known/),
 * authenticated with the buyer's Interchange API key (Bearer or x-api-key). A storefront the
 * caller may not use answers 404, as on REST.
 */
export function registerStorefrontAgents(
  app: FastifyInstance,
  options: {
    merchandising: Merchandising;
    storefronts: Pick<StorefrontsService, 'findByPlatformId'>;
    publicUrl: () => string;
    /** Keys, callers and budgets: an agent call counts against its key like any REST call. */
    guard: Guard;
  },
): void {
  const { merchandising, storefronts, guard } = options;

  /** Counts the request; answers 429 (JSON-RPC error, Retry-After) and false when over. */
  async function withinLimit(request: FastifyRequest, reply: FastifyReply, principal?: Principal) {
    const decision = await guard.count(principal, request.ip);
    if (decision.allowed) return true;
    void reply
      .code(429)
      .header('retry-after', decision.resetIn)
      .send(jsonRpcError(-32029, 'Too many requests; retry after the Retry-After delay'));
    return false;
  }

  // Every tool's request schema per release, as tools/list and the A2A card publish them.
  registerToolSchemaRoutes(app);

  // Where buyers find the keys that sign our push notifications (RFC 9421 webhooks).
  for (const path of ['/.well-known/jwks.json', '/adcp/.well-known/jwks.json']) {
    app.get(path, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send(merchandising.jwks),
    );
  }

  async function storefrontOf(request: FastifyRequest, reply: FastifyReply) {
    const agentId = (request.params as { agentId: string }).agentId;
    const platformId = platformIdOfAgent(agentId);
    const storefront = platformId ? await storefronts.findByPlatformId(platformId) : undefined;
    if (!storefront || storefront.archivedAt) {
      void reply.code(404).send(jsonRpcError(-32001, `No AdCP agent "${agentId}" here`));
      return undefined;
    }
    return storefront;
  }

  /**
   * The caller and storefront, or undefined after answering 401/404. `protocol` names the
   * endpoint whose body may pin AdCP 3.1 (the card and brand.json have none).
   */
  async function authorize(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded?: StorefrontRow,
    protocol?: 'mcp' | 'a2a',
  ) {
    const storefront = loaded ?? (await storefrontOf(request, reply));
    if (!storefront) return undefined;
    const key = guard.keyOf(request.headers, { xApiKey: true });
    const principal = await guard.identify(key);
    if (!(await withinLimit(request, reply, principal))) return undefined;
    // Any refusal of a customer's key (none, unknown, revoked, the admin's) is a 401 here.
    if (guard.refusal(principal, 'customer') || principal?.kind !== 'customer') {
      refuseCredential(request, reply, key === undefined ? 'missing' : 'invalid', protocol);
      return undefined;
    }
    if (!mayUseStorefrontAgent(principal, storefront)) {
      void reply
        .code(404)
        .send(jsonRpcError(-32001, `No AdCP agent "storefront-${storefront.platformId}" here`));
      return undefined;
    }
    return { principal, storefront };
  }

  /**
   * 401 for a missing or refused key. A caller pinning AdCP 3.1 in its request learns which
   * (AUTH_MISSING or AUTH_INVALID, adcp31/transport.ts); any other keeps the answer it had.
   */
  function refuseCredential(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: 'missing' | 'invalid',
    protocol: 'mcp' | 'a2a' | undefined,
  ) {
    const release = protocol && pinnedReleaseOf(request.body, protocol);
    if (release && isAtLeast(release, '3.1')) {
      const rpc = isRecord(request.body) ? request.body['id'] : undefined;
      const refusal = authRefusal(kind, release, rpc);
      void reply.code(401).header('www-authenticate', refusal.challenge).send(refusal.body);
      return;
    }
    void reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="interchange"')
      .send(jsonRpcError(-32001, 'Send your Interchange API key: "Authorization: Bearer <key>"'));
  }

  const authInfoOf = (principal: CustomerPrincipal): AuthInfo => ({
    // The key itself never travels further than authentication.
    token: principal.keyId,
    clientId: `customer-${principal.customerId}`,
    scopes: [],
    extra: { customerId: principal.customerId },
  });

  // Counted here rather than by the API's guard, which knows no x-api-key and answers in the
  // REST envelope: agent calls count against the caller's key, unauthenticated ones its IP.
  const counted = { config: { rateLimit: false as const } };

  app.post('/adcp/:agentId/mcp', counted, async (request, reply) => {
    const caller = await authorize(request, reply, undefined, 'mcp');
    if (!caller || refuseUnstorableInput(request, reply, 'mcp')) return reply;
    const runtime = await merchandising.runtimeFor(caller.storefront, options.publicUrl());
    await runAsCaller(caller, () =>
      serveMcpPost(runtime.pool, request, reply, authInfoOf(caller.principal)),
    );
    return reply;
  });
  app.get('/adcp/:agentId/mcp', mcpMethodNotAllowed);
  app.delete('/adcp/:agentId/mcp', mcpMethodNotAllowed);

  app.post('/adcp/:agentId/a2a', counted, async (request, reply) => {
    const caller = await authorize(request, reply, undefined, 'a2a');
    if (!caller || refuseUnstorableInput(request, reply, 'a2a')) return reply;
    const runtime = await merchandising.runtimeFor(caller.storefront, options.publicUrl());
    await runAsCaller(caller, () => {
      (request.raw as { auth?: AuthInfo }).auth = authInfoOf(caller.principal);
      return runExpressStyle(runtime.a2a.jsonRpcHandler, request, reply);
    });
    return reply;
  });
  /**
   * The storefront whose agent documents (card, brand.json) the caller may read: any caller's
   * for an exposed agent (that is how buyers discover it), else only a caller who may use it.
   * Undefined once answered (429, 401, 404).
   */
  async function readableStorefront(request: FastifyRequest, reply: FastifyReply) {
    if (!(await withinLimit(request, reply))) return undefined;
    const storefront = await storefrontOf(request, reply);
    if (!storefront) return undefined;
    if (!isAgentExposed(storefront) && !(await authorize(request, reply, storefront))) {
      return undefined;
    }
    return storefront;
  }

  // The card, under the A2A endpoint and at the agent's base (where AdCP clients look,
  // @adcp/sdk's SingleAgentClient and buildCardUrls).
  async function serveCard(request: FastifyRequest, reply: FastifyReply) {
    const storefront = await readableStorefront(request, reply);
    if (!storefront) return reply;
    return (await merchandising.runtimeFor(storefront, options.publicUrl())).a2a.agentCard;
  }
  for (const path of agentCardPaths) {
    app.get(`/adcp/:agentId/a2a${path}`, counted, serveCard);
    app.get(`/adcp/:agentId${path}`, counted, serveCard);
  }
  // The agent's brand.json (its capabilities name it as identity.brand_json_url): this agent at
  // both of its endpoints, with the JWKS its push notifications are signed with. A hidden
  // agent's is read with a key, so no shared cache may keep it.
  app.get('/adcp/:agentId/.well-known/brand.json', counted, async (request, reply) => {
    const storefront = await readableStorefront(request, reply);
    if (!storefront) return reply;
    return reply
      .header('cache-control', isAgentExposed(storefront) ? 'public, max-age=300' : 'private')
      .send(agentBrandJson(options.publicUrl(), storefront));
  });

  // @adcp/sdk's protocol detection (`adcp <url>` without --protocol) probes only the site root's
  // card, and only for a 2xx. One host serves many agents, so the root names none of them (no
  // storefront is "the" agent here, and a hidden one must not surface): it describes the host
  // and points at where each agent's own card is. Without it every A2A URL falls back to MCP.
  for (const path of agentCardPaths) {
    app.get(path, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send(hostCard(options.publicUrl())),
    );
  }
}

/** An agent's brand.json: the storefront's agent at its MCP and A2A URLs, and our JWKS. */
function agentBrandJson(publicUrl: string, storefront: StorefrontRow) {
  const origin = publicUrl.replace(/\/+$/, '');
  const base = `${origin}${agentBasePath(storefront.platformId)}`;
  const agent = {
    type: 'sales',
    id: agentIdOf(storefront.platformId),
    jwks_uri: `${origin}/.well-known/jwks.json`,
  };
  return {
    name: storefront.brandName ?? storefront.name,
    agents: [
      { ...agent, url: `${base}/mcp` },
      { ...agent, url: `${base}/a2a` },
    ],
  };
}

/** The site root's A2A card: this host's agents, each at /adcp/storefront-{platformId}/a2a. */
function hostCard(publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    protocolVersion: '0.3.0',
    name: 'Interchange',
    description:
      'An AdCP marketplace hosting one sales agent per storefront. Each agent is at ' +
      `${base}/adcp/storefront-{platformId}/a2a, its card at …/a2a/.well-known/agent.json.`,
    url: `${base}/adcp`,
    version: '1.0.0',
    capabilities: {},
    defaultInputModes: ['application/json'],
    defaultOutputModes: ['application/json'],
    skills: [],
  };
}
