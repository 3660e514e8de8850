import { randomUUID } from 'node:crypto';
import { AgentClient } from '@adcp/sdk';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoChannels } from '../../src/demo/seller/index.js';
import { startSeller, type RunningSeller } from '../fixtures/sellers.js';

type SdkMcpClient = Parameters<typeof AgentClient.fromMCPClient>[0];

let seller: RunningSeller;
let a2aSeller: RunningSeller;
let mcpClient: Client;
let agent: AgentClient;

beforeAll(async () => {
  [seller, a2aSeller] = await Promise.all([startSeller('mcp'), startSeller('a2a')]);
  mcpClient = new Client({ name: 'demo-agent-test', version: '1.0.0' });
  await mcpClient.connect(new StreamableHTTPClientTransport(new URL(seller.url)));
  // The SDK's buyer client, validating requests and responses against the AdCP schemas.
  // @adcp/sdk is CommonJS and types the MCP Client from the MCP SDK's CJS build; the same
  // object from the ESM build differs only in private fields (the dual-package hazard).
  agent = AgentClient.fromMCPClient(mcpClient as unknown as SdkMcpClient, {
    validation: { requests: 'strict', responses: 'strict' },
  });
});

afterAll(async () => {
  await mcpClient?.close();
  await Promise.all([seller?.close(), a2aSeller?.close()]);
});

function data<T>(result: { success: boolean; data?: T; error?: string }): T {
  if (!result.success || result.data === undefined) throw new Error(result.error ?? 'no data');
  return result.data;
}

describe('demo seller over MCP', () => {
  it('lists 30 priced products with formats across display, video, CTV and audio', async () => {
    const { products } = data(await agent.getProducts({ buying_mode: 'wholesale' }));
    expect(products).toHaveLength(30);
    for (const product of products) {
      expect(product.pricing_options.length).toBeGreaterThan(0);
      expect(product.format_ids.length).toBeGreaterThan(0);
    }
    const channels = new Set(products.flatMap((product) => product.channels ?? []));
    expect([...channels].sort()).toEqual([...demoChannels].sort());
    const models = products.flatMap((p) => p.pricing_options.map((o) => JSON.stringify(o)));
    expect(models.some((o) => o.includes('"fixed_price"'))).toBe(true);
    expect(models.some((o) => o.includes('"floor_price"'))).toBe(true);
  });

  it('lists every creative format its products reference', async () => {
    const { formats } = data(await agent.listCreativeFormats({}));
    const { products } = data(await agent.getProducts({ buying_mode: 'wholesale' }));
    const listed = new Set(formats.map((format) => format.format_id.id));
    const referenced = new Set(products.flatMap((p) => p.format_ids.map((f) => f.id)));
    expect([...referenced].filter((id) => !listed.has(id))).toEqual([]);
  });

  it('books a media buy, reports it with delivery and holds it paused', async () => {
    const { products } = data(await agent.getProducts({ buying_mode: 'wholesale' }));
    const product = products.find((p) => p.channels?.includes('ctv'));
    const pricing = product?.pricing_options[0];
    if (!product || !pricing) throw new Error('no CTV product');
    const created = data(
      await agent.createMediaBuy({
        idempotency_key: randomUUID(),
        account: { account_id: 'acct_demo_test' },
        brand: { domain: 'acme.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: pricing.pricing_option_id,
            budget: 60_000,
          },
        ],
      }),
    );
    expect('media_buy_id' in created).toBe(true);
    const mediaBuyId = (created as { media_buy_id: string }).media_buy_id;

    const { media_buys } = data(
      await agent.getMediaBuys({ account: { account_id: 'acct_demo_test' } }),
    );
    expect(media_buys.map((buy) => buy.media_buy_id)).toEqual([mediaBuyId]);
    expect(media_buys[0]?.total_budget).toBe(60_000);

    const delivery = data(
      await agent.getMediaBuyDelivery({
        account: { account_id: 'acct_demo_test' },
        media_buy_ids: [mediaBuyId],
      }),
    );
    expect(delivery.media_buy_deliveries.map((d) => d.media_buy_id)).toEqual([mediaBuyId]);

    const paused = data(
      await agent.updateMediaBuy({
        idempotency_key: randomUUID(),
        account: { account_id: 'acct_demo_test' },
        media_buy_id: mediaBuyId,
        paused: true,
      }),
    );
    // No creative yet: the hold is kept, and the setup blocker is what the status shows.
    expect(paused).toMatchObject({ media_buy_id: mediaBuyId, status: 'pending_creatives' });
    const held = data(await agent.getMediaBuys({ account: { account_id: 'acct_demo_test' } }))
      .media_buys[0];
    expect(held?.packages?.map((p) => p.paused)).toEqual([true]);
  });

  it('answers GET on the MCP endpoint with 405', async () => {
    const response = await fetch(seller.url);
    expect(response.status).toBe(405);
  });
});

describe('demo seller over A2A', () => {
  it('lists get_adcp_capabilities among the skills on its agent card', async () => {
    const response = await fetch(`${a2aSeller.url}/.well-known/agent-card.json`);
    const card = (await response.json()) as { url: string; skills: Array<{ id: string }> };
    expect(card.url).toBe(a2aSeller.url);
    expect(card.skills.map((skill) => skill.id)).toEqual(
      expect.arrayContaining(['get_adcp_capabilities', 'get_products', 'create_media_buy']),
    );
  });

  it('answers get_products sent as a DataPart message', async () => {
    const response = await fetch(a2aSeller.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: {
          message: {
            kind: 'message',
            role: 'user',
            messageId: randomUUID(),
            parts: [
              {
                kind: 'data',
                data: { skill: 'get_products', input: { buying_mode: 'wholesale' } },
              },
            ],
          },
        },
      }),
    });
    const body = (await response.json()) as {
      result: {
        status: { state: string };
        artifacts: Array<{ parts: Array<{ data: { products: unknown[] } }> }>;
      };
    };
    expect(body.result.status.state).toBe('completed');
    expect(body.result.artifacts[0]?.parts[0]?.data.products).toHaveLength(30);
  });
});
