import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { type SdkSeller, startSdkSeller } from '../fixtures/sdk-seller.js';
import {
  agencyBuying,
  agentClient,
  buyOf,
  listen,
  storefrontWith,
} from './storefront-agent-support.js';

// What the README recommends for deployments: the SDK then skips its own request validation,
// so these tests prove ours. @adcp/sdk reads NODE_ENV when a storefront's server is built.
const previousEnv = process.env['NODE_ENV'];
let h: Harness;
let base: string;
let sdkSeller: SdkSeller;

beforeAll(async () => {
  // The seller first, in the mode its fixture runs in (it is not what is under test here); one
  // after the other, as its start has a deadline of its own.
  sdkSeller = await startSdkSeller();
  process.env['NODE_ENV'] = 'production';
  // Port 0: cards name the address the app really listens on (the CLI follows them).
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  process.env['NODE_ENV'] = previousEnv;
  await sdkSeller?.close();
  await h?.close();
});

// A live (not sandbox) account, which the test controller refuses.
const liveAccount = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'pinnacle-agency.example',
};

async function a2aSend(platformId: string, key: string, skill: string, input: unknown) {
  const res = await fetch(`${base}/adcp/storefront-${platformId}/a2a`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          role: 'user',
          messageId: randomUUID(),
          parts: [{ kind: 'data', data: { skill, input } }],
        },
      },
    }),
  });
  return (await res.json()) as { result?: unknown; error?: unknown };
}

/** The AdCP payload an A2A answer carries (its first data part). */
function a2aData(answer: { result?: unknown }): Record<string, unknown> {
  const result = answer.result as {
    artifacts?: Array<{ parts: Array<{ kind: string; data?: unknown }> }>;
    status?: { message?: { parts: Array<{ kind: string; data?: unknown }> } };
  };
  const parts = [
    ...(result.artifacts ?? []).flatMap((a) => a.parts),
    ...(result.status?.message?.parts ?? []),
  ];
  return (parts.find((p) => p.kind === 'data')?.data ?? {}) as Record<string, unknown>;
}

describe('storefront agents in production mode', () => {
  it('answers a negative budget with VALIDATION_ERROR naming the field, over MCP and A2A', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'sdk', url: sdkSeller.url, token: sdkSeller.token },
    ]);
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Outdoor display',
        account,
      });
      expect(found.products.length, JSON.stringify(found.errors)).toBeGreaterThan(0);
      const request = buyOf(found.products[0], account);
      request.packages[0]!.budget = -500;

      const mcp = await agent.call('create_media_buy', request);
      expect(mcp.isError).toBe(true);
      expect(mcp.adcp_error ?? mcp.errors?.[0]).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(JSON.stringify(mcp)).toContain('budget');

      const a2a = await a2aSend(sf.platformId, buyer.key, 'create_media_buy', {
        ...request,
        idempotency_key: randomUUID(),
      });
      const text = JSON.stringify(a2a);
      expect(text).toContain('VALIDATION_ERROR');
      expect(text).toContain('budget');
      expect(text).not.toContain('PRODUCT_NOT_FOUND');
    } finally {
      await agent.close();
    }
  });

  it('shows buyers the storefront’s real capabilities with every served test scenario, over MCP and A2A', async () => {
    const sf = await storefrontWith(
      h,
      [{ sourceId: 'sdk', url: sdkSeller.url, token: sdkSeller.token }],
      { regions: ['US', 'CA'] },
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const mcp = await agent.call('get_adcp_capabilities', {});
      const a2a = a2aData(await a2aSend(sf.platformId, buyer.key, 'get_adcp_capabilities', {}));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
      for (const caps of [mcp, a2a] as Array<Record<string, any>>) {
        expect(caps['specialisms']).toEqual(['sales-non-guaranteed', 'sales-guaranteed']);
        expect(caps['media_buy'].portfolio.publisher_domains.length).toBeGreaterThan(0);
        expect(caps['media_buy'].portfolio.primary_countries).toEqual(['US', 'CA']);
        expect(caps['media_buy'].supported_pricing_models).toEqual(['cpm']);
        expect(caps['account']).toMatchObject({
          supported_billing: ['operator'],
          sandbox: true,
        });
        // AdCP's capabilities enum holds state scenarios only; list_scenarios names the rest.
        expect(caps['compliance_testing'].scenarios).toEqual([
          'force_media_buy_status',
          'force_creative_status',
          'force_account_status',
          'simulate_delivery',
          'simulate_budget_spend',
        ]);
      }
      // Every advertised scenario is served, to sandbox accounts only.
      const sandbox = {
        brand: { domain: 'acme.example' },
        operator: 'acme.example',
        sandbox: true,
      };
      const seeded = await agent.call('comply_test_controller', {
        scenario: 'seed_product',
        account: sandbox,
        params: {
          product_id: 'seeded-1',
          fixture: { name: 'Seeded', delivery_type: 'non_guaranteed' },
        },
      });
      expect(seeded).toMatchObject({ success: true });
      const live = await agent.call('comply_test_controller', {
        scenario: 'seed_product',
        account: liveAccount,
        params: { product_id: 'seeded-2', fixture: { name: 'Seeded' } },
      });
      expect(live).toMatchObject({ success: false, error: 'FORBIDDEN' });
      const forced = await agent.call('comply_test_controller', {
        scenario: 'force_create_media_buy_arm',
        account: sandbox,
        params: { arm: 'submitted', task_id: `task_${randomUUID()}` },
      });
      expect(forced).toMatchObject({ success: true });
    } finally {
      await agent.close();
    }
  });

  it('serves the A2A card where AdCP clients look, and the SDK’s own CLI reaches the agent by URL alone', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'sdk', url: sdkSeller.url, token: sdkSeller.token },
    ]);
    const agentBase = `${base}/adcp/storefront-${sf.platformId}`;
    for (const url of [
      `${agentBase}/.well-known/agent.json`,
      `${agentBase}/.well-known/agent-card.json`,
      `${agentBase}/a2a/.well-known/agent.json`,
    ]) {
      const card = (await (await fetch(url)).json()) as {
        url: string;
        skills: Array<{ id: string; description: string }>;
      };
      expect(new URL(card.url).pathname).toBe(`/adcp/storefront-${sf.platformId}/a2a`);
      const products = card.skills.find((s: { id: string }) => s.id === 'get_products');
      expect(products?.description).toMatch(/brief/);
    }
    // The site root answers (the SDK's protocol detection probes only there) without naming
    // any storefront.
    const root = await fetch(`${base}/.well-known/agent.json`);
    expect(root.status).toBe(200);
    expect(JSON.stringify(await root.json())).not.toContain(sf.platformId);

    const { buyer, account } = await agencyBuying(h);
    const require = createRequire(import.meta.url);
    const cli = join(dirname(require.resolve('@adcp/sdk/package.json')), 'bin', 'adcp.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        cli,
        `${agentBase}/a2a`,
        'get_products',
        JSON.stringify({ buying_mode: 'brief', brief: 'Outdoor display', account }),
        '--auth',
        buyer.key,
        '--json',
      ],
      { timeout: 60_000, env: { ...process.env, NODE_ENV: 'development' } },
    );
    expect(stdout).toMatch(/"protocol":\s*"a2a"|sdk__/);
    expect(stdout).toContain('sdk__');
  }, 90_000);

  it('gives buyers no private address or exception text of a failing source; the operator sees it', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'sdk', url: sdkSeller.url, token: sdkSeller.token },
    ]);
    // A source that answered its probe once and whose port now refuses connections.
    const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
      key: sf.seller.key,
      body: {
        name: 'Refusing',
        sourceId: 'refusing',
        endpointUrl: 'http://127.0.0.1:1/mcp',
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      },
    });
    expect(created.status).toBe(201);
    await h.database.db.execute(
      sql`update inventory_sources
          set status = 'ACTIVE', last_probe_at = now(), last_success_at = now(), last_error = null
          where source_id = 'refusing'`,
    );
    // Written behind the service's back: its 2 s read cache of the storefront's sources
    // (platform/read-cache.ts) must run out before the agent sees the source ACTIVE.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Outdoor display',
        account,
      });
      const error = found.errors.find(
        (e: { details?: { source_id?: string } }) => e.details?.source_id === 'refusing',
      );
      expect(error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        details: { source_id: 'refusing', source_name: 'Refusing' },
      });
      const seen = JSON.stringify(found.errors);
      expect(seen).not.toMatch(/127\.0\.0\.1|:1\b|\/mcp|ECONNREFUSED|at \w+ \(|fetch failed/);
    } finally {
      await agent.close();
    }
    // The detail reaches the operator's diagnostics (written off the response path, so it may
    // land after expect.poll's default second on a loaded machine).
    await expect
      .poll(
        async () => {
          const ready = await h.call('GET', '/api/v2/storefront/readiness', {
            key: sf.seller.key,
          });
          const diag = ready.body.data.sourceDiagnostics.find(
            (d: { sourceId: string }) => d.sourceId === 'refusing',
          );
          return diag?.health.lastCallError;
        },
        { timeout: 15_000 },
      )
      .toMatchObject({ tool: 'get_products', message: expect.stringMatching(/.+/) });
  });
});
