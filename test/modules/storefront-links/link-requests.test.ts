import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { mcpClient } from '../../mcp/mcp-support.js';
import { consoleClient, csrfOf } from '../../web/console-client.js';

/**
 * Link requests, the upstream's side: a storefront asks to sell another's inventory; the
 * upstream seller approves, denies or revokes, over REST and over its MCP server; links that
 * would make a loop are refused when asked for; nobody else sees or decides them.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

type Store = Awaited<ReturnType<typeof storefrontWith>>;
const agentUrlOf = (s: Store) => `${h.config.publicUrl}/adcp/storefront-${s.platformId}/mcp`;
const ask = (requester: Store, upstream: Store, name = 'Downstream') =>
  h.call('POST', '/api/v2/buyer/storefront-links', {
    key: requester.seller.key,
    body: {
      platformId: upstream.platformId,
      downstream: { agentUrl: agentUrlOf(requester), name },
      note: 'We would like to resell your CTV inventory',
    },
  });

describe('link requests', () => {
  it('waits for the upstream seller, who approves, revokes, and sees a renewed request again', async () => {
    const upstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const downstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const asked = await ask(downstream, upstream);
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body.data).toMatchObject({
      status: 'PENDING',
      upstream: { storefrontId: upstream.id, platformId: upstream.platformId },
      downstream: { storefrontId: downstream.id, name: 'Downstream' },
      requester: { customerId: downstream.seller.id, domain: expect.stringMatching(/\.example$/) },
    });
    const id = asked.body.data.id as string;

    const pending = await h.call('GET', '/api/v2/storefront/link-requests?status=PENDING', {
      key: upstream.seller.key,
    });
    expect(pending.body.data).toMatchObject({ total: 1, items: [{ id, status: 'PENDING' }] });

    const approved = await h.call('POST', `/api/v2/storefront/link-requests/${id}/approve`, {
      key: upstream.seller.key,
    });
    expect(approved.body.data).toMatchObject({ status: 'ACTIVE', decidedAt: expect.any(String) });
    const again = await h.call('POST', `/api/v2/storefront/link-requests/${id}/approve`, {
      key: upstream.seller.key,
    });
    expect(again.status).toBe(409);

    const revoked = await h.call('POST', `/api/v2/storefront/link-requests/${id}/revoke`, {
      key: upstream.seller.key,
      body: { reason: 'Exclusive deal elsewhere' },
    });
    expect(revoked.body.data).toMatchObject({
      status: 'REVOKED',
      reason: 'Exclusive deal elsewhere',
    });
    const mine = await h.call('GET', '/api/v2/buyer/storefront-links', {
      key: downstream.seller.key,
    });
    expect(mine.body.data.items).toEqual([expect.objectContaining({ id, status: 'REVOKED' })]);

    const renewed = await ask(downstream, upstream);
    expect(renewed.body.data).toMatchObject({ id, status: 'PENDING', reason: null });
    const denied = await h.call('POST', `/api/v2/storefront/link-requests/${id}/deny`, {
      key: upstream.seller.key,
    });
    expect(denied.body.data.status).toBe('REJECTED');
  });

  it('is decided over the storefront MCP server too', async () => {
    const upstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const downstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const id = (await ask(downstream, upstream)).body.data.id as string;
    const mcp = await mcpClient(base, 'storefront', upstream.seller.key);
    try {
      const listed = await mcp.call('api_call', {
        method: 'GET',
        path: '/api/v2/storefront/link-requests',
      });
      expect(listed.data.items).toEqual([expect.objectContaining({ id, status: 'PENDING' })]);
      const approved = await mcp.call('api_call', {
        method: 'POST',
        path: `/api/v2/storefront/link-requests/${id}/approve`,
      });
      expect(approved.data.status).toBe('ACTIVE');
    } finally {
      await mcp.close();
    }
  });

  it('refuses a link that would make a loop, directly or through others, when it is asked for', async () => {
    const a = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const b = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const c = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    expect((await ask(a, b)).status).toBe(201); // A sells B
    const direct = await ask(b, a); // B selling A: A already sells B
    expect(direct.status).toBe(400);
    expect(direct.body.error).toMatchObject({ code: 'LINK_LOOP' });
    expect((await ask(b, c)).status).toBe(201); // B sells C
    const around = await ask(c, a); // C selling A: A sells B sells C
    expect(around.body.error?.code).toBe('LINK_LOOP');
    const self = await h.call('POST', '/api/v2/buyer/storefront-links', {
      key: a.seller.key,
      body: { platformId: a.platformId, downstream: { agentUrl: agentUrlOf(a), name: 'Me' } },
    });
    expect(self.body.error?.code).toBe('LINK_LOOP');
    // A link that was denied no longer counts.
    const ab = (await h.call('GET', '/api/v2/storefront/link-requests', { key: b.seller.key })).body
      .data.items[0].id;
    await h.call('POST', `/api/v2/storefront/link-requests/${ab}/deny`, { key: b.seller.key });
    expect((await ask(b, a)).status).toBe(201);
  });
});

describe('link requests in the console', () => {
  it('lists the requests to the seller, who approves one, and refuses another seller the same form', async () => {
    const upstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const downstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const id = (await ask(downstream, upstream, 'Partner Network')).body.data.id as string;
    const { get, post, signIn } = consoleClient(() => h.app);
    const session = await signIn(upstream.seller.key);
    const page = await get('/console/link-requests', session.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Partner Network');
    expect(page.body).toContain('We would like to resell your CTV inventory');
    const intruder = await signIn(downstream.seller.key);
    const refused = await post(
      `/console/link-requests/${id}/approve`,
      { csrf: intruder.csrf },
      intruder.cookie,
    );
    expect(refused.statusCode).toBe(404);
    const approved = await post(
      `/console/link-requests/${id}/approve`,
      { csrf: csrfOf(page.body) },
      session.cookie,
    );
    expect(approved.statusCode, approved.body).toBe(303);
    const after = await h.call('GET', `/api/v2/storefront/link-requests/${id}`, {
      key: upstream.seller.key,
    });
    expect(after.body.data.status).toBe('ACTIVE');
  });
});

describe('link request isolation', () => {
  it("answers another storefront's requests as not found, and refuses buyers the seller routes", async () => {
    const upstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const downstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const id = (await ask(downstream, upstream)).body.data.id as string;
    const other = await createCustomer(h, { role: 'SELLER' });
    for (const action of ['approve', 'deny', 'revoke']) {
      const res = await h.call('POST', `/api/v2/storefront/link-requests/${id}/${action}`, {
        key: other.key,
      });
      expect(res.status, action).toBe(404);
    }
    expect(
      (await h.call('GET', `/api/v2/storefront/link-requests/${id}`, { key: other.key })).status,
    ).toBe(404);
    expect(
      (await h.call('GET', '/api/v2/storefront/link-requests', { key: other.key })).body.data.total,
    ).toBe(0);
    // The downstream cannot decide its own request either.
    expect(
      (
        await h.call('POST', `/api/v2/storefront/link-requests/${id}/approve`, {
          key: downstream.seller.key,
        })
      ).status,
    ).toBe(404);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const asBuyer = await h.call('GET', '/api/v2/storefront/link-requests', { key: buyer.key });
    expect(asBuyer.status).toBe(403);
    // Nobody may ask in the name of a storefront of another organisation.
    const impostor = await h.call('POST', '/api/v2/buyer/storefront-links', {
      key: buyer.key,
      body: {
        platformId: upstream.platformId,
        downstream: { agentUrl: agentUrlOf(downstream), name: 'Not mine' },
      },
    });
    expect(impostor.status).toBe(400);
    expect(impostor.body.error.field).toBe('downstream.agentUrl');
    // An upstream the caller may not see does not exist for it.
    const hidden = await createCustomer(h, { role: 'SELLER' });
    const hiddenSf = await h.call('GET', '/api/v2/storefront', { key: hidden.key });
    const unseen = await h.call('POST', '/api/v2/buyer/storefront-links', {
      key: buyer.key,
      body: {
        platformId: hiddenSf.body.data.platformId,
        downstream: { agentUrl: 'https://elsewhere.example/adcp/storefront-x', name: 'X' },
      },
    });
    expect(unseen.status).toBe(404);
  });
});
