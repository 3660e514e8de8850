import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppExtension } from '../../app.js';
import {
  adServerBody,
  adapterSourceBody,
  isAdapterKind,
  sandboxKindName,
  sandboxKinds,
  sandboxNetworkCode,
  sandboxSourceId,
  sandboxSourceName,
  type SandboxKind,
} from './kinds.js';
import { sandboxAudioStackKey } from './providers.js';
import type { Sandbox } from './start.js';

const base = '/api/v2/storefront/sandbox';
const sources = '/api/v2/storefront/inventory-sources';

const kindParams = z.object({
  kind: z.enum(sandboxKinds).describe(`The sandbox fake to connect: ${sandboxKinds.join(', ')}`),
});

/**
 * The sandbox's REST path, mounted only when the sandbox runs: a seller lists what it offers and
 * connects each kind to its storefront. Every step is the seller's own API call made in process
 * with the caller's credentials (`PUT …/ad-server`, `POST …/adapter`, `POST …/adapter/connect`),
 * so authentication, validation and scoping are those routes' own; the sandbox only supplies the
 * fakes' credentials.
 */
export function sandboxRoutes(sandbox: Sandbox): AppExtension {
  return {
    register: (app) => {
      const typed = app.withTypeProvider<ZodTypeProvider>();
      typed.get(base, async (request, reply) => {
        const storefront = await forward(app, request, 'GET', '/api/v2/storefront');
        if (storefront.status !== 200) return reply.code(storefront.status).send(storefront.body);
        const networkCode = sandboxNetworkCode(storefrontIdOf(storefront.body));
        const network = sandbox.gam.networks.get(networkCode);
        return {
          data: {
            sandbox: true,
            kinds: sandboxKinds.map((kind) => ({
              kind,
              name: sandboxKindName(kind),
              // How it connects: the ad server's key at once, or the provider's OAuth consent.
              via: isAdapterKind(kind) ? 'oauth' : 'ad_server',
              sourceId: sandboxSourceId(kind),
              sourceName: sandboxSourceName(kind),
              connect: `${base}/${kind}/connect`,
              sourcePage: `/console/sources/${sandboxSourceId(kind)}`,
            })),
            // A creative image a buyer may book with: the fake Ad Manager serves it (its CDN).
            sampleCreativeUrl: `${sandbox.gam.url}/cdn/sandbox-banner.png`,
            // The API key the fake AudioStack takes, for a buyer's audio creatives.
            audiostackKey: sandboxAudioStackKey,
            // What the fake Ad Manager holds for this storefront: the orders its buys placed.
            gamOrders: [...(network?.orders.values() ?? [])].map((order) => ({
              id: String(order['id']),
              name: String(order['name'] ?? ''),
              status: String(order['status'] ?? ''),
            })),
          },
          error: null,
        };
      });
      typed.post(
        `${base}/:kind/connect`,
        { schema: { params: kindParams } },
        async (request, reply) => {
          const answer = await connect(app, request, sandbox, request.params.kind);
          return reply.code(answer.status).send(answer.body);
        },
      );
    },
  };
}

async function connect(
  app: FastifyInstance,
  request: FastifyRequest,
  sandbox: Sandbox,
  kind: SandboxKind,
): Promise<Forwarded> {
  const storefront = await forward(app, request, 'GET', '/api/v2/storefront');
  if (storefront.status !== 200) return storefront;
  const sourceId = sandboxSourceId(kind);
  if (!isAdapterKind(kind)) {
    const body = adServerBody(sandbox, kind, storefrontIdOf(storefront.body));
    return forward(app, request, 'PUT', `${sources}/${sourceId}/ad-server`, body);
  }
  const existing = await forward(app, request, 'GET', `${sources}/${sourceId}/adapter`);
  if (existing.status === 404) {
    const body = adapterSourceBody(kind);
    const created = await forward(app, request, 'POST', `${sources}/adapter`, body);
    if (created.status !== 201) return created;
  }
  // The consent runs in the seller's browser: the answer's authorizationUrl opens the fake
  // provider's dialog, which sends the browser back to the storefront's callback.
  return forward(app, request, 'POST', `${sources}/${sourceId}/adapter/connect`);
}

interface Forwarded {
  status: number;
  body: unknown;
}

async function forward(
  app: FastifyInstance,
  request: FastifyRequest,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
): Promise<Forwarded> {
  const answer = await app.inject({
    method,
    url,
    remoteAddress: request.ip,
    headers: {
      ...(request.headers.authorization && { authorization: request.headers.authorization }),
      ...(request.headers.cookie && { cookie: request.headers.cookie }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
  return { status: answer.statusCode, body: answer.body ? JSON.parse(answer.body) : null };
}

function storefrontIdOf(body: unknown): number {
  const data = (body as { data?: { id?: unknown } } | null)?.data;
  return typeof data?.id === 'number' ? data.id : 0;
}
