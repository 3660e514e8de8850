import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { specViolations } from './adcp31-spec-schemas.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * Issue 49 item 1: a 3.1 source's products that are valid AdCP 3.1 but not valid 3.0 reach a 3.1
 * buyer, asked live and through the feed mirror: one with 3.1's inline product card (no
 * format_id / manifest, which 3.0 requires), one declaring its formats by `format_options` only
 * (3.0 requires `format_ids`). A product 3.1 refuses is still left out alone and reported to the
 * seller. Through the official MCP client, over two demo sellers answering as 3.1 sellers: one
 * publishing wholesale feed versions (mirrored), one not (asked live).
 */

let h: Harness;
let base: string;
let live: RunningSeller;
let mirrored: RunningSeller;
let overLive: { platformId: string; id: number };
let overMirror: { platformId: string; id: number };

type Json = Record<string, unknown>;
type Product = { product_id: string } & Json;

async function callSeller(url: string, tool: string, args: Json): Promise<Json> {
  const client = new Client({ name: 'source-products-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    return (await client.callTool({ name: tool, arguments: args })).structuredContent as Json;
  } finally {
    await client.close();
  }
}

const cardId = 'ctv_run_of_network';
const optionsId = 'dsp_newsletter';
const badId = 'ctv_kids_family';
// 3.1 types a product card inline (core/product.json 3.1.19); 3.0's needs a format_id and manifest.
const card31 = { title: 'CTV run of network', description: 'All CTV inventory' };
const options31 = [{ format_kind: 'image', params: { width: 300, height: 250 } }];
// Invalid in 3.1 too: a card title is at most 60 characters.
const badCard = { title: 'A card title far longer than the sixty characters 3.1 allows it' };

/** The 3.1 answer of a demo seller: its products with 3.1's shapes, for 3.1 callers only. */
async function as31Seller(seller: RunningSeller, feed: boolean): Promise<void> {
  const caps = await callSeller(seller.url, 'get_adcp_capabilities', {});
  seller.answerInstead!('get_adcp_capabilities', {
    data: { ...caps, adcp: { ...(caps['adcp'] as Json), supported_versions: ['3.0', '3.1'] } },
  });
  const listed = await callSeller(seller.url, 'get_products', { buying_mode: 'wholesale' });
  const products = listed['products'] as Product[];
  const products31 = products.map((p) => {
    if (p.product_id === cardId) return { ...p, product_card: card31 };
    if (p.product_id === badId) return { ...p, product_card: badCard };
    if (p.product_id !== optionsId) return p;
    const { format_ids: _ids, ...rest } = p;
    return { ...rest, format_options: options31 };
  });
  seller.answerInstead!('get_products', (args) =>
    args['adcp_version'] === '3.1'
      ? {
          data: {
            products: products31,
            ...(feed && { wholesale_feed_version: 'feed-v1', cache_scope: 'public' }),
          },
        }
      : { data: { products } },
  );
}

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  live = await startSeller('mcp');
  mirrored = await startSeller('mcp');
  await as31Seller(live, false);
  await as31Seller(mirrored, true);
  overLive = await storefrontWith(h, [{ sourceId: 'live31', url: live.url }]);
  overMirror = await storefrontWith(h, [{ sourceId: 'feed31', url: mirrored.url }]);
}, 120_000);
afterAll(async () => {
  await live?.close();
  await mirrored?.close();
  await h?.close();
});

const find = (products: Product[], id: string) => products.find((p) => p.product_id.endsWith(id));

/** The seller's record of the source's refused products (readiness), by product id. */
async function refusedOf(
  storefrontId: number,
): Promise<Array<{ productId: string; field: string }>> {
  const { rows } = await h.database.queryable.query(
    `select i.product_id, i.field from inventory_source_product_issues i
       join inventory_sources s on s.id = i.inventory_source_id
      where s.storefront_id = $1 order by i.product_id`,
    [storefrontId],
  );
  return rows.map((r) => ({ productId: String(r['product_id']), field: String(r['field']) }));
}

describe.each([
  ['asked live', () => overLive, () => live],
  ['through the feed mirror', () => overMirror, () => mirrored],
])('a 3.1 buyer over a 3.1 source %s', (_how, storefront, seller) => {
  it("gets the source's valid 3.1 products, and loses only the one 3.1 refuses", async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, storefront().platformId, buyer.key);
    try {
      const answer = await agent.call('get_products', {
        adcp_version: '3.1',
        buying_mode: 'wholesale',
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      expect(
        seller()
          .toolCalls()
          .filter((c) => c.tool === 'get_products')
          .at(-1)?.args,
      ).toMatchObject({ adcp_version: '3.1' });
      // As a 3.1 buyer's own SDK reads it: valid against the spec's 3.1.19 schema.
      expect(specViolations('get_products', answer)).toEqual([]);
      const products = answer.products as Product[];
      expect(find(products, cardId)?.['product_card']).toEqual(card31);
      expect(find(products, cardId)).not.toHaveProperty('interchange_held31');
      const options = find(products, optionsId);
      expect(options, 'the product declaring format_options only').toBeDefined();
      expect(options!['format_options']).toEqual([expect.objectContaining(options31[0])]);
      expect(options).not.toHaveProperty('format_ids');
      expect(find(products, badId)).toBeUndefined();
      // Everything else the source answered is there.
      expect(products.length).toBeGreaterThanOrEqual(20);
      // The refused one is reported to the seller, as every refused product is.
      await expect
        .poll(() => refusedOf(storefront().id), { timeout: 10_000 })
        .toEqual([{ productId: badId, field: '/product_card/title' }]);
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('answers a 3.0 buyer as before: the 3.1 cards are not in its answer', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, storefront().platformId, buyer.key);
    try {
      const answer = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const products = answer.products as Product[];
      expect(find(products, cardId)).toBeDefined();
      expect(find(products, cardId)).not.toHaveProperty('product_card');
      expect(find(products, optionsId)).not.toHaveProperty('format_options');
    } finally {
      await agent.close();
    }
  }, 120_000);
});
