import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { day } from '../modules/modular-sources/support.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * A 3.1 buyer's frequency caps on a linked storefront's products (issue 49): storefront A resells
 * storefront B (same instance, called in process). B sells two agents: `agent` enforces caps per
 * individuals or households in days (its capabilities declare frequency_capping), `plain`
 * vouches for none. B declares frequency_capping to 3.1 callers only; A probes B as one, so its
 * 3.1 buyer's cap reaches B as written and is held on B's booking, a cap B cannot honour is
 * refused at A before anything is booked anywhere, and B itself refuses a cap on `plain`'s
 * products. A 3.0 buyer's cap goes to B as before 3.1. Over MCP with the official client.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let plain: RunningSeller;

const declared = {
  supported_per_units: ['individuals', 'households'],
  supported_window_units: ['days'],
};
const v31 = { adcp_version: '3.1' };
const cap = (per = 'individuals') => ({
  max_impressions: 3,
  per,
  window: { interval: 1, unit: 'days' },
});
type Store = Awaited<ReturnType<typeof storefrontWith>>;
type Offered = { product_id: string; pricing_options: Array<{ pricing_option_id: string }> };
type Packages = Array<{ package_id: string; targeting_overlay?: Record<string, unknown> }>;

let a: Store;
let b: Store;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  seller = await startSeller('mcp');
  plain = await startSeller('mcp');
  // The demo seller's capabilities answer, declaring the caps it enforces (as a 3.1 seller would).
  const caps = await capabilitiesOf(seller.url);
  seller.answerInstead!('get_adcp_capabilities', {
    data: {
      ...caps,
      media_buy: { ...(caps['media_buy'] as object), frequency_capping: declared },
    },
  });
  b = await storefrontWith(h, [
    { sourceId: 'agent', url: seller.url },
    { sourceId: 'plain', url: plain.url },
  ]);
  a = await storefrontWith(h, [{ sourceId: 'own', url: plain.url }]);
  await link(a, b);
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await plain?.close();
  await h?.close();
});

async function capabilitiesOf(url: string): Promise<Record<string, unknown>> {
  const client = new Client({ name: 'linked-caps-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const result = await client.callTool({ name: 'get_adcp_capabilities', arguments: {} });
    return result.structuredContent as Record<string, unknown>;
  } finally {
    await client.close();
  }
}

const agentUrl = (s: Store) => `${base}/adcp/storefront-${s.platformId}/mcp`;

/** A sells B through an approved link, its source presenting A's seller key to B. */
async function link(downstream: Store, upstream: Store) {
  const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: downstream.seller.key,
    body: {
      name: 'Linked',
      sourceId: 'linked',
      executionType: 'LINKED_STOREFRONT',
      endpointUrl: agentUrl(upstream),
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: downstream.seller.key },
    },
  });
  expect(created.status, created.text).toBe(201);
  const active = await h.call('PUT', '/api/v2/storefront/inventory-sources/linked', {
    key: downstream.seller.key,
    body: { status: 'ACTIVE' },
  });
  expect(active.status, active.text).toBe(200);
  const asked = await h.call('POST', '/api/v2/buyer/storefront-links', {
    key: downstream.seller.key,
    body: {
      platformId: upstream.platformId,
      downstream: { agentUrl: agentUrl(downstream), name: 'Downstream' },
    },
  });
  expect(asked.status, asked.text).toBe(201);
  const approved = await h.call(
    'POST',
    `/api/v2/storefront/link-requests/${asked.body.data.id}/approve`,
    { key: upstream.seller.key },
  );
  expect(approved.body.data.status).toBe('ACTIVE');
}

/** A new buyer at A (pinned 3.1 unless told `3.0`), and its buys of B's products through A. */
async function buyerAtA(release: '3.1' | '3.0' = '3.1') {
  const domain = `agency-${randomUUID().slice(0, 8)}.example`;
  const customer = await createCustomer(h, { role: 'BUYER', domain });
  const agent = await agentClient(base, a.platformId, customer.key);
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  /** A package of B's product from its source `sourceId`, as A offers it. */
  const pkg = (sourceId: 'agent' | 'plain', overlay?: Record<string, unknown>) => {
    const product = (products as Offered[]).find((p) =>
      p.product_id.startsWith(`linked__${sourceId}__`),
    );
    if (!product) throw new Error(`no product of ${sourceId}: ${JSON.stringify(products)}`);
    return {
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      budget: 10_000,
      ...(overlay && { targeting_overlay: overlay }),
    };
  };
  const pin = release === '3.1' ? v31 : {};
  const buy = (packages: unknown[]) =>
    agent.call('create_media_buy', {
      ...pin,
      idempotency_key: randomUUID(),
      account: { brand: { domain: 'acme.example' }, operator: domain },
      brand: { domain: 'acme.example' },
      start_time: 'asap',
      end_time: day(14),
      packages,
    });
  const buys = async () =>
    (await agent.call('get_media_buys', pin)).media_buys as Array<Record<string, unknown>>;
  return { agent, pkg, buy, buys };
}

/** B's buys as A's seller (its link's requester, whose buys they are there) reads them at B. */
async function buysAtB(): Promise<Array<Record<string, unknown>>> {
  const agent = await agentClient(base, b.platformId, a.seller.key);
  try {
    const answer = await agent.call('get_media_buys', { ...v31 });
    expect(answer.isError, JSON.stringify(answer)).toBe(false);
    return answer.media_buys as Array<Record<string, unknown>>;
  } finally {
    await agent.close();
  }
}

const creates = (at: RunningSeller) => at.toolCalls().filter((c) => c.tool === 'create_media_buy');

describe("a 3.1 buyer's frequency cap on a linked storefront's products", () => {
  it('reaches the linked storefront as written and is held on its booking there', async () => {
    const buyer = await buyerAtA();
    try {
      const before = creates(seller).length;
      const atBBefore = (await buysAtB()).map((m) => m['media_buy_id']);
      const created = await buyer.buy([buyer.pkg('agent', { frequency_cap: cap() })]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      // B booked it with its agent, the cap as the buyer wrote it.
      const sent = creates(seller).slice(before);
      expect(sent).toHaveLength(1);
      const packages = sent[0]!.args['packages'] as Packages;
      expect(packages[0]!.targeting_overlay).toEqual({ frequency_cap: cap() });
      // Read at B: its new buy holds the cap.
      const [atB, ...more] = (await buysAtB()).filter(
        (m) => !atBBefore.includes(m['media_buy_id']),
      );
      expect(more).toEqual([]);
      const held = atB!['packages'] as Packages;
      expect(held.map((p) => p.targeting_overlay)).toEqual([{ frequency_cap: cap() }]);
      // A tells its buyer the buy's status as B has it (B's 3.1 answer keeps the task's
      // `status` apart from `media_buy_status`), and reads the cap back too.
      expect(created.media_buy_status).toBe(atB!['status']);
      const [atA] = await buyer.buys();
      expect((atA!['packages'] as Packages).map((p) => p.targeting_overlay)).toEqual([
        { frequency_cap: cap() },
      ]);
    } finally {
      await buyer.agent.close();
    }
  }, 90_000);

  it('refuses at A a cap B cannot honour, before anything is booked anywhere', async () => {
    const buyer = await buyerAtA();
    try {
      const before = creates(seller).length + creates(plain).length;
      const atBBefore = (await buysAtB()).length;
      const refused = await buyer.buy([buyer.pkg('agent', { frequency_cap: cap('devices') })]);
      expect(refused.adcp_error).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        field: 'packages[0].targeting_overlay.frequency_cap',
        recovery: 'correctable',
      });
      expect(refused.adcp_error.message).toContain('devices');
      expect(creates(seller).length + creates(plain).length).toBe(before);
      expect((await buysAtB()).length).toBe(atBBefore);
      expect(await buyer.buys()).toEqual([]);
    } finally {
      await buyer.agent.close();
    }
  }, 90_000);

  it("is refused by B on a product of B's source that vouches for no cap, never passed to it", async () => {
    const buyer = await buyerAtA();
    try {
      const before = creates(plain).length;
      const refused = await buyer.buy([buyer.pkg('plain', { frequency_cap: cap() })]);
      // B's own refusal, at the package's field (the buy's only package, so the same index).
      expect(refused.adcp_error, JSON.stringify(refused)).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        field: 'packages[0].targeting_overlay.frequency_cap',
        recovery: 'correctable',
      });
      expect(refused.adcp_error.message).toContain('does not enforce frequency caps');
      expect(creates(plain).length).toBe(before);
    } finally {
      await buyer.agent.close();
    }
  }, 90_000);

  it("passes a 3.0 buyer's cap to B as before 3.1, for B to judge", async () => {
    const buyer = await buyerAtA('3.0');
    try {
      const before = creates(seller).length;
      const created = await buyer.buy([buyer.pkg('agent', { frequency_cap: cap('devices') })]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const sent = creates(seller).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.args).not.toHaveProperty('adcp_version');
      const packages = sent[0]!.args['packages'] as Packages;
      expect(packages[0]!.targeting_overlay).toEqual({ frequency_cap: cap('devices') });
    } finally {
      await buyer.agent.close();
    }
  }, 90_000);
});
