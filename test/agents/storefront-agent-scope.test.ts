import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { resetRateWindows } from '../support/rate-windows.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';

let h: Harness;
let base: string;
let one: RunningSeller;
let two: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  [one, two] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await h.close();
});

type Product = {
  product_id: string;
  pricing_options: Array<{
    pricing_option_id: string;
    fixed_price?: number;
    price_breakdown?: unknown;
  }>;
  ext?: { interchange?: Record<string, unknown> };
};

const rawPost = (url: string, key?: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(key && { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });

async function signUp(sellerKey: string, storefrontId: number, approvalPolicy: string) {
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: sellerKey,
    body: { storefrontId, approvalPolicy },
  });
  const res = await h.call('POST', `/api/v2/storefront/join/${link.body.data.slug}/signup`, {
    body: {
      name: 'Sponsored Co',
      email: `b${randomUUID()}@brand.example`,
      brandDomain: 'brand.example',
      acceptTerms: true,
    },
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.body.data.apiKey as string;
}

describe('who may use a storefront agent', () => {
  it('asks for a key, hides unlisted storefronts from strangers, and serves the owner and its sponsored buyers', async () => {
    const listed = await storefrontWith(h, [{ sourceId: 'main', url: one.url }]);
    const unlisted = await storefrontWith(h, [{ sourceId: 'main', url: one.url }]);
    await h.call('POST', `/api/v2/admin/storefronts/${unlisted.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'hide' },
    });
    const stranger = await createCustomer(h, { role: 'BUYER' });
    const url = (platformId: string) => `${base}/adcp/storefront-${platformId}/mcp`;

    expect((await rawPost(url(listed.platformId))).status).toBe(401);
    expect((await rawPost(url(listed.platformId), 'ix_not_a_key')).status).toBe(401);
    expect((await rawPost(`${base}/adcp/storefront-no-such-thing/mcp`, stranger.key)).status).toBe(
      404,
    );
    expect((await rawPost(url(listed.platformId), stranger.key)).status).toBe(200);
    expect((await rawPost(url(unlisted.platformId), stranger.key)).status).toBe(404);
    expect((await rawPost(url(unlisted.platformId), unlisted.seller.key)).status).toBe(200);

    // A buyer sponsored by the hidden storefront uses it, and nothing else.
    const sponsored = await signUp(unlisted.seller.key, unlisted.id, 'auto_approve');
    expect((await rawPost(url(unlisted.platformId), sponsored)).status).toBe(200);
    expect((await rawPost(url(listed.platformId), sponsored)).status).toBe(404);

    const card = await fetch(
      `${base}/adcp/storefront-${listed.platformId}/a2a/.well-known/agent-card.json`,
    );
    expect(card.status).toBe(200);
    const skills = ((await card.json()) as { skills: Array<{ id: string }> }).skills.map(
      (s) => s.id,
    );
    expect(skills).toEqual(
      expect.arrayContaining(['get_products', 'create_media_buy', 'get_adcp_capabilities']),
    );
    const hiddenCard = await fetch(
      `${base}/adcp/storefront-${unlisted.platformId}/a2a/.well-known/agent-card.json`,
    );
    expect(hiddenCard.status).toBe(401);
  });

  it('counts agent calls against the caller’s key', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: one.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const other = await createCustomer(h, { role: 'BUYER' });
    const limited = await h.buildApp({ INTERCHANGE_RATE_LIMIT: '3' });
    await limited.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(limited.server.address() as AddressInfo).port}/adcp/storefront-${sf.platformId}/mcp`;
    await resetRateWindows(h);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await rawPost(url, buyer.key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await rawPost(url, buyer.key);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key has its own bucket (made before the reset: the set-up's calls count too).
    expect((await rawPost(url, other.key)).status).toBe(200);
  });

  it('lets a pending sponsored buyer discover but not buy', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: one.url }]);
    const pending = await signUp(sf.seller.key, sf.id, 'manual_approve');
    const agent = await agentClient(base, sf.platformId, pending);
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(products.length).toBeGreaterThan(0);
      const refused = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'pending_co' },
        brand: { domain: 'brand.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: products[0].product_id,
            pricing_option_id: products[0].pricing_options[0].pricing_option_id,
            budget: 20_000,
          },
        ],
      });
      expect(refused.isError).toBe(true);
      expect(refused.adcp_error.code).toBe('PERMISSION_DENIED');
      expect(
        one
          .toolCalls()
          .filter(
            (c) => c.tool === 'create_media_buy' && JSON.stringify(c.args).includes('pending_co'),
          ),
      ).toEqual([]);
    } finally {
      await agent.close();
    }
  });
});

describe('passthrough and buyer instructions', () => {
  it('passthrough proxies one source with the storefront overlay and the buyer’s discount', async () => {
    const sf = await storefrontWith(
      h,
      [
        { sourceId: 'first', url: one.url },
        { sourceId: 'second', url: two.url },
      ],
      { storefrontType: 'passthrough' },
    );
    await h.call('POST', '/api/v2/storefront/buyer-instructions', {
      key: sf.seller.key,
      body: {
        operatorDomain: null,
        brandDomain: 'acme.example',
        discountPercent: 10,
        notes: null,
        countries: null,
      },
    });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const list = async (brand?: string) =>
        (
          await agent.call('get_products', {
            buying_mode: 'wholesale',
            ...(brand && { brand: { domain: brand } }),
          })
        ).products as Product[];
      const plain = await list();
      const acme = await list('acme.example');
      expect(plain.every((p) => p.product_id.startsWith('first__'))).toBe(true);
      expect(plain[0]?.ext?.interchange).toMatchObject({
        storefront: `storefront-${sf.platformId}`,
        source_id: 'first',
      });
      const fixed = (products: Product[]) =>
        products.flatMap((p) =>
          p.pricing_options
            .filter((o) => o.fixed_price !== undefined)
            .map((o) => ({ id: `${p.product_id}/${o.pricing_option_id}`, price: o.fixed_price! })),
        );
      const before = new Map(fixed(plain).map((o) => [o.id, o.price]));
      const after = fixed(acme);
      expect(after.length).toBeGreaterThan(0);
      // An AdCP agent's fixed price is shown as the agent quotes it, whatever the buyer's
      // discount: a storefront shows only prices its sources can book (AdCP cannot tell an agent
      // a fixed price; docs/merchandising.md). The discount reaches kinds that book quoted prices.
      for (const option of after) expect(option.price).toBe(before.get(option.id));
    } finally {
      await agent.close();
    }
  });

  it('applies the highest discount among the rows matching operator, brand and country', async () => {
    // A spreadsheet source books the price it is told, so the buyer's discount shows on it.
    const sf = await modularStorefront(h);
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('hp', 500_000, 20)}`);
    const rows = [
      { operatorDomain: null, brandDomain: null, discountPercent: 5, countries: null },
      {
        operatorDomain: 'agency.example',
        brandDomain: null,
        discountPercent: 20,
        countries: ['FR'],
      },
      {
        operatorDomain: 'agency.example',
        brandDomain: 'acme.example',
        discountPercent: 12,
        countries: null,
      },
    ];
    for (const row of rows) {
      const res = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
        key: sf.seller.key,
        body: { notes: null, ...row },
      });
      expect(res.status).toBe(201);
    }
    // The agency the instructions name, naming itself as operator (upstream-account.ts).
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'agency.example' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const rate = async (args: Record<string, unknown>) => {
        const { products } = await agent.call('get_products', {
          buying_mode: 'wholesale',
          ...args,
        });
        const option = (products as Product[])
          .flatMap((p) => p.pricing_options)
          .find((o) => o.price_breakdown);
        const breakdown = option?.price_breakdown as
          { adjustments: Array<{ rate: number }> } | undefined;
        return breakdown?.adjustments.at(-1)?.rate ?? 0;
      };
      const account = { brand: { domain: 'acme.example' }, operator: 'agency.example' };
      expect(await rate({})).toBe(0.05);
      expect(await rate({ account })).toBe(0.12);
      expect(await rate({ account, filters: { countries: ['FR'] } })).toBe(0.2);
      expect(await rate({ account, filters: { countries: ['DE'] } })).toBe(0.12);
    } finally {
      await agent.close();
    }
  });
});
