import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * Issue 49 item 1: a request without adcp_version is a 3.0 request and gets exactly today's
 * answers, and every source is asked in the release it speaks, across the storefront's 3.1
 * bridges. A 3.0 buyer's answer from a 3.1 source's mirrored feed carries no 3.1-only product
 * field the source would not have answered it live; a 3.1 buyer's calls reach a 3.0 source as
 * a 3.0 caller's; a package's direct `format_kind` selector reaches a 3.0 source as the format
 * ids it chose, never as no selector at all. Through the official MCP client, over two demo
 * sellers on their own sockets: one as it is (AdCP 3.0), one answering as a 3.1 seller.
 */

let h: Harness;
let base: string;
let seller30: RunningSeller;
let seller31: RunningSeller;
let over30: string;
let over31: string;

type Json = Record<string, unknown>;
type Product = {
  product_id: string;
  format_ids: Json[];
  pricing_options: Array<{ pricing_option_id: string }>;
} & Json;

/** Calls one tool of a seller directly (what the source itself answers that caller). */
async function callSeller(url: string, tool: string, args: Json): Promise<Json> {
  const client = new Client({ name: 'release-bridges-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    return (await client.callTool({ name: tool, arguments: args })).structuredContent as Json;
  } finally {
    await client.close();
  }
}

const metric = { vendor: { domain: 'prism.example' }, metric_id: 'attention_score' };
/** What a 3.1 seller adds to a product for 3.1 callers only (core/product.json, 3.1.19). */
const only31 = {
  video_placement_types: ['instream'],
  vendor_metric_optimization: {
    supported_metrics: [{ ...metric, supported_targets: ['threshold_rate'] }],
  },
} as const;
const mobileId = 'dsp_mobile_app';
const ctvId = 'ctv_run_of_network';
// 3.1 types a product card inline; a 3.0 card needs a format_id and a manifest.
const card31 = { title: 'CTV run of network', description: 'All CTV inventory' };

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller30 = await startSeller('mcp');
  seller31 = await startSeller('mcp');
  // The second demo seller answers as an AdCP 3.1 seller: its 3.1 callers get the 3.1 fields of
  // its products and a wholesale feed version; its 3.0 callers the products as they were.
  const caps = await callSeller(seller31.url, 'get_adcp_capabilities', {});
  seller31.answerInstead!('get_adcp_capabilities', {
    data: { ...caps, adcp: { ...(caps['adcp'] as Json), supported_versions: ['3.0', '3.1'] } },
  });
  const listed = await callSeller(seller31.url, 'get_products', { buying_mode: 'wholesale' });
  const products = listed['products'] as Product[];
  seller31.answerInstead!('get_products', (args) =>
    args['adcp_version'] === '3.1'
      ? {
          data: {
            products: products.map((p) =>
              p.product_id === mobileId
                ? as31(p)
                : p.product_id === ctvId
                  ? { ...p, product_card: card31 }
                  : p,
            ),
            wholesale_feed_version: 'feed-v1',
            cache_scope: 'public',
          },
        }
      : { data: { products } },
  );
  ({ platformId: over30 } = await storefrontWith(h, [{ sourceId: 'v30', url: seller30.url }]));
  ({ platformId: over31 } = await storefrontWith(h, [{ sourceId: 'v31', url: seller31.url }]));
}, 120_000);
afterAll(async () => {
  await seller30?.close();
  await seller31?.close();
  await h?.close();
});

/** The mobile product as the 3.1 seller answers a 3.1 caller. */
function as31(product: Product): Product {
  const reporting = (product['reporting_capabilities'] ?? {}) as Json;
  return {
    ...product,
    ...only31,
    reporting_capabilities: { ...reporting, vendor_metrics: [metric] },
  };
}

const v31 = { adcp_version: '3.1' };
const brief = { buying_mode: 'brief', brief: 'mobile app banners' };
const mobileOf = (products: Product[]) => products.find((p) => p.product_id.endsWith(mobileId))!;
const callsOf = (seller: RunningSeller, tool: string) =>
  seller.toolCalls().filter((c) => c.tool === tool);

describe('a 3.0 buyer over a mirrored 3.1 source', () => {
  it('gets no 3.1-only product field the source would not answer it live', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, over31, buyer.key);
    try {
      const current = await agent.call('get_products', { ...v31, ...brief });
      expect(current.isError, JSON.stringify(current)).toBe(false);
      // Answered from the mirror: the source was asked for its wholesale set, in 3.1.
      expect(callsOf(seller31, 'get_products').at(-1)?.args).toMatchObject({
        buying_mode: 'wholesale',
        adcp_version: '3.1',
      });
      expect(mobileOf(current.products as Product[])).toMatchObject(only31);

      const old = await agent.call('get_products', brief);
      expect(old.isError, JSON.stringify(old)).toBe(false);
      const mobile = mobileOf(old.products as Product[]);
      expect(mobile).toBeDefined();
      // What the source answers a 3.0 caller asking it live.
      const live = mobileOf(
        (await callSeller(seller31.url, 'get_products', { buying_mode: 'wholesale' }))[
          'products'
        ] as Product[],
      );
      for (const field of Object.keys(only31)) {
        expect(live).not.toHaveProperty(field);
        expect(mobile).not.toHaveProperty(field);
      }
      expect(live['reporting_capabilities']).not.toHaveProperty('vendor_metrics');
      expect(mobile['reporting_capabilities']).not.toHaveProperty('vendor_metrics');
      expect(mobile['reporting_capabilities']).toEqual(live['reporting_capabilities']);

      // A product whose 3.1 card a 3.0 answer cannot carry is offered without it, not dropped.
      const all = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(all.isError, JSON.stringify(all)).toBe(false);
      const ctv = (all.products as Product[]).find((p) => p.product_id.endsWith(ctvId));
      expect(ctv).toBeDefined();
      expect(ctv).not.toHaveProperty('product_card');
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a 3.1 buyer over a 3.0 source', () => {
  const buy = (product: Product, pkg: Json = {}) => ({
    ...v31,
    idempotency_key: randomUUID(),
    account: { account_id: 'acme_media' },
    brand: { domain: 'acme.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0]!.pricing_option_id,
        budget: 20_000,
        ...pkg,
      },
    ],
  });

  it('reaches the source as a 3.0 caller: no adcp_version on its discovery or its buy', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, over30, buyer.key);
    try {
      const found = await agent.call('get_products', { ...v31, ...brief });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      expect(found.adcp_version).toBe('3.1');
      const booked = await agent.call('create_media_buy', buy(mobileOf(found.products)));
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const asked = [
        ...callsOf(seller30, 'get_products'),
        ...callsOf(seller30, 'create_media_buy'),
      ];
      expect(asked.length).toBeGreaterThanOrEqual(2);
      for (const call of asked) expect(call.args, call.tool).not.toHaveProperty('adcp_version');
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('sends a direct format_kind selector on as the format ids it chose, never unfiltered', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, over30, buyer.key);
    try {
      const found = await agent.call('get_products', { ...v31, ...brief });
      const mobile = mobileOf(found.products as Product[]);
      // 320x50 and 300x250: the selector chooses the MREC only.
      expect(mobile.format_ids).toHaveLength(2);
      const mrec = mobile.format_ids.find((f) => String(f['id']).includes('300x250'));
      expect(mrec).toBeDefined();
      const before = callsOf(seller30, 'get_products').length;
      const booked = await agent.call(
        'create_media_buy',
        buy(mobile, { format_kind: 'image', params: { width: 300, height: 250 } }),
      );
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const sent = (callsOf(seller30, 'create_media_buy').at(-1)!.args['packages'] as Json[])[0]!;
      expect(sent['format_ids']).toEqual([mrec]);
      expect(sent).not.toHaveProperty('format_kind');
      expect(sent).not.toHaveProperty('params');
      // The product was read to check the selector: as a 3.0 caller reads it.
      for (const call of callsOf(seller30, 'get_products').slice(before)) {
        expect(call.args).not.toHaveProperty('adcp_version');
      }
    } finally {
      await agent.close();
    }
  }, 120_000);
});
