import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1's canonical formats over MCP with the official client, as canonical_formats checks
 * them: a product whose format_ids and format_options disagree is still answered, with a
 * non-fatal FORMAT_DECLARATION_DIVERGENT advisory in errors[] naming it (`products[N]`,
 * `source: "producer"`), agreeing products get none; a package's direct canonical selector
 * (`format_kind`) is booked only when it satisfies the product's fixed format, else
 * UNSUPPORTED_FEATURE. A 3.0 buyer's answers are as before.
 */

const previousEnv = process.env['NODE_ENV'];
let h: Harness;
let base: string;
let seller: RunningSeller;

// NODE_ENV=production, as storefronts serve (the SDK validates no answer against 3.0.6).
beforeAll(async () => {
  process.env['NODE_ENV'] = 'production';
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  process.env['NODE_ENV'] = previousEnv;
  await seller?.close();
  await h?.close();
});

const pin = { adcp_version: '3.1' };
const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
const creativeAgent = 'https://creative.adcontextprotocol.org/';
const ref = (id: string) => ({ agent_url: creativeAgent, id });
const probe = (metricId: string) => ({ vendor: { domain: 'prism.example' }, metric_id: metricId });

// A display product as canonical_formats seeds it: its own probe metric isolates it.
const fixture = (metricId: string, formatId: string, option: Record<string, unknown>) => ({
  delivery_type: 'guaranteed',
  channels: ['display'],
  format_ids: [ref(formatId)],
  format_options: [option],
  reporting_capabilities: { available_metrics: ['impressions'], vendor_metrics: [probe(metricId)] },
});
const image = (width: number, height: number, v1: string) => ({
  format_kind: 'image',
  format_option_id: `image_${width}x${height}`,
  params: { width, height },
  v1_format_ref: [ref(v1)],
});

describe('a product whose format_ids and format_options disagree', () => {
  it(
    'is answered with a FORMAT_DECLARATION_DIVERGENT advisory for 3.1 buyers, agreeing ones without',
    { timeout: 90_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const customer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, customer.key);
      try {
        const seed = async (id: string, body: Record<string, unknown>) => {
          const seeded = await agent.call('comply_test_controller', {
            scenario: 'seed_product',
            params: { product_id: id, fixture: body },
            account: sandbox,
          });
          expect(seeded.success, JSON.stringify(seeded)).toBe(true);
        };
        // The storyboard's pair: agreeing, and a 728x90 declaration linked to a format not listed.
        await seed(
          'agreeing',
          fixture(
            'probe_agreeing',
            'display_300x250_image',
            image(300, 250, 'display_300x250_image'),
          ),
        );
        await seed(
          'divergent_ref',
          fixture('probe_ref', 'display_300x250_image', image(728, 90, 'display_728x90_image')),
        );
        // Linked to the listed format, but the spec's registry makes display_300x250 a 300x250.
        await seed(
          'divergent_size',
          fixture('probe_size', 'display_300x250', image(728, 90, 'display_300x250')),
        );
        const read = (metricId: string, extra: Record<string, unknown> = pin) =>
          agent.call('get_products', {
            ...extra,
            buying_mode: 'wholesale',
            account: sandbox,
            filters: { channels: ['display'], required_vendor_metrics: [probe(metricId)] },
          });

        const divergent = await read('probe_ref');
        expect(divergent.products.map((p: { product_id: string }) => p.product_id)).toEqual([
          'divergent_ref',
        ]);
        expect(divergent.status).toBe('completed');
        expect(divergent.errors[0]).toMatchObject({
          code: 'FORMAT_DECLARATION_DIVERGENT',
          source: 'producer',
          field: 'products[0]',
          details: {
            product_id: 'divergent_ref',
            format_ids: [ref('display_300x250_image')],
            format_options_summary: [
              { format_kind: 'image', v1_format_ref: [ref('display_728x90_image')] },
            ],
            divergence_reason: expect.stringContaining('display_728x90_image'),
          },
        });

        const bySize = await read('probe_size');
        expect(bySize.errors[0]).toMatchObject({
          code: 'FORMAT_DECLARATION_DIVERGENT',
          field: 'products[0]',
          details: {
            product_id: 'divergent_size',
            divergence_reason: expect.stringContaining('width'),
          },
        });

        const agreeing = await read('probe_agreeing');
        expect(agreeing.products[0].product_id).toBe('agreeing');
        expect(agreeing.errors ?? []).toEqual([]);

        // A 3.0 buyer reads no format_options and gets no 3.1 advisory.
        const old = await read('probe_ref', {});
        const codes = (old.errors ?? []).map((e: { code: string }) => e.code);
        expect(codes).not.toContain('FORMAT_DECLARATION_DIVERGENT');
      } finally {
        await agent.close();
      }
    },
  );
});

describe('a package naming a canonical format_kind', () => {
  it(
    'is booked when it declares the fixed size, refused UNSUPPORTED_FEATURE when it is bare',
    { timeout: 90_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const customer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, customer.key);
      try {
        const seeded = await agent.call('comply_test_controller', {
          scenario: 'seed_product',
          params: {
            product_id: 'mrec',
            fixture: {
              ...fixture(
                'probe_mrec',
                'display_300x250_image',
                image(300, 250, 'display_300x250_image'),
              ),
              pricing_options: [
                {
                  pricing_option_id: 'cpm',
                  pricing_model: 'cpm',
                  currency: 'USD',
                  fixed_price: 12,
                },
              ],
            },
          },
          account: sandbox,
        });
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
        const buy = (selector: Record<string, unknown>, extra: Record<string, unknown> = pin) =>
          agent.call('create_media_buy', {
            ...extra,
            idempotency_key: randomUUID(),
            account: sandbox,
            brand: { domain: 'test.example' },
            start_time: '2099-06-01T00:00:00Z',
            end_time: '2099-06-30T23:59:59Z',
            packages: [{ product_id: 'mrec', pricing_option_id: 'cpm', budget: 1000, ...selector }],
          });

        const bare = await buy({ format_kind: 'image' });
        expect(bare.adcp_error, JSON.stringify(bare)).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].format_kind',
        });
        expect(bare.adcp_error.message).toContain('width 300, height 250');
        const wrongSize = await buy({ format_kind: 'image', params: { width: 728, height: 90 } });
        expect(wrongSize.adcp_error?.code).toBe('UNSUPPORTED_FEATURE');
        const video = await buy({ format_kind: 'video_hosted' });
        expect(video.adcp_error?.field).toBe('packages[0].format_kind');

        const sized = await buy({ format_kind: 'image', params: { width: 300, height: 250 } });
        expect(sized.isError, JSON.stringify(sized)).toBe(false);
        expect(sized.media_buy_id).toEqual(expect.any(String));
        const legacy = await buy({ format_ids: [ref('display_300x250_image')] });
        expect(legacy.isError, JSON.stringify(legacy)).toBe(false);

        // A 3.0 buyer has no canonical selector: the field is not read, as before.
        const old = await buy({ format_kind: 'image' }, {});
        expect(old.isError, JSON.stringify(old)).toBe(false);
      } finally {
        await agent.close();
      }
    },
  );
});
