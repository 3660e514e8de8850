import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import {
  type CallResult,
  createCustomer,
  createHarness,
  type Harness,
  type TestCustomer,
} from '../harness.js';
import { agentClient, listen, storefrontWith } from '../agents/storefront-agent-support.js';

/**
 * docs/security.md, "Bad input": text PostgreSQL cannot store (NUL, unpaired surrogates) and
 * ids past its integer range answer 400 VALIDATION_ERROR naming the field, on REST, on the
 * /join form and on the storefront agents; an over-long path parameter answers the envelope
 * without echoing the URL. (test/security/fuzz.test.ts sends such input everywhere.)
 */
let h: Harness;
let base: string;
let upstream: RunningSeller;
let seller: TestCustomer;
let buyer: TestCustomer;
let storefront: { id: number; platformId: string };
let slug: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  upstream = await startSeller('mcp');
  const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: upstream.url }]);
  seller = sf.seller;
  storefront = sf;
  buyer = await createCustomer(h, { role: 'BUYER' });
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: seller.key,
    body: { storefrontId: sf.id },
  });
  slug = link.body.data.slug;
});
afterAll(async () => {
  await upstream?.close();
  await h.close();
});

function expectRefused(res: CallResult, field: string, location?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body).toMatchObject({
    data: null,
    error: { code: 'VALIDATION_ERROR', field, ...(location && { details: { location } }) },
    meta: { requestId: expect.any(String) },
  });
}

describe('text the database cannot store, on REST', () => {
  it('refuses a NUL in a body field, naming it', async () => {
    const res = await h.call('POST', '/api/v2/storefront/operating-instructions', {
      key: seller.key,
      body: { content: 'a\u0000b' },
    });
    expectRefused(res, 'content');
    expect(res.body.error.message).toContain('NUL');
  });

  it('refuses a lone surrogate in a field recorded as jsonb activity', async () => {
    const res = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { name: '\ud800' },
    });
    expectRefused(res, 'name');
  });

  it('refuses a NUL in the public join signup, creating nobody', async () => {
    const res = await h.call('POST', `/api/v2/storefront/join/${slug}/signup`, {
      body: {
        name: 'Nul\u0000Agency',
        email: `nul-${randomUUID()}@agency.example`,
        brandDomain: 'agency.example',
        acceptTerms: true,
      },
    });
    expectRefused(res, 'name');
  });

  it('names query and path parameters as zod does, with where they came from', async () => {
    expectRefused(
      await h.call('GET', '/api/v2/buyer/storefronts?name=%00', { key: buyer.key }),
      'name',
      'querystring',
    );
    expectRefused(
      await h.call('GET', '/api/v2/storefront/inventory-sources/a%00b', { key: seller.key }),
      'sourceId',
      'params',
    );
  });

  it('refuses a NUL in a field name, and in a query parameter no route reads', async () => {
    expectRefused(
      await h.call('PUT', '/api/v2/storefront', {
        key: seller.key,
        body: { brandColors: { 'a\u0000': '#000000' } },
      }),
      'brandColors',
    );
    expectRefused(
      await h.call('GET', '/api/v2/storefront/activity?fuzz=%00', { key: seller.key }),
      'fuzz',
      'querystring',
    );
  });

  it('keeps accepting text with paired surrogates (emoji)', async () => {
    const res = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { description: 'Sports 🏈 and news 📰' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.description).toBe('Sports 🏈 and news 📰');
  });
});

describe('integers past the database range', () => {
  it('refuses ids past int4 in bodies and paths as VALIDATION_ERROR', async () => {
    expectRefused(
      await h.call('POST', '/api/v2/accounts/switch', {
        key: buyer.key,
        body: { customerId: 2147483648 },
      }),
      'customerId',
    );
    expectRefused(
      await h.call('POST', '/api/v2/storefront/join-links', {
        key: seller.key,
        body: { storefrontId: 2147483648 },
      }),
      'storefrontId',
    );
    expectRefused(
      await h.call('GET', '/api/v2/admin/customers/2147483648', { key: h.adminKey }),
      'id',
    );
  });

  it('still reaches the largest int4 id (an unknown one answers 404)', async () => {
    const res = await h.call('GET', '/api/v2/admin/customers/2147483647', { key: h.adminKey });
    expect(res.status).toBe(404);
  });
});

describe('path parameters', () => {
  it('routes a 255-character source id the schema accepts', async () => {
    const sourceId = 's'.repeat(255);
    const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
      key: seller.key,
      body: {
        name: 'Long id',
        sourceId,
        endpointUrl: 'http://127.0.0.1:9/mcp',
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      },
    });
    expect(created.status, created.text).toBe(201);
    const read = await h.call('GET', `/api/v2/storefront/inventory-sources/${sourceId}`, {
      key: seller.key,
    });
    expect(read.status).toBe(200);
  });

  it('answers a longer one with the envelope, without echoing the URL', async () => {
    const long = 'x'.repeat(5000);
    const res = await h.call('GET', `/api/v2/storefront/inventory-sources/${long}`, {
      key: seller.key,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.headers['x-request-id']).toBe(res.body.meta.requestId);
    expect(res.text).not.toContain('x'.repeat(256));
    const unrouted = await h.call('GET', `/api/v2/${long}`, { key: seller.key });
    expect(unrouted.status).toBe(404);
    expect(unrouted.text).not.toContain('x'.repeat(256));
  });

  it('answers a malformed percent-encoding with the envelope', async () => {
    const res = await h.call('GET', '/api/v2/storefront/inventory-sources/%E0%A4%A', {
      key: seller.key,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('the /join form', () => {
  it('answers a NUL in a field with the form again (400), not a 500', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/join/${slug}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        name: 'Nul\u0000Agency',
        email: `form-${randomUUID()}@agency.example`,
        brandDomain: 'agency.example',
        company: 'Acme\u0000',
        acceptTerms: 'on',
      }).toString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('NUL');
  });
});

describe('JSON nested past any request of ours', () => {
  it('refuses a megabyte of brackets naming the field, before parsing it (CPU of a small request)', async () => {
    const brackets = 500_000;
    const payload = `{"name":${'['.repeat(brackets)}${']'.repeat(brackets)}}`;
    const cpuMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = process.cpuUsage();
      const res = await h.app.inject({
        method: 'PUT',
        url: '/api/v2/storefront',
        headers: { authorization: `Bearer ${seller.key}`, 'content-type': 'application/json' },
        payload,
      });
      const used = process.cpuUsage(started);
      cpuMs.push((used.user + used.system) / 1000);
      const answer = { status: res.statusCode, body: res.json(), headers: res.headers, text: '' };
      expectRefused(answer, `name${'.0'.repeat(63)}`, 'body');
      expect(answer.body.error.message).toContain('must not nest deeper than 64 levels');
    }
    // Parsing it first cost about 400 ms of CPU (JSON.parse builds all 500,000 levels); reading
    // the text for its depth costs about a millisecond, so the slack here is for a loaded machine.
    expect(cpuMs.sort((a, b) => a - b)[1]).toBeLessThan(100);
  });
});

describe('the storefront agents', () => {
  it('answer a NUL or lone surrogate in what they store with VALIDATION_ERROR, storing nothing', async () => {
    const agent = await agentClient(base, storefront.platformId, buyer.key);
    try {
      for (const brief of ['CTV\u0000 for spring', 'CTV \ud800 for spring']) {
        const answer = await agent.call('get_products', {
          buying_mode: 'brief',
          brief,
          brand: { domain: 'acme.example' },
        });
        expect(answer.isError).toBe(true);
        expect(answer.adcp_error).toMatchObject({ code: 'VALIDATION_ERROR', field: '/brief' });
      }
      const runs = await h.database.queryable.query(
        'select count(*)::int as n from discovery_runs where storefront_id = $1',
        [storefront.id],
      );
      expect(runs.rows[0]!['n']).toBe(0);

      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const product = products[0];
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        brand: { domain: 'acme.example' },
        po_number: 'PO-\udc00',
        start_time: new Date(Date.now() + 86_400_000).toISOString(),
        end_time: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 5_000,
          },
        ],
      });
      expect(created.isError).toBe(true);
      expect(created.adcp_error).toMatchObject({ code: 'VALIDATION_ERROR', field: '/po_number' });
      const buys = await h.database.queryable.query(
        'select count(*)::int as n from storefront_media_buys where storefront_id = $1',
        [storefront.id],
      );
      expect(buys.rows[0]!['n']).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('answer the same input over A2A with JSON-RPC invalid params', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/adcp/storefront-${storefront.platformId}/a2a`,
      headers: { authorization: `Bearer ${buyer.key}`, 'content-type': 'application/json' },
      payload: {
        jsonrpc: '2.0',
        id: 7,
        method: 'message/send',
        params: {
          message: {
            kind: 'message',
            messageId: randomUUID(),
            role: 'user',
            parts: [{ kind: 'data', data: { skill: 'get_products', input: { brief: 'a\u0000' } } }],
          },
        },
      },
    });
    expect(res.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32602 } });
  });

  it('answer a body nested past 64 levels as an unparseable one, before reading it whole', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await h.app.inject({
      method: 'POST',
      url: `/adcp/storefront-${storefront.platformId}/a2a`,
      headers: { authorization: `Bearer ${buyer.key}`, 'content-type': 'application/json' },
      payload: `{"jsonrpc":"2.0","id":8,"method":"message/send","params":${deep}}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: `params${'.0'.repeat(63)}`,
    });
  });
});
