import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1 wholesale feed versioning on a storefront agent (issue 49 item 6, publish side),
 * through the official MCP client: a version stable while nothing changes, moved by a source's
 * product change, `unchanged` on a matching token, account scope where buyer terms apply, and a
 * 3.0 buyer's answer as before. NODE_ENV=production: @adcp/sdk validates nothing, so this is ours.
 */

const previousEnv = process.env['NODE_ENV'];
let h: Harness;
let base: string;
let seller: RunningSeller | undefined;

beforeAll(async () => {
  process.env['NODE_ENV'] = 'production';
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  process.env['NODE_ENV'] = previousEnv;
  await seller?.close();
  await h?.close();
});

const wholesale31 = { buying_mode: 'wholesale', adcp_version: '3.1' };

async function storefrontAndBuyer() {
  const sf = await modularStorefront(h);
  await commitCsv(h, sf.seller.key, 'avails', [header, availRow('hp-1', 100_000)].join('\n'));
  const buyer = await createCustomer(h, { role: 'BUYER' });
  return { sf, agent: await agentClient(base, sf.platformId, buyer.key) };
}

describe('wholesale feed version for a 3.1 buyer', () => {
  it(
    'is stable across calls, answers unchanged on a match, and moves when a product changes',
    { timeout: 120_000 },
    async () => {
      const { sf, agent } = await storefrontAndBuyer();
      try {
        const first = await agent.call('get_products', wholesale31);
        const second = await agent.call('get_products', wholesale31);
        expect(first.isError).toBe(false);
        expect(first.products.length).toBe(1);
        expect(first.wholesale_feed_version).toEqual(expect.any(String));
        expect(first.cache_scope).toBe('public');
        expect(second.wholesale_feed_version).toBe(first.wholesale_feed_version);
        expect(first).not.toHaveProperty('unchanged');
        // A modular source's format, with the option id a buyer chooses it by, call after call.
        expect(first.products[0].format_options).toEqual([
          expect.objectContaining({ format_option_id: 'display_300x250', format_kind: 'image' }),
        ]);
        expect(second.products[0].format_options).toEqual(first.products[0].format_options);

        const probe = await agent.call('get_products', {
          ...wholesale31,
          if_wholesale_feed_version: first.wholesale_feed_version,
          context: { correlation_id: 'probe-1' },
        });
        expect(probe).toEqual({
          isError: false,
          unchanged: true,
          wholesale_feed_version: first.wholesale_feed_version,
          cache_scope: 'public',
          context: { correlation_id: 'probe-1' },
          status: 'completed',
          adcp_version: '3.1',
        });

        // The seller changes the source's product (its price): the version moves, the old
        // token gets the new products.
        await commitCsv(
          h,
          sf.seller.key,
          'avails',
          [header, availRow('hp-1', 100_000, 35)].join('\n'),
        );
        const after = await agent.call('get_products', {
          ...wholesale31,
          if_wholesale_feed_version: first.wholesale_feed_version,
        });
        expect(after).not.toHaveProperty('unchanged');
        expect(after.products.length).toBe(1);
        expect(after.wholesale_feed_version).not.toBe(first.wholesale_feed_version);
        expect(JSON.stringify(after.products)).not.toBe(JSON.stringify(first.products));
        const again = await agent.call('get_products', {
          ...wholesale31,
          if_wholesale_feed_version: after.wholesale_feed_version,
        });
        expect(again.unchanged).toBe(true);
      } finally {
        await agent.close();
      }
    },
  );

  it('holds through a source probe and a failed call, and moves when the seller edits the source', async () => {
    const { sf, agent } = await storefrontAndBuyer();
    try {
      const first = await agent.call('get_products', wholesale31);
      // What a health probe and a failed call write: diagnostics, no answer changes.
      await h.database.db.execute(sql`update inventory_sources
        set last_probe_at = now(), last_success_at = now(), last_latency_ms = 12,
          last_call_error = '{"code":"timeout"}'::jsonb
        where storefront_id = ${sf.id}`);
      const probed = await agent.call('get_products', wholesale31);
      expect(probed.wholesale_feed_version).toBe(first.wholesale_feed_version);
      const renamed = await h.call('PUT', `/api/v2/storefront/inventory-sources/${sf.sourceId}`, {
        key: sf.seller.key,
        body: { name: 'Homepage avails (renamed)' },
      });
      expect(renamed.status, renamed.text).toBe(200);
      const edited = await agent.call('get_products', wholesale31);
      expect(edited.wholesale_feed_version).not.toBe(first.wholesale_feed_version);
    } finally {
      await agent.close();
    }
  });

  it('keeps a 3.0 buyer answer as before, and refuses malformed conditional asks', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const caps = await agent.call('get_adcp_capabilities', { adcp_version: '3.1' });
      expect(caps.wholesale_feed_versioning).toEqual({
        supported: true,
        pricing_version_separate: false,
      });
      const caps30 = await agent.call('get_adcp_capabilities', {});
      expect(caps30).not.toHaveProperty('wholesale_feed_versioning');
      const current = await agent.call('get_products', wholesale31);
      const old = await agent.call('get_products', {
        buying_mode: 'wholesale',
        if_wholesale_feed_version: current.wholesale_feed_version,
      });
      expect(old.isError).toBe(false);
      expect(old.products.length).toBe(1);
      for (const key of ['wholesale_feed_version', 'cache_scope', 'unchanged', 'status']) {
        expect(old).not.toHaveProperty(key);
      }
      const pricingOnly = await agent.call('get_products', {
        ...wholesale31,
        if_pricing_version: 'p1',
      });
      expect(pricingOnly.isError).toBe(true);
      expect(pricingOnly.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'if_pricing_version',
      });
      const brief = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'homepage display',
        adcp_version: '3.1',
        if_wholesale_feed_version: current.wholesale_feed_version,
      });
      expect(brief.adcp_error).toMatchObject({ field: 'if_wholesale_feed_version' });
      // Every 3.1 answer declares its cache layer; only wholesale ones carry the version.
      const briefOk = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'homepage display',
        adcp_version: '3.1',
      });
      expect(briefOk.cache_scope).toBe('public');
      expect(briefOk).not.toHaveProperty('wholesale_feed_version');
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('is account-scoped where buyer terms apply: two accounts, two versions', async () => {
    const { sf, agent } = await storefrontAndBuyer();
    try {
      const terms = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
        key: sf.seller.key,
        body: {
          operatorDomain: 'agency-a.example',
          brandDomain: null,
          discountPercent: 20,
          notes: null,
          countries: null,
        },
      });
      expect(terms.status, terms.text).toBe(201);
      const accountOf = (operator: string) => ({
        account: { brand: { domain: 'brand.example' }, operator },
      });
      const a = await agent.call('get_products', {
        ...wholesale31,
        ...accountOf('agency-a.example'),
      });
      const b = await agent.call('get_products', {
        ...wholesale31,
        ...accountOf('agency-b.example'),
      });
      expect(a.cache_scope).toBe('account');
      expect(b.cache_scope).toBe('public');
      expect(a.wholesale_feed_version).not.toBe(b.wholesale_feed_version);
      const price = (answer: {
        products: Array<{ pricing_options: Array<{ fixed_price?: number; floor_price?: number }> }>;
      }) => answer.products[0]?.pricing_options[0];
      expect(price(a)).not.toEqual(price(b));
      // Each account's token matches its own answer only.
      const probeB = await agent.call('get_products', {
        ...wholesale31,
        ...accountOf('agency-b.example'),
        if_wholesale_feed_version: a.wholesale_feed_version,
      });
      expect(probeB).not.toHaveProperty('unchanged');
      const probeA = await agent.call('get_products', {
        ...wholesale31,
        ...accountOf('agency-a.example'),
        if_wholesale_feed_version: a.wholesale_feed_version,
      });
      expect(probeA).toMatchObject({ unchanged: true, cache_scope: 'account' });
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('wholesale feed version over a source at another agent, asked live', () => {
  it(
    'answers unchanged while the source answers the same rows, and moves when they change',
    { timeout: 120_000 },
    async () => {
      seller = await startSeller('mcp');
      const sf = await storefrontWith(h, [{ sourceId: 'remote', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const first = await agent.call('get_products', wholesale31);
        expect(first.isError).toBe(false);
        expect(first.products.length).toBeGreaterThan(0);
        const second = await agent.call('get_products', wholesale31);
        expect(second.wholesale_feed_version).toBe(first.wholesale_feed_version);

        const asked = seller.toolCalls().filter((c) => c.tool === 'get_products').length;
        const probe = await agent.call('get_products', {
          ...wholesale31,
          if_wholesale_feed_version: first.wholesale_feed_version,
          context: { correlation_id: 'live-probe' },
        });
        expect(probe).toMatchObject({
          unchanged: true,
          wholesale_feed_version: first.wholesale_feed_version,
          cache_scope: 'public',
          context: { correlation_id: 'live-probe' },
        });
        expect(probe).not.toHaveProperty('products');
        // Checked, not promised: the source was asked again to know its rows are the same.
        expect(seller.toolCalls().filter((c) => c.tool === 'get_products').length).toBe(asked + 1);

        // The source answers other rows once (a product gone): the old token gets them in full.
        const [kept] = first.products as Array<{ product_id: string }>;
        const upstream = first.products.length > 1 ? first.products.slice(1) : [];
        seller.answerInstead?.(
          'get_products',
          {
            data: {
              products: upstream.map((p: { product_id: string }) => ({
                ...p,
                product_id: p.product_id.replace(/^remote__/, ''),
              })),
            },
          },
          1,
        );
        const moved = await agent.call('get_products', {
          ...wholesale31,
          if_wholesale_feed_version: first.wholesale_feed_version,
        });
        expect(moved).not.toHaveProperty('unchanged');
        expect(moved.wholesale_feed_version).not.toBe(first.wholesale_feed_version);
        expect(
          (moved.products as Array<{ product_id: string }>).map((p) => p.product_id),
        ).not.toContain(kept?.product_id);
      } finally {
        await agent.close();
      }
    },
  );
});
