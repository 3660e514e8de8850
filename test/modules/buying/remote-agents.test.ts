import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { downUrl, type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  type Json,
  productsOfAgent,
  remoteAgent,
  resultOfAgent,
  selectionOf,
} from './buying-support.js';

let h: Harness;
let origin: string;
let demo: RunningSeller;
let behindRemote: RunningSeller;
let a2a: RunningSeller;
let sdk: SdkSeller;
type Sf = { id: number; platformId: string };
let local: Sf;
let remoteStorefront: Sf;
/** The buyer with three remote agents: the SDK's example seller, the demo seller over A2A, and a storefront's own MCP endpoint. */
let buyer: TestCustomer;
let advertiserId: number;
let agents: { sdk: string; a2a: string; storefront: string };

const brief = 'Outdoor display for a spring launch';
const budgetMs = 6000;
const byCalls = (seller: RunningSeller, tool: string) =>
  seller.toolCalls().filter((c) => c.tool === tool).length;

beforeAll(async () => {
  // The default per-agent budget: room for a storefront reached by URL (two HTTP hops) and the
  // example seller on a loaded machine.
  h = await createHarness({
    INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: String(budgetMs),
    INTERCHANGE_SOURCE_BUDGET_MS: '6000',
  });
  origin = await listen(h);
  [demo, behindRemote, a2a, sdk] = await Promise.all([
    startSeller('mcp'),
    startSeller('mcp'),
    startSeller('a2a'),
    startSdkSeller(),
  ]);
  local = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  remoteStorefront = await storefrontWith(h, [{ sourceId: 'behind', url: behindRemote.url }]);
  const made = await buyerWithAdvertiser(h);
  buyer = made.buyer;
  advertiserId = Number(made.advertiserId);
  agents = {
    sdk: await remoteAgent(h, buyer.key, {
      name: 'SDK example seller',
      endpointUrl: sdk.url,
      protocol: 'mcp',
      auth: { type: 'bearer', token: sdk.token },
    }),
    a2a: await remoteAgent(h, buyer.key, {
      name: 'Demo seller over A2A',
      agentUrl: a2a.url,
      protocol: 'a2a',
    }),
    // Another Interchange storefront's own AdCP endpoint, reached over HTTP with the buyer's key.
    storefront: await remoteAgent(h, buyer.key, {
      name: 'A storefront by URL',
      endpointUrl: `${origin}/adcp/storefront-${remoteStorefront.platformId}/mcp`,
      auth: { type: 'bearer', token: buyer.key },
    }),
  };
  // First answers are slow (the example seller's tsx start-up and its mock's first query, each
  // storefront agent's first build): a real buyer's first discovery would show them timed out.
  await discover(h, buyer.key, { advertiserId, brief });
}, 60_000);
afterAll(async () => {
  await Promise.all([demo?.close(), behindRemote?.close(), a2a?.close(), sdk?.close()]);
  await h?.close();
});

describe('discovery over storefront and remote agents', () => {
  it('asks the remote agents beside the storefront agents and groups their products by agent', async () => {
    const found = await discover(h, buyer.key, { advertiserId, brief });
    expect(found.status, found.text).toBe(200);
    const page = found.body.data;
    expect(page.agentResults.map((a: Json) => a.agentId)).toEqual([
      `storefront-${local.platformId}`,
      `storefront-${remoteStorefront.platformId}`,
      agents.sdk,
      agents.a2a,
      agents.storefront,
    ]);
    for (const agentId of Object.values(agents)) {
      expect(resultOfAgent(page, agentId), agentId).toMatchObject({
        success: true,
        timedOut: false,
        storefronts: [],
      });
      const products = productsOfAgent(page, agentId);
      expect(products.length, agentId).toBeGreaterThan(0);
      expect(products[0]).toMatchObject({ salesAgentId: agentId, storefrontId: null });
    }
    expect(productsOfAgent(page, agents.a2a)[0].salesAgentName).toBe('Demo seller over A2A');
    // The storefront reached by URL answers the products it answers in process.
    expect(productsOfAgent(page, agents.storefront).map((p: Json) => p.productId)).toEqual(
      productsOfAgent(page, `storefront-${remoteStorefront.platformId}`).map(
        (p: Json) => p.productId,
      ),
    );
  });

  it('asks only the agents salesAgentIds names, and no remote agent for a storefrontIds filter', async () => {
    const named = await discover(h, buyer.key, {
      advertiserId,
      brief,
      salesAgentIds: [agents.a2a, `storefront-${local.platformId}`],
    });
    expect(named.body.data.agentResults.map((a: Json) => a.agentId)).toEqual([
      `storefront-${local.platformId}`,
      agents.a2a,
    ]);
    const before = byCalls(behindRemote, 'get_products');
    const storefrontsOnly = await discover(h, buyer.key, {
      advertiserId,
      brief,
      storefrontIds: [local.id],
    });
    expect(storefrontsOnly.body.data.agentResults.map((a: Json) => a.agentId)).toEqual([
      `storefront-${local.platformId}`,
    ]);
    expect(byCalls(behindRemote, 'get_products')).toBe(before);
  });

  it('reports a slow remote agent as timed out and a down one as failed, within the budget', async () => {
    const slow = await startSeller('mcp');
    try {
      const other = await buyerWithAdvertiser(h);
      const slowId = await remoteAgent(h, other.buyer.key, { name: 'Slow', endpointUrl: slow.url });
      const downId = await remoteAgent(h, other.buyer.key, {
        name: 'Down',
        endpointUrl: await downUrl(),
      });
      // Stalls far past the budget, so waiting for it could not pass for keeping to the budget.
      const stallMs = budgetMs * 5;
      slow.setDelay(stallMs);
      const started = Date.now();
      const found = await discover(h, other.buyer.key, {
        advertiserId: Number(other.advertiserId),
        brief,
        salesAgentIds: [slowId, downId, `storefront-${local.platformId}`],
      });
      expect(found.status, found.text).toBe(200);
      expect(Date.now() - started).toBeLessThan(stallMs);
      const page = found.body.data;
      expect(resultOfAgent(page, slowId)).toMatchObject({ success: false, timedOut: true });
      expect(resultOfAgent(page, downId)).toMatchObject({ success: false, timedOut: false });
      expect(resultOfAgent(page, downId).error).toBeTruthy();
      expect(resultOfAgent(page, `storefront-${local.platformId}`)).toMatchObject({
        success: true,
      });
      expect(page.incompleteAgents).toEqual([
        expect.objectContaining({ agentId: slowId, reason: 'timeout', storefronts: [] }),
      ]);
      expect(page).toMatchObject({ resultsComplete: false, retryWithLongerWaitAvailable: true });
    } finally {
      await slow.close();
    }
  });
});

describe('remote agents: status', () => {
  it('stops asking an agent once the buyer disables it, and asks it again once re-enabled', async () => {
    const seller = await startSeller('mcp');
    try {
      const other = await buyerWithAdvertiser(h);
      const agentId = await remoteAgent(h, other.buyer.key, {
        name: 'Own',
        endpointUrl: seller.url,
      });
      const ask = () =>
        discover(h, other.buyer.key, {
          advertiserId: Number(other.advertiserId),
          brief,
          salesAgentIds: [agentId],
        });
      expect(resultOfAgent((await ask()).body.data, agentId)).toMatchObject({ success: true });
      expect(byCalls(seller, 'get_products')).toBe(1);
      const set = (status: string) =>
        h.call('PUT', `/api/v2/buyer/sales-agents/${agentId}`, {
          key: other.buyer.key,
          body: { status },
        });
      expect((await set('DISABLED')).status).toBe(200);
      expect((await ask()).body.data.agentResults).toEqual([]);
      expect(byCalls(seller, 'get_products')).toBe(1);
      await set('ACTIVE');
      expect(resultOfAgent((await ask()).body.data, agentId)).toMatchObject({ success: true });
      expect(byCalls(seller, 'get_products')).toBe(2);
    } finally {
      await seller.close();
    }
  });
});

describe('remote agents: the outbound guard', () => {
  it('refuses to call an agent on a loopback address once private networks are not allowed', async () => {
    // The same database served by an instance that does not allow private networks: the agent
    // registered on loopback is refused at call time, reported per agent, and never reached.
    const guarded = await h.buildApp(
      { INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0' },
      { services: true },
    );
    const before = byCalls(behindRemote, 'get_products');
    const found = await h.call('POST', '/api/v2/buyer/discovery/discover-products', {
      key: buyer.key,
      app: guarded,
      body: { advertiserId, brief, salesAgentIds: [agents.storefront] },
    });
    expect(found.status, found.text).toBe(200);
    expect(resultOfAgent(found.body.data, agents.storefront)).toMatchObject({
      success: false,
      timedOut: false,
      error: expect.stringMatching(/private|loopback|blocked|refused/i),
    });
    expect(byCalls(behindRemote, 'get_products')).toBe(before);
  });
});

describe('campaigns over storefront and remote agents', () => {
  it('books one media buy per agent, once however many executes run, and pauses them at the sellers', async () => {
    const found = await discover(h, buyer.key, {
      advertiserId,
      brief,
      salesAgentIds: [`storefront-${local.platformId}`, ...Object.values(agents)],
    });
    const page = found.body.data;
    const agentIds = [`storefront-${local.platformId}`, ...Object.values(agents)];
    const picks = agentIds.map((id) => productsOfAgent(page, id)[0]);
    const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
      key: buyer.key,
      body: { products: picks.map((p) => selectionOf(p)) },
    });
    expect(selected.status, selected.text).toBe(200);
    const campaignId = await campaignOver(h, buyer.key, String(advertiserId), page.discoveryId);
    const [localBefore, remoteBefore] = [
      byCalls(demo, 'create_media_buy'),
      byCalls(behindRemote, 'create_media_buy'),
    ];
    const executes = await Promise.all(
      [1, 2, 3].map(() =>
        h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
          key: buyer.key,
          body: {},
        }),
      ),
    );
    for (const e of executes) expect(e.status, e.text).toBe(200);
    const executed = executes.reduce((n, e) => n + e.body.data.mediaBuysExecuted, 0);
    expect(executed).toBe(4);
    expect(executes.flatMap((e) => e.body.data.errors)).toEqual([]);
    // Each seller got create_media_buy once: the storefront's source, and the source behind
    // the storefront reached by URL.
    expect(byCalls(demo, 'create_media_buy')).toBe(localBefore + 1);
    expect(byCalls(behindRemote, 'create_media_buy')).toBe(remoteBefore + 1);

    const listed = await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/media-buys`, {
      key: buyer.key,
    });
    const buys: Json[] = listed.body.data.items;
    expect(buys.map((b) => b.salesAgentId).sort()).toEqual([...agentIds].sort());
    for (const buy of buys) {
      expect(['ACTIVE', 'PENDING_APPROVAL'], buy.salesAgentId).toContain(buy.status);
      expect(buy.sellerMediaBuyId, buy.salesAgentId).toBeTruthy();
      if (buy.salesAgentId.startsWith('remote-')) expect(buy.storefrontId).toBeNull();
    }
    const { rows } = (await h.database.db.execute(
      sql`select sales_agent_id, idempotency_key, account from campaign_media_buys where campaign_id = ${campaignId}`,
    )) as unknown as {
      rows: { sales_agent_id: string; idempotency_key: string; account: unknown }[];
    };
    for (const row of rows) {
      expect(row.idempotency_key).toBe(`${campaignId}.${row.sales_agent_id}`);
    }
    // A remote agent is booked under the brand, with the buyer as operator.
    expect(rows.find((r) => r.sales_agent_id === agents.a2a)?.account).toMatchObject({
      brand: { domain: 'acmeoutdoor.example' },
      operator: expect.any(String),
    });

    const status = await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}/media-buy-status`, {
      key: buyer.key,
    });
    expect(status.status, status.text).toBe(200);
    expect(status.body.data.media_buys).toHaveLength(4);

    const updatesBefore = byCalls(behindRemote, 'update_media_buy');
    const paused = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/pause`, {
      key: buyer.key,
    });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.body.data).toMatchObject({ previousStatus: 'ACTIVE', newStatus: 'PAUSED' });
    expect(byCalls(behindRemote, 'update_media_buy')).toBe(updatesBefore + 1);
    const pausedBuys = (
      await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/media-buys?status=PAUSED`, {
        key: buyer.key,
      })
    ).body.data.items as Json[];
    expect(pausedBuys.map((b) => b.salesAgentId)).toEqual(
      expect.arrayContaining([agents.a2a, agents.storefront]),
    );
    const resumed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/reactivate`, {
      key: buyer.key,
    });
    expect(resumed.body.data).toMatchObject({ previousStatus: 'PAUSED', newStatus: 'ACTIVE' });
  });
});

describe('remote agents: isolation', () => {
  it("never asks another buyer's remote agent, even when named", async () => {
    const other = await buyerWithAdvertiser(h);
    const before = byCalls(behindRemote, 'get_products');
    const found = await discover(h, other.buyer.key, {
      advertiserId: Number(other.advertiserId),
      brief,
      salesAgentIds: [agents.storefront, agents.a2a],
    });
    expect(found.status).toBe(200);
    expect(found.body.data.agentResults).toEqual([]);
    expect(byCalls(behindRemote, 'get_products')).toBe(before);
    const peek = await h.call('GET', `/api/v2/buyer/sales-agents/${agents.storefront}`, {
      key: other.buyer.key,
    });
    expect(peek.status).toBe(404);
  });
});
