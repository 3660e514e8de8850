import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  createAdcpServerFromPlatform,
  createInMemoryTaskRegistry,
  InMemoryStateStore,
} from '@adcp/sdk/server';
import type { GetProductsResponse } from '@adcp/sdk/types';
import Fastify from 'fastify';
import { z } from 'zod';
import { serveMcpPost } from '../src/platform/mcp/serve.js';
import { createServerPool } from '../src/platform/mcp/server-pool.js';

/**
 * The two-hop floor under a storefront's get_products, for bench/storefront-fanout.ts: the
 * least any aggregator built on the official MCP SDK must do for the same call. One process,
 * nothing of ours but the serving path the storefront uses (Fastify, the pooled McpServer,
 * stateless Streamable HTTP with JSON answers): a `get_products` tool that asks every seller
 * with an official `Client` (connected once, as the storefront keeps its connections) and
 * answers their products concatenated. No authentication, no database, no relabelling, no
 * rules, no pricing, no recording. Sellers' URLs on argv; prints {"url"} once listening; exits
 * when stdin closes. With FLOOR_CANNED=1 the sellers are asked once and their products answered
 * again from that first answer (parsed anew each call, as a seller's answer would be): the
 * server side alone.
 *
 * With FLOOR_SERVER=adcp the server is @adcp/sdk's instead of the bare McpServer: the same
 * proxying get_products as a decisioning platform (createAdcpServerFromPlatform, strict request
 * validation as the storefront's), its account resolved to a constant. That is the floor of any
 * AdCP sales agent built on the official AdCP SDK, which Interchange's storefronts are: the
 * AdCP layer's own cost per call, still with nothing of ours.
 */
const sellerUrls = process.argv.slice(2);

async function connect(url: string) {
  const client = new Client({ name: 'floor-proxy', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}
// One connected client per seller and concurrent call, as many as the storefront's pool allows.
const clients = await Promise.all(
  Array.from({ length: 8 }, () => Promise.all(sellerUrls.map(connect))),
);
const idle = [...clients];
const canned = process.env.FLOOR_CANNED === '1';
let cannedJson: string | undefined;

/** The sellers' products concatenated, or the first answer again (FLOOR_CANNED). */
async function productsFor(args: Record<string, unknown>): Promise<unknown[]> {
  if (cannedJson) return JSON.parse(cannedJson) as unknown[];
  const mine = idle.pop() ?? (await Promise.all(sellerUrls.map(connect)));
  try {
    const answers = await Promise.all(
      mine.map((client) => client.callTool({ name: 'get_products', arguments: args })),
    );
    const products = answers.flatMap(
      (a) => (a.structuredContent as { products?: unknown[] } | undefined)?.products ?? [],
    );
    if (canned) cannedJson = JSON.stringify(products);
    return products;
  } finally {
    idle.push(mine);
  }
}

function bareServer() {
  const server = new McpServer({ name: 'floor-proxy', version: '1.0.0' });
  server.registerTool(
    'get_products',
    {
      description: "The sellers' products, concatenated",
      inputSchema: { buying_mode: z.string().optional(), brief: z.string().optional() },
    },
    async (args) => {
      const products = await productsFor(args);
      return {
        content: [{ type: 'text', text: `${products.length} products` }],
        structuredContent: { products },
      };
    },
  );
  return server;
}

const notInFloor = () => Promise.reject(new Error('Only get_products is in the floor'));

/** The same proxy as an @adcp/sdk decisioning platform (FLOOR_SERVER=adcp). */
function adcpServer() {
  const account = {
    id: 'floor',
    name: 'Floor account',
    status: 'active' as const,
    ctx_metadata: {},
  };
  return createAdcpServerFromPlatform(
    {
      capabilities: {
        specialisms: ['sales-non-guaranteed'] as const,
        channels: ['display'] as const,
        pricingModels: ['cpm'] as const,
        config: {},
      },
      accounts: { resolve: async () => account },
      sales: {
        getProducts: async (request) =>
          ({
            products: await productsFor({ ...request }),
          }) as GetProductsResponse,
        // The specialism's other tools, never called here.
        createMediaBuy: notInFloor,
        updateMediaBuy: notInFloor,
        getMediaBuys: notInFloor,
        getMediaBuyDelivery: notInFloor,
        syncCreatives: notInFloor,
      },
    },
    {
      name: 'adcp-floor-proxy',
      version: '1.0.0',
      validation: { requests: 'strict' },
      // get_products makes no task and keeps no state; production mode refuses the in-memory
      // defaults unless they are named.
      taskRegistry: createInMemoryTaskRegistry(),
      stateStore: new InMemoryStateStore(),
      resolveIdempotencyPrincipal: () => 'floor',
    },
  );
}

const factory: () => McpServer | ReturnType<typeof adcpServer> =
  process.env.FLOOR_SERVER === 'adcp' ? adcpServer : bareServer;
factory(); // a server that cannot be built fails here, not inside a hijacked request
const pool = createServerPool(factory, 8);

const app = Fastify({ logger: false });
app.post('/mcp', (request, reply) => serveMcpPost(pool, request, reply, undefined));
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as AddressInfo;
console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/mcp` }));
createInterface({ input: process.stdin }).on('close', () => process.exit(0));
