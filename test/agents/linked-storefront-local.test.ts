import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { consoleClient } from '../web/console-client.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * Linked storefronts on one instance: the upstream is called in process (no loopback HTTP), as
 * the link's requester; the upstream's agent refuses calls through no ACTIVE link, around a
 * loop, or deeper than the hop limit, whoever sends them.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

type Store = Awaited<ReturnType<typeof storefrontWith>>;
const agentUrl = (s: Store) => `${base}/adcp/storefront-${s.platformId}/mcp`;
const keyOf = (s: Store) => `${base}/adcp/storefront-${s.platformId}`;

async function link(downstream: Store, upstream: Store, sourceId = 'linked') {
  const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: downstream.seller.key,
    body: {
      name: 'Linked',
      sourceId,
      executionType: 'LINKED_STOREFRONT',
      endpointUrl: agentUrl(upstream),
      // What the capability probe presents (over HTTP); calls go in process as the requester.
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: downstream.seller.key },
    },
  });
  expect(created.status, created.text).toBe(201);
  const active = await h.call('PUT', `/api/v2/storefront/inventory-sources/${sourceId}`, {
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
  return asked.body.data.id as string;
}

const decide = (upstream: Store, id: string, action: 'approve' | 'revoke') =>
  h.call('POST', `/api/v2/storefront/link-requests/${id}/${action}`, { key: upstream.seller.key });

async function productsAt(store: Store, key: string) {
  const agent = await agentClient(base, store.platformId, key);
  try {
    return (await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'video',
      brand: { domain: 'acmeoutdoor.example' },
    })) as {
      isError: boolean;
      products: Array<{ product_id: string }>;
      errors?: Array<{ code: string; details?: Record<string, unknown> }>;
    };
  } finally {
    await agent.close();
  }
}

describe('a storefront linked on the same instance', () => {
  it('is called in process once approved, and shows nothing before approval or after revocation', async () => {
    const upstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const downstream = await storefrontWith(h, [{ sourceId: 'own', url: seller.url }]);
    const id = await link(downstream, upstream);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const linked = (r: Awaited<ReturnType<typeof productsAt>>) =>
      r.products.filter((p) => p.product_id.startsWith('linked'));

    const pending = await productsAt(downstream, buyer.key);
    expect(linked(pending)).toEqual([]);
    expect(pending.errors).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ source_id: 'linked' }) }),
    ]);

    expect((await decide(upstream, id, 'approve')).body.data.status).toBe('ACTIVE');
    let overHttp = 0;
    const count = (request: { url?: string }) => {
      if (request.url?.startsWith(`/adcp/storefront-${upstream.platformId}/`)) overHttp += 1;
    };
    h.app.server.on('request', count);
    try {
      const open = await productsAt(downstream, buyer.key);
      expect(open.errors).toBeUndefined();
      expect(linked(open).length).toBeGreaterThan(0);
      expect(overHttp).toBe(0);
    } finally {
      h.app.server.off('request', count);
    }

    expect((await decide(upstream, id, 'revoke')).body.data.status).toBe('REVOKED');
    expect(linked(await productsAt(downstream, buyer.key))).toEqual([]);

    // The downstream seller's console says what the source is and what it takes to flow.
    const { get, signIn } = consoleClient(() => h.app);
    const session = await signIn(downstream.seller.key);
    const page = await get('/console/sources/linked', session.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Linked storefront');
    expect(page.body).toContain(`storefront-${upstream.platformId}/mcp`);
    const form = await get('/console/sources/new', session.cookie);
    expect(form.body).toContain('value="LINKED_STOREFRONT"');
  });

  it('refuses a linked call around a loop, past the hop limit, or through no approved link of the caller', async () => {
    const upstream = await storefrontWith(h, [{ sourceId: 'inv', url: seller.url }]);
    const caller = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, upstream.platformId, caller.key);
    const ask = (chain: unknown) =>
      agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        brand: { domain: 'acmeoutdoor.example' },
        ext: { interchange: { link: { chain } } },
      });
    try {
      const plain = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        brand: { domain: 'acmeoutdoor.example' },
      });
      expect(plain.products.length).toBeGreaterThan(0);
      const codeOf = (answer: Record<string, unknown>) => {
        expect(answer.isError).toBe(true);
        const text = JSON.stringify(answer);
        return `${text.match(/"code":"([A-Z_]+)"/)?.[1]}/${text.match(/"reason":"([a-z_]+)"/)?.[1]}`;
      };
      expect(codeOf(await ask(['https://a.example/adcp/storefront-x', keyOf(upstream)]))).toBe(
        'INVALID_REQUEST/link_loop',
      );
      const far = ['a', 'b', 'c', 'd', 'e'].map((n) => `https://${n}.example/adcp/storefront-${n}`);
      expect(codeOf(await ask(far))).toBe('INVALID_REQUEST/link_too_deep');
      expect(codeOf(await ask(['https://unlinked.example/adcp/storefront-z']))).toBe(
        'PERMISSION_DENIED/link_not_approved',
      );
      expect(codeOf(await ask('not a list'))).toBe('INVALID_REQUEST/link_chain_invalid');
      // Another customer naming an approved downstream does not ride on its link.
      const downstream = await storefrontWith(h, [{ sourceId: 'own', url: seller.url }]);
      const id = await link(downstream, upstream);
      expect((await decide(upstream, id, 'approve')).body.data.status).toBe('ACTIVE');
      expect(codeOf(await ask([keyOf(downstream)]))).toBe('PERMISSION_DENIED/link_not_approved');
    } finally {
      await agent.close();
    }
  });

  it('ends a loop that links made elsewhere formed, at call time', async () => {
    const a = await storefrontWith(h, [{ sourceId: 'own', url: seller.url }]);
    const b = await storefrontWith(h, [{ sourceId: 'own', url: seller.url }]);
    const ab = await link(a, b, 'linked'); // A sells B
    expect((await decide(b, ab, 'approve')).status).toBe(200);
    // B selling A is refused when asked for here; a link made where this instance cannot see
    // it (another instance's records) is stood in for by writing it directly.
    await h.database.queryable.query(
      `insert into storefront_links (upstream_storefront_id, requester_customer_id, downstream_agent_key, downstream_name, status)
       values ($1, $2, $3, 'B', 'ACTIVE')`,
      [a.id, b.seller.id, keyOf(b)],
    );
    const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
      key: b.seller.key,
      body: {
        name: 'A',
        sourceId: 'back',
        executionType: 'LINKED_STOREFRONT',
        endpointUrl: agentUrl(a),
        authenticationType: 'API_KEY',
        auth: { type: 'bearer', token: b.seller.key },
      },
    });
    expect(created.status, created.text).toBe(201);
    await h.call('PUT', '/api/v2/storefront/inventory-sources/back', {
      key: b.seller.key,
      body: { status: 'ACTIVE' },
    });

    const buyer = await createCustomer(h, { role: 'BUYER' });
    const started = performance.now();
    const answer = await productsAt(a, buyer.key);
    expect(performance.now() - started).toBeLessThan(10_000);
    // A's own products and B's own (through the link) come back; B's way back to A is refused.
    const ids = answer.products.map((p) => p.product_id);
    expect(ids.some((id) => id.startsWith('own'))).toBe(true);
    expect(ids.some((id) => id.startsWith('linked') && id.includes('own'))).toBe(true);
    expect(ids.some((id) => id.includes('back'))).toBe(false);
    expect(JSON.stringify(answer.errors)).toContain('back');
  });
});
