import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkSchemaValidator } from '../../src/agents/hosting/sdk-schema-validator.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { specViolations } from './adcp31-spec-schemas.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * Issue 49 items 1 and 7: what AdCP 3.1.19 added to the enums a product carries (reporting
 * metrics, conversion event types, postal systems) reaches a 3.1 buyer, and a 3.0 buyer gets a
 * valid 3.0 copy; the 3.1 filters a 3.0 source is never sent (`required_metrics`, the placement
 * types) are applied by the storefront; a 3.1 source's errors[] reach a 3.0 buyer in 3.0's codes.
 * A 3.1 buyer and a 3.0 buyer on one storefront, through the official MCP client, over demo
 * sellers on their own sockets: two answering 3.1 callers as 3.1 sellers (one asked live, one
 * publishing wholesale feed versions and mirrored), one speaking 3.0.
 */

let h: Harness;
let base: string;
let live: RunningSeller;
let mirrored: RunningSeller;
let seller30: RunningSeller;
let overLive: string;
let overMirror: string;
let over30: string;

type Json = Record<string, unknown>;
type Product = { product_id: string; pricing_options: Json[] } & Json;

async function callSeller(url: string, tool: string, args: Json): Promise<Json> {
  const client = new Client({ name: 'enums31-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    return (await client.callTool({ name: tool, arguments: args })).structuredContent as Json;
  } finally {
    await client.close();
  }
}

// 3.1.19 enums/available-metric.json values 3.0.6 does not have.
const metrics31 = ['cost_per_completed_view', 'engagements'];
const metricsId = 'ctv_run_of_network';
// A cpa option billed on a 3.1.19 event type (enums/event-type.json: `follow`).
const follow = {
  pricing_option_id: 'cpa_follow',
  pricing_model: 'cpa',
  event_type: 'follow',
  currency: 'USD',
  fixed_price: 2.5,
};
const mixedId = 'dsp_mobile_app';
// Sold only on a 3.1 event type: nothing a 3.0 buyer could buy.
const only31Id = 'olv_news_preroll';
const readinessId = 'ctv_live_sports';
const readiness = {
  status: 'insufficient',
  required_event_types: ['purchase', 'watch_milestone'],
  missing_event_types: ['watch_milestone'],
};
// 3.1.19's country-keyed postal systems beside a legacy key (core/postal-area-support.json).
const postal31 = { US: ['zip', 'zip_plus_four'], BR: ['cep'], gb_outward: true };
const postalId = 'ctv_prime_drama';
// A non-fatal advisory 3.1 added (enums/error-code.json), as a 3.1 seller reports it.
const advisory31 = {
  code: 'FORMAT_DECLARATION_DIVERGENT',
  message: 'format_ids and format_options of dsp_newsletter disagree',
  field: 'products[6].format_options',
  recovery: 'correctable',
  source: 'producer',
};

function as31(product: Product): Product {
  const reporting = product['reporting_capabilities'] as Json;
  switch (product.product_id) {
    case metricsId:
      return {
        ...product,
        reporting_capabilities: {
          ...reporting,
          available_metrics: [...(reporting['available_metrics'] as string[]), ...metrics31],
        },
      };
    case mixedId:
      return { ...product, pricing_options: [...product.pricing_options, follow] };
    case only31Id:
      return { ...product, pricing_options: [{ ...follow, event_type: 'content_view' }] };
    case readinessId:
      return { ...product, measurement_readiness: readiness };
    case postalId:
      return {
        ...product,
        reporting_capabilities: { ...reporting, supports_geo_breakdown: { postal_area: postal31 } },
      };
    default:
      return product;
  }
}

/** A demo seller answering 3.1 callers as a 3.1 seller would, 3.0 callers as before. */
async function as31Seller(seller: RunningSeller, feed: boolean): Promise<void> {
  const caps = await callSeller(seller.url, 'get_adcp_capabilities', {});
  seller.answerInstead!('get_adcp_capabilities', {
    data: { ...caps, adcp: { ...(caps['adcp'] as Json), supported_versions: ['3.0', '3.1'] } },
  });
  const listed = await callSeller(seller.url, 'get_products', { buying_mode: 'wholesale' });
  const products = listed['products'] as Product[];
  seller.answerInstead!('get_products', (args) =>
    args['adcp_version'] === '3.1'
      ? {
          data: {
            products: products.map(as31),
            errors: [advisory31],
            ...(feed && { wholesale_feed_version: 'feed-v1', cache_scope: 'public' }),
          },
        }
      : { data: { products } },
  );
}

// The 3.0 source's products that declare placement types (3.0.6 products admit other properties).
const instreamId = 'olv_news_preroll';
const targetableId = 'olv_live_events';
// A 3.0 product reporting `video_completions`, which 3.1.19 renamed `completed_views` (adcp#3453).
const completionsId = 'olv_outstream_articles';
const declared30: Record<string, Json> = {
  [instreamId]: { video_placement_types: ['instream'] },
  olv_outstream_articles: { video_placement_types: ['accompanying_content'] },
  // A bundle mixing an unrequested type that the buyer cannot narrow: no placements.
  olv_ros_auction: { video_placement_types: ['instream', 'interstitial'] },
  // A mixed product whose instream placement the buyer can target.
  [targetableId]: {
    video_placement_types: ['instream', 'interstitial'],
    placements: [
      {
        placement_id: 'live_preroll',
        name: 'Live pre-roll',
        kind: 'seller_inline',
        mode: 'targetable',
        video_placement_types: ['instream'],
      },
      {
        placement_id: 'live_break',
        name: 'Live break interstitial',
        kind: 'seller_inline',
        mode: 'targetable',
        video_placement_types: ['interstitial'],
      },
    ],
  },
};

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  live = await startSeller('mcp');
  mirrored = await startSeller('mcp');
  seller30 = await startSeller('mcp');
  await as31Seller(live, false);
  await as31Seller(mirrored, true);
  const listed = await callSeller(seller30.url, 'get_products', { buying_mode: 'wholesale' });
  const products30 = (listed['products'] as Product[]).map((p) => {
    const reporting = p['reporting_capabilities'] as Json;
    const more =
      p.product_id === instreamId
        ? ['completed_views']
        : p.product_id === completionsId
          ? ['video_completions', 'completion_rate']
          : [];
    return {
      ...p,
      ...declared30[p.product_id],
      reporting_capabilities: {
        ...reporting,
        available_metrics: [...(reporting['available_metrics'] as string[]), ...more],
      },
    };
  });
  seller30.answerInstead!('get_products', { data: { products: products30 } }, 1_000);
  ({ platformId: overLive } = await storefrontWith(h, [{ sourceId: 'live31', url: live.url }]));
  ({ platformId: overMirror } = await storefrontWith(h, [
    { sourceId: 'feed31', url: mirrored.url },
  ]));
  ({ platformId: over30 } = await storefrontWith(h, [{ sourceId: 'v30', url: seller30.url }]));
}, 120_000);
afterAll(async () => {
  await live?.close();
  await mirrored?.close();
  await seller30?.close();
  await h?.close();
});

const find = (products: Product[], id: string) => products.find((p) => p.product_id.endsWith(id));
const metricsOf = (product: Product | undefined) =>
  (product?.['reporting_capabilities'] as Json | undefined)?.['available_metrics'];
const wholesale = { buying_mode: 'wholesale' };
const v31 = { adcp_version: '3.1' };

describe.each([
  ['asked live', () => overLive],
  ['through the feed mirror', () => overMirror],
])('a 3.1 buyer over a 3.1 source %s', (_how, storefront) => {
  it('gets the enum values 3.1 added, in an answer valid against 3.1.19', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, storefront(), buyer.key);
    try {
      const answer = await agent.call('get_products', { ...v31, ...wholesale });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      expect(specViolations('get_products', answer)).toEqual([]);
      const products = answer.products as Product[];
      expect(metricsOf(find(products, metricsId))).toEqual(expect.arrayContaining(metrics31));
      expect(find(products, mixedId)?.pricing_options).toContainEqual(
        expect.objectContaining({ pricing_option_id: 'cpa_follow', event_type: 'follow' }),
      );
      expect(find(products, only31Id)?.pricing_options).toEqual([
        expect.objectContaining({ event_type: 'content_view' }),
      ]);
      expect(find(products, readinessId)?.['measurement_readiness']).toEqual(readiness);
      const reporting = find(products, postalId)?.['reporting_capabilities'] as Json | undefined;
      expect(reporting?.['supports_geo_breakdown']).toEqual({ postal_area: postal31 });
      // The source's 3.1 advisory, as the source gave it.
      expect(answer.errors).toContainEqual(expect.objectContaining(advisory31));
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a 3.0 buyer over a mirrored 3.1 source', () => {
  it('gets a valid 3.0 copy: 3.1 values dropped, nothing sellable left: left out', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, overMirror, buyer.key);
    try {
      // The 3.1 buyer's ask fills the mirror first; the 3.0 ask is answered from it.
      await agent.call('get_products', { ...v31, ...wholesale });
      const answer = await agent.call('get_products', wholesale);
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const { isError: _flag, ...content } = answer;
      expect(sdkSchemaValidator().validateResponse('get_products', content)).toMatchObject({
        valid: true,
      });
      const products = answer.products as Product[];
      expect(metricsOf(find(products, metricsId))).toEqual(['impressions', 'spend', 'clicks']);
      const mixed = find(products, mixedId);
      expect(mixed?.pricing_options.length).toBeGreaterThan(0);
      expect(mixed?.pricing_options.map((o) => o['pricing_option_id'])).not.toContain('cpa_follow');
      expect(find(products, only31Id)).toBeUndefined();
      expect(find(products, readinessId)).toBeDefined();
      expect(find(products, readinessId)).not.toHaveProperty('measurement_readiness');
      const reporting = find(products, postalId)?.['reporting_capabilities'] as Json | undefined;
      // Where 3.0 has a legacy postal system, the country-keyed one is told in it.
      expect(reporting?.['supports_geo_breakdown']).toEqual({
        postal_area: { us_zip: true, us_zip_plus_four: true, gb_outward: true },
      });
      // The 3.1-only code in the nearest 3.0.6 code, 3.1's own named; no 3.1-only field.
      const advisory = (answer.errors as Json[]).find(
        (e) => (e['details'] as Json | undefined)?.['adcp31_code'] === advisory31.code,
      );
      expect(advisory).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        message: advisory31.message,
        field: advisory31.field,
        recovery: 'correctable',
      });
      expect(advisory).not.toHaveProperty('source');
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a 3.1 buyer over a 3.0 source, filtering by what 3.1 added', () => {
  it('gets only products whose declared placement types it accepts', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, over30, buyer.key);
    try {
      const answer = await agent.call('get_products', {
        ...v31,
        ...wholesale,
        filters: { video_placement_types: ['instream'] },
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      // The 3.0 source was not sent the filter (release.ts): the storefront applied it.
      const asked = seller30
        .toolCalls()
        .filter((c) => c.tool === 'get_products')
        .at(-1)?.args;
      expect(asked?.['filters'] ?? {}).not.toHaveProperty('video_placement_types');
      const ids = (answer.products as Product[]).map((p) => p.product_id);
      expect(ids.filter((id) => id.endsWith(instreamId))).toHaveLength(1);
      expect(ids.filter((id) => id.endsWith(targetableId))).toHaveLength(1);
      expect(ids).toHaveLength(2);
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('gets only products that report every metric in required_metrics', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, over30, buyer.key);
    try {
      const answer = await agent.call('get_products', {
        ...v31,
        ...wholesale,
        filters: { required_metrics: ['completed_views', 'impressions'] },
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      // video_completions is 3.1's completed_views: that product reports it too.
      const ids = (answer.products as Product[]).map((p) => p.product_id).sort();
      expect(ids).toHaveLength(2);
      expect(ids[0]).toMatch(new RegExp(`${instreamId}$`));
      expect(ids[1]).toMatch(new RegExp(`${completionsId}$`));
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a 3.0 source’s values 3.1.19 dropped', () => {
  it('reach a 3.1 buyer as 3.1 names them (video_completions: completed_views), a 3.0 buyer as the source gave them', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, over30, buyer.key);
    try {
      const current = await agent.call('get_products', { ...v31, ...wholesale });
      expect(current.isError, JSON.stringify(current)).toBe(false);
      expect(specViolations('get_products', current)).toEqual([]);
      expect(metricsOf(find(current.products as Product[], completionsId))).toEqual([
        'impressions',
        'spend',
        'clicks',
        'completed_views',
        'completion_rate',
      ]);
      const legacy = await agent.call('get_products', wholesale);
      expect(legacy.isError, JSON.stringify(legacy)).toBe(false);
      expect(metricsOf(find(legacy.products as Product[], completionsId))).toEqual([
        'impressions',
        'spend',
        'clicks',
        'video_completions',
        'completion_rate',
      ]);
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a 3.0 source’s formats reporting video_completions', () => {
  it('reach a 3.1 buyer reporting completed_views, a 3.0 buyer as the source gave them', async () => {
    const listed = await callSeller(seller30.url, 'list_creative_formats', {});
    const [first, ...rest] = listed['formats'] as Json[];
    const reported = { ...first, reported_metrics: ['impressions', 'video_completions'] };
    seller30.answerInstead!('list_creative_formats', { data: { formats: [reported, ...rest] } });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, over30, buyer.key);
    const metricsOfFirst = (answer: Json) =>
      (answer['formats'] as Json[]).find(
        (f) => (f['format_id'] as Json)['id'] === (first!['format_id'] as Json)['id'],
      )?.['reported_metrics'];
    try {
      const current = await agent.call('list_creative_formats', v31);
      expect(current.isError, JSON.stringify(current)).toBe(false);
      expect(metricsOfFirst(current)).toEqual(['impressions', 'completed_views']);
      const legacy = await agent.call('list_creative_formats', {});
      expect(metricsOfFirst(legacy)).toEqual(['impressions', 'video_completions']);
    } finally {
      await agent.close();
    }
  }, 120_000);
});
