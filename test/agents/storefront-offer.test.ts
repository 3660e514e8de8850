import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultReadCacheTtlMs } from '../../src/platform/read-cache.js';
import { startSdkSeller, type SdkSeller } from '../fixtures/sdk-seller.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * A storefront agent advertises what its active sources can do, no more (issue 49 item 9):
 * over @adcp/sdk's social example seller alone it neither offers nor declares the sales tools
 * that seller does not have; once the SDK's guaranteed example seller is activated beside it,
 * the same agent (on this instance and on another instance over the same database) offers them
 * and declares the sales specialisms, but still no list_creative_formats (that seller has none).
 * Through the official MCP and A2A clients.
 */
let h: Harness;
let first: string;
let other: FastifyInstance;
let second: string;
let social: SdkSeller;
let guaranteed: SdkSeller;

beforeAll(async () => {
  // One after the other, with a generous start-up bound: each is two processes of its own.
  h = await createHarness();
  social = await startSdkSeller('social', 110_000);
  guaranteed = await startSdkSeller('guaranteed', 110_000);
  first = await listen(h);
  // Another instance over the same database, with its own services, caches and built agents.
  other = await h.buildApp({}, { services: true });
  await other.listen({ host: '127.0.0.1', port: 0 });
  second = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
}, 300_000);
afterAll(async () => {
  await Promise.all([social?.close(), guaranteed?.close()]);
  await other?.close();
  await h?.close();
});

const salesTools = ['get_products', 'list_creative_formats', 'create_media_buy', 'get_media_buys'];

/** The tools an agent offers over MCP, and the specialisms it declares. */
async function overMcp(base: string, platformId: string, key: string) {
  const agent = await agentClient(base, platformId, key);
  try {
    const { tools } = await agent.client.listTools();
    const caps = await agent.call('get_adcp_capabilities');
    return { tools: tools.map((t) => t.name), specialisms: caps.specialisms as string[] };
  } finally {
    await agent.close();
  }
}

/** The skills an agent's A2A card lists, and the specialisms it declares over A2A. */
async function overA2a(base: string, platformId: string, key: string) {
  const card = await fetch(
    `${base}/adcp/storefront-${platformId}/a2a/.well-known/agent-card.json`,
    {
      headers: { authorization: `Bearer ${key}` },
    },
  );
  const skills = ((await card.json()) as { skills: Array<{ id: string }> }).skills.map((s) => s.id);
  const caps = await (await a2aBuyer(base, platformId, key)).call('get_adcp_capabilities');
  return { skills, specialisms: caps.specialisms as string[] };
}

/** Asks until `seen` holds, failing after the read cache's bound (with a margin for the call). */
async function within<T>(ask: () => Promise<T>, seen: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + defaultReadCacheTtlMs + 12_000;
  for (;;) {
    const answer = await ask();
    if (seen(answer) || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a storefront agent over a sales-social seller alone', () => {
  it('offers and declares only what its sources sell, and follows a source activated later on every instance', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'social', url: social.url, token: social.token },
    ]);
    // The agency names itself as its account's operator at the seller (upstream-account.ts).
    const live = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };
    const buyer = await createCustomer(h, { role: 'BUYER', domain: live.operator });

    // Both instances build the agent now (so a stale one would be kept, were it not rebuilt).
    for (const base of [first, second]) {
      const mcp = await overMcp(base, sf.platformId, buyer.key);
      for (const tool of salesTools) expect(mcp.tools).not.toContain(tool);
      expect(mcp.tools).toEqual(
        expect.arrayContaining(['sync_audiences', 'get_adcp_capabilities']),
      );
      expect(mcp.specialisms).toEqual(['sales-social']);
      const a2a = await overA2a(base, sf.platformId, buyer.key);
      for (const tool of salesTools) expect(a2a.skills).not.toContain(tool);
      expect(a2a.specialisms).toEqual(['sales-social']);
    }

    // The guaranteed seller joins as a second source, through the seller's REST API (first instance).
    const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
      key: sf.seller.key,
      body: {
        name: 'Guaranteed seller',
        sourceId: 'guaranteed',
        endpointUrl: guaranteed.url,
        protocol: 'MCP',
        authenticationType: 'API_KEY',
        auth: { type: 'bearer', token: guaranteed.token },
      },
    });
    expect(created.status, created.text).toBe(201);
    const active = await h.call('PUT', '/api/v2/storefront/inventory-sources/guaranteed', {
      key: sf.seller.key,
      body: { status: 'ACTIVE' },
    });
    expect(active.status, active.text).toBe(200);

    for (const base of [second, first]) {
      // An agent built while a source had not yet said what it sells is rebuilt within seconds.
      const mcp = await within(
        () => overMcp(base, sf.platformId, buyer.key),
        (a) => a.tools.includes('get_products') && !a.specialisms.includes('sales-non-guaranteed'),
      );
      expect(mcp.tools).toEqual(
        expect.arrayContaining(['get_products', 'create_media_buy', 'get_media_buys']),
      );
      // The guaranteed seller has no list_creative_formats: the storefront does not offer one.
      expect(mcp.tools).not.toContain('list_creative_formats');
      // That seller names no specialism on the wire (@adcp/sdk 6.11 drops it from a seller
      // with a test controller): the storefront asks for its products, and every one is
      // delivery_type guaranteed, so it declares sales-guaranteed, not sales-non-guaranteed.
      expect([...mcp.specialisms].sort()).toEqual(['sales-guaranteed', 'sales-social']);
      const a2a = await overA2a(base, sf.platformId, buyer.key);
      expect(a2a.skills).toEqual(expect.arrayContaining(['get_products', 'create_media_buy']));
      expect([...a2a.specialisms].sort()).toEqual(['sales-guaranteed', 'sales-social']);
    }

    // What is offered answers: the guaranteed seller's products, through the storefront.
    const agent = await agentClient(second, sf.platformId, buyer.key);
    try {
      const products = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        account: live,
      });
      expect(products.isError, JSON.stringify(products)).toBe(false);
      expect(products.products.length, JSON.stringify(products)).toBeGreaterThan(0);
      expect(
        products.products.every((p: { product_id: string }) =>
          p.product_id.startsWith('guaranteed__'),
        ),
      ).toBe(true);
    } finally {
      await agent.close();
    }

    // Disabled again: the offer follows it back on the other instance.
    const disabled = await h.call('PUT', '/api/v2/storefront/inventory-sources/guaranteed', {
      key: sf.seller.key,
      body: { status: 'DISABLED' },
    });
    expect(disabled.status, disabled.text).toBe(200);
    const after = await within(
      () => overMcp(second, sf.platformId, buyer.key),
      (a) => !a.tools.includes('get_products'),
    );
    for (const tool of salesTools) expect(after.tools).not.toContain(tool);
    expect(after.specialisms).toEqual(['sales-social']);
  }, 120_000);
});
