import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * Issue 49 item 7: a 3.1 source's own format options through a storefront that mirrors it (an
 * AGENT whose probe reports AdCP 3.1 and whose wholesale answer carries a feed version: the
 * mirror of feed-mirror.test.ts). A 3.1 buyer sees the source's own options and ids, as asked
 * live; a package choosing one reaches the source by the source's own id, and one the source
 * cannot be told of is refused rather than sent with no format filter. Through the official MCP
 * client, over the demo seller answering as such a source.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let platformId: string;

type Json = Record<string, unknown>;
type Option = { format_option_id?: string; format_kind: string; params: Json };
type Product = {
  product_id: string;
  format_ids: Json[];
  format_options?: Option[];
  allowed_actions?: unknown[];
  pricing_options: Array<{ pricing_option_id: string }>;
};

/** Calls one tool of the seller directly (what the source really answers). */
async function callSeller(url: string, tool: string, args: Json): Promise<Json> {
  const client = new Client({ name: 'mirror-formats-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const result = await client.callTool({ name: tool, arguments: args });
    return result.structuredContent as Json;
  } finally {
    await client.close();
  }
}

const mobileId = 'dsp_mobile_app';
/**
 * The source's own declarations for its mobile app product (format_ids 320x50 and 300x250): two
 * named and linked to those formats, one named with no v1 format, one neither named nor linked.
 */
const ownOptions = (formatIds: Json[]) => [
  {
    format_option_id: 'mobile_banner',
    format_kind: 'image',
    params: { width: 320, height: 50 },
    v1_format_ref: [formatIds[0]],
  },
  {
    format_option_id: 'mobile_mrec',
    format_kind: 'image',
    params: { width: 300, height: 250 },
    v1_format_ref: [formatIds[1]],
  },
  {
    format_option_id: 'mobile_interstitial',
    format_kind: 'image',
    params: { width: 320, height: 480 },
  },
  { format_kind: 'image', params: { width: 300, height: 600 } },
];

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
  // The demo seller answers as an AdCP 3.1 seller publishing a wholesale feed version.
  const caps = await callSeller(seller.url, 'get_adcp_capabilities', {});
  const adcp = caps['adcp'] as Json;
  seller.answerInstead!('get_adcp_capabilities', {
    data: { ...caps, adcp: { ...adcp, supported_versions: ['3.0', '3.1'] } },
  });
  const listed = await callSeller(seller.url, 'get_products', { buying_mode: 'wholesale' });
  const products = (listed['products'] as Product[]).map((product) =>
    product.product_id === mobileId
      ? { ...product, format_options: ownOptions(product.format_ids) }
      : product,
  );
  seller.answerInstead!('get_products', {
    data: { products, wholesale_feed_version: 'feed-v1', cache_scope: 'public' },
  });
  ({ platformId } = await storefrontWith(h, [{ sourceId: 'own31', url: seller.url }]));
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const brief = { buying_mode: 'brief', brief: 'mobile app banners' };
const mobileOf = (products: Product[]) => products.find((p) => p.product_id.endsWith(mobileId))!;

describe('a mirrored 3.1 source’s own format options', () => {
  it('reach a 3.1 buyer with the source’s own ids; a 3.0 buyer’s answer carries none', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const found = await agent.call('get_products', { ...v31, ...brief });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      // Answered from the mirror: the source was asked for its wholesale set, in 3.1.
      const asked = seller.toolCalls().filter((c) => c.tool === 'get_products');
      expect(asked.at(-1)?.args).toMatchObject({ buying_mode: 'wholesale', adcp_version: '3.1' });
      const mobile = mobileOf(found.products as Product[]);
      expect(mobile.format_options).toEqual([
        expect.objectContaining({
          format_option_id: 'mobile_banner',
          params: { width: 320, height: 50 },
        }),
        expect.objectContaining({ format_option_id: 'mobile_mrec' }),
        expect.objectContaining({ format_option_id: 'mobile_interstitial' }),
        // The one the source left unnamed is named by its kind and size.
        expect.objectContaining({ format_option_id: 'image_300x600' }),
      ]);
      // Asked again, from the held set: the same options.
      const again = await agent.call('get_products', { ...v31, ...brief });
      expect(mobileOf(again.products as Product[]).format_options).toEqual(mobile.format_options);

      const old = await agent.call('get_products', brief);
      expect(old.isError, JSON.stringify(old)).toBe(false);
      expect(old.products.map((p: Product) => p.product_id).sort()).toEqual(
        (found.products as Product[]).map((p) => p.product_id).sort(),
      );
      for (const product of old.products as Product[]) {
        expect(product).not.toHaveProperty('format_options');
        expect(product).not.toHaveProperty('allowed_actions');
      }
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a package choosing a mirrored source’s own format options', () => {
  const account = { account_id: 'acme_media' };
  const buy = (product: Product, refs: string[]) => ({
    ...v31,
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acme.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0]!.pricing_option_id,
        budget: 20_000,
        format_option_refs: refs.map((id) => ({ scope: 'product', format_option_id: id })),
      },
    ],
  });
  const sentPackage = () => {
    const created = seller.toolCalls().filter((c) => c.tool === 'create_media_buy');
    return (created.at(-1)!.args['packages'] as Json[])[0]!;
  };

  it('reaches the source by the source’s own id; one it cannot be told of is refused, not sent unfiltered', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const found = await agent.call('get_products', { ...v31, ...brief });
      const mobile = mobileOf(found.products as Product[]);

      // An option the source named and linked to no v1 format: passed on by its id, in 3.1.
      const own = await agent.call('create_media_buy', buy(mobile, ['mobile_interstitial']));
      expect(own.isError, JSON.stringify(own)).toBe(false);
      const ownSent = seller
        .toolCalls()
        .filter((c) => c.tool === 'create_media_buy')
        .at(-1)!;
      expect(ownSent.args).toMatchObject({ adcp_version: '3.1' });
      expect(sentPackage()['format_option_refs']).toEqual([
        { scope: 'product', format_option_id: 'mobile_interstitial' },
      ]);
      expect(sentPackage()).not.toHaveProperty('format_ids');

      // Named options with v1 formats: their format ids beside the refs (dual emission).
      const linked = await agent.call('create_media_buy', buy(mobile, ['mobile_mrec']));
      expect(linked.isError, JSON.stringify(linked)).toBe(false);
      expect(sentPackage()['format_ids']).toEqual([mobile.format_ids[1]]);
      expect(sentPackage()['format_option_refs']).toEqual([
        { scope: 'product', format_option_id: 'mobile_mrec' },
      ]);

      // The option the source left unnamed and unlinked: nothing the source reads selects it.
      const before = seller.toolCalls().filter((c) => c.tool === 'create_media_buy').length;
      const unnamed = await agent.call(
        'create_media_buy',
        buy(mobile, ['mobile_banner', 'image_300x600']),
      );
      expect(unnamed.isError).toBe(true);
      expect(unnamed.adcp_error).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        field: 'packages[0].format_option_refs[1]',
        details: { rejected_value: 'image_300x600', reason: 'format_option_refs_not_published' },
      });
      expect(seller.toolCalls().filter((c) => c.tool === 'create_media_buy')).toHaveLength(before);

      // Chosen together with every other option of the product, it is all of them: no filter.
      const every = await agent.call(
        'create_media_buy',
        buy(
          mobile,
          mobile.format_options!.map((o) => o.format_option_id!),
        ),
      );
      expect(every.isError, JSON.stringify(every)).toBe(false);
      expect(sentPackage()).not.toHaveProperty('format_ids');
      expect(sentPackage()).not.toHaveProperty('format_option_refs');
    } finally {
      await agent.close();
    }
  }, 120_000);
});
