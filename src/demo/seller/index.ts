import type { DecisioningAdcpServer } from '@adcp/sdk/server';
import type { FastifyInstance } from 'fastify';
import { createDemoA2a, registerA2aRoutes, type DemoA2a } from './a2a-route.js';
import { authInfoOf, requireBearer } from './auth.js';
import { registerMcpRoute } from './mcp-route.js';
import { adcpLoggerOf } from '../../agents/hosting/logger.js';
import { createServerPool, type ServerPool } from '../../platform/mcp/server-pool.js';
import { createDemoServerFactory } from './server.js';

export { demoChannels, demoPublisherDomain } from './catalog-rows.js';
export { demoAgentName } from './server.js';

export interface DemoAgentOptions {
  /** Path prefix of the agent's routes, e.g. '/adcp/demo-seller'. */
  basePath: string;
  /**
   * Origin (plus any proxy prefix) the app is reachable at, e.g. 'https://interchange.example'.
   * A function is read on the first request, for apps that learn their port after listening.
   */
  publicUrl: string | (() => string);
  /** When set, requests without `Authorization: Bearer <requiredToken>` get 401. */
  requiredToken?: string;
  /** Delay before answering any request, to test slow sellers. */
  delayMs?: number;
  /** MCP requests served at once; default 4. */
  concurrency?: number;
  /** Repeats the 30-product catalogue this many times (benchmarks); default 1. */
  catalogCopies?: number;
}

export interface DemoAgentUrls {
  /** MCP Streamable HTTP endpoint: what an MCP inventory source registers. */
  mcp: string;
  /** A2A JSON-RPC endpoint, also the base URL an A2A inventory source registers. */
  a2a: string;
  agentCard: string;
}

export function demoAgentUrls(publicUrl: string, basePath: string): DemoAgentUrls {
  const base = `${publicUrl.replace(/\/+$/, '')}${normalizePath(basePath)}`;
  return {
    mcp: `${base}/mcp`,
    a2a: `${base}/a2a`,
    agentCard: `${base}/a2a/.well-known/agent-card.json`,
  };
}

interface DemoRuntime {
  pool: ServerPool<DecisioningAdcpServer>;
  a2a: DemoA2a;
  close(): Promise<void>;
}

/**
 * Mounts the built-in demo AdCP sales agent (30 products across display, online video, CTV and
 * audio) on `app` under `basePath`: MCP at `/mcp`, A2A at `/a2a`. Its media buys live in
 * @adcp/sdk in-memory stores of this process.
 */
export function registerDemoAgent(app: FastifyInstance, options: DemoAgentOptions): void {
  const basePath = normalizePath(options.basePath);
  void app.register(
    async (scope) => {
      const logger = adcpLoggerOf(scope.log.child({ component: 'demo-agent' }));
      const { delayMs, requiredToken } = options;
      if (delayMs) scope.addHook('onRequest', () => sleep(delayMs));
      // Discovery stays public: the agent card, and GET on the MCP endpoint (405).
      if (requiredToken) requireBearer(scope, requiredToken, (request) => request.method === 'GET');

      // Built on first use, when the public URL (in format ids and the agent card) is known.
      let runtime: Promise<DemoRuntime> | undefined;
      const start = async (): Promise<DemoRuntime> => {
        const publicUrl =
          typeof options.publicUrl === 'string' ? options.publicUrl : options.publicUrl();
        const urls = demoAgentUrls(publicUrl, basePath);
        const factory = createDemoServerFactory({
          agentUrl: urls.mcp,
          logger,
          ...(options.catalogCopies && { catalogCopies: options.catalogCopies }),
        });
        const pool = createServerPool(factory, options.concurrency ?? 4);
        // A2A calls the server's invoke(), which needs no transport, so one server serves all.
        const a2aServer = factory();
        const a2a = await createDemoA2a({
          server: a2aServer,
          a2aUrl: urls.a2a,
          organizationUrl: publicUrl,
          secured: requiredToken !== undefined,
          logger,
        });
        return {
          pool,
          a2a,
          close: async () => void (await Promise.all([pool.close(), a2aServer.close()])),
        };
      };
      const ready = () =>
        (runtime ??= start().catch((error: unknown) => {
          runtime = undefined;
          throw error;
        }));

      registerMcpRoute(scope, { pool: async () => (await ready()).pool, authInfoOf });
      registerA2aRoutes(scope, async () => (await ready()).a2a);
      scope.addHook('onClose', async () => {
        const started = await runtime?.catch(() => undefined);
        await started?.close();
      });
    },
    { prefix: basePath },
  );
}

/** '/adcp/demo/' and 'adcp/demo' become '/adcp/demo'; '/' becomes ''. */
function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
