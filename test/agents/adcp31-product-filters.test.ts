import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, header, sources } from '../modules/modular-sources/support.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * The get_products filters AdCP 3.1 adds, which a 3.0 source ignores, applied by the storefront
 * for a 3.1 buyer (storyboards canonical_formats, pricing_currency_filter): products reporting
 * the required vendor metrics, and pricing in the buyer's currencies; and `required_metrics` and
 * the placement types on every kind of source (a spreadsheet, the buyer's sandbox). A 3.0
 * buyer's answer is not narrowed. Over MCP with the official client, on the buyer's seeded
 * sandbox products.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
const reporting = (vendorMetrics: unknown[]) => ({
  available_reporting_frequencies: ['daily'],
  expected_delay_minutes: 60,
  timezone: 'UTC',
  supports_webhooks: false,
  available_metrics: ['impressions'],
  date_range_support: 'date_range',
  vendor_metrics: vendorMetrics,
});
const probe = { vendor: { domain: 'prism.example' }, metric_id: 'storyboard_probe' };

async function seededBuyer() {
  const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
  const customer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, customer.key);
  const control = async (scenario: string, params: Record<string, unknown>) => {
    const answer = await agent.call('comply_test_controller', {
      scenario,
      params,
      account: sandbox,
    });
    expect(answer.success, JSON.stringify(answer)).toBe(true);
  };
  const display = { delivery_type: 'non_guaranteed', channels: ['display'] };
  await control('seed_product', {
    product_id: 'probed_display',
    fixture: { ...display, reporting_capabilities: reporting([probe]) },
  });
  await control('seed_product', {
    product_id: 'mixed_currency_display',
    fixture: { ...display, reporting_capabilities: reporting([]) },
  });
  for (const [id, currency] of [
    ['mixed_usd', 'USD'],
    ['mixed_eur', 'EUR'],
  ] as const) {
    await control('seed_pricing_option', {
      product_id: 'mixed_currency_display',
      pricing_option_id: id,
      fixture: { pricing_model: 'cpm', currency, fixed_price: 10 },
    });
  }
  await control('seed_product', {
    product_id: 'mandatory_eur_signal',
    fixture: {
      ...display,
      signal_targeting_allowed: true,
      signal_targeting_rules: { resolution_model: 'direct_targeting', selection_mode: 'fixed' },
      signal_targeting_options: [
        {
          signal_ref: { scope: 'product', signal_id: 'fixed_sports' },
          name: 'Fixed sports',
          value_type: 'binary',
          default_selected: true,
          pricing_options: [
            { pricing_option_id: 'sports_eur', model: 'cpm', cpm: 1.5, currency: 'EUR' },
          ],
        },
      ],
    },
  });
  const products = (args: Record<string, unknown>) =>
    agent.call('get_products', { buying_mode: 'wholesale', account: sandbox, ...args });
  return { agent, products };
}

const idsOf = (answer: { products: Array<{ product_id: string }> }) =>
  answer.products.map((p) => p.product_id);

describe('3.1 product filters a 3.0 source ignores', () => {
  it('keeps only products reporting the required vendor metric, for a 3.1 buyer', async () => {
    const { agent, products } = await seededBuyer();
    try {
      const filters = { channels: ['display'], required_vendor_metrics: [probe] };
      const current = await products({ adcp_version: '3.1', filters });
      expect(current.isError, JSON.stringify(current)).toBe(false);
      expect(idsOf(current)).toEqual(['probed_display']);
      const byVendor = await products({
        adcp_version: '3.1',
        filters: { required_vendor_metrics: [{ vendor: { domain: 'PRISM.example' } }] },
      });
      expect(idsOf(byVendor)).toEqual(['probed_display']);
      const none = await products({
        adcp_version: '3.1',
        filters: { required_vendor_metrics: [{ ...probe, metric_id: 'other' }] },
      });
      expect(none).toMatchObject({ isError: false, products: [] });
      // A 3.0 buyer's filters are 3.0's: the same request is not narrowed.
      const legacy = await products({ filters });
      expect(idsOf(legacy)).toEqual(
        expect.arrayContaining(['probed_display', 'mixed_currency_display']),
      );
    } finally {
      await agent.close();
    }
  });

  it('prices in the buyer’s currencies only, leaving out a product with a mandatory charge it cannot pay', async () => {
    const { agent, products } = await seededBuyer();
    try {
      const usd = await products({ adcp_version: '3.1', filters: { pricing_currencies: ['USD'] } });
      const mixed = usd.products.find(
        (p: { product_id: string }) => p.product_id === 'mixed_currency_display',
      );
      expect(
        mixed.pricing_options.map((o: { pricing_option_id: string }) => o.pricing_option_id),
      ).toEqual(['mixed_usd']);
      for (const product of usd.products) {
        for (const option of product.pricing_options) expect(option.currency).toBe('USD');
      }
      expect(idsOf(usd)).not.toContain('mandatory_eur_signal');
      const eur = await products({ adcp_version: '3.1', filters: { pricing_currencies: ['EUR'] } });
      expect(idsOf(eur)).toEqual(['mixed_currency_display']);
      // 3.0: no such filter, every price shown.
      const legacy = await products({ filters: { pricing_currencies: ['USD'] } });
      const all = legacy.products.find(
        (p: { product_id: string }) => p.product_id === 'mixed_currency_display',
      );
      expect(all.pricing_options).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });

  it('answers an auction-only ask (is_fixed_price: false) without the rate-card products', async () => {
    const { agent, products } = await seededBuyer();
    try {
      const auction = await products({ filters: { is_fixed_price: false } });
      expect(idsOf(auction)).not.toContain('mixed_currency_display');
      const fixed = await products({ filters: { is_fixed_price: true } });
      expect(idsOf(fixed)).toContain('mixed_currency_display');
    } finally {
      await agent.close();
    }
  });
});

/** A listed storefront over a spreadsheet (modular) source of two display avails. */
async function spreadsheetStorefront() {
  const owner = await createCustomer(h, { role: 'SELLER' });
  const ok = (res: { status: number; text: string }, status = 200) =>
    expect(res.status, res.text).toBe(status);
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: owner.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  ok(sf);
  ok(
    await h.call('POST', `${sources}/modular/feed`, {
      key: owner.key,
      body: { name: 'Print avails', sourceId: 'avails' },
    }),
    201,
  );
  const row = (id: string) =>
    `${id},Page ${id},pages,display,${new Date(Date.now() - 86_400_000).toISOString()},${new Date(Date.now() + 30 * 86_400_000).toISOString()},50000,14,USD,display_300x250,news.example`;
  await commitCsv(h, owner.key, 'avails', [header, row('letters'), row('gardening')].join('\n'));
  ok(await h.call('POST', '/api/v2/storefront/activate', { key: owner.key }));
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  return sf.body.data.platformId as string;
}

const metricsReported = (metrics: string[]) => ({
  ...reporting([]),
  available_metrics: metrics,
});

describe('3.1 reporting and placement filters on every kind of source', () => {
  it('a spreadsheet and the buyer’s sandbox answer a 3.1 buyer only what reports the metrics and declares the placement types asked; a 3.0 buyer gets today’s answer', async () => {
    const platformId = await spreadsheetStorefront();
    const customer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, platformId, customer.key);
    try {
      const video = { delivery_type: 'non_guaranteed', channels: ['olv'] };
      const seeds: Record<string, Record<string, unknown>> = {
        instream_viewable: {
          video_placement_types: ['instream'],
          reporting_capabilities: metricsReported(['impressions', 'viewability']),
        },
        instream_unmeasured: {
          video_placement_types: ['instream'],
          reporting_capabilities: metricsReported(['impressions']),
        },
        // No placement types declared: cannot be shown to satisfy a placement filter.
        undeclared_viewable: { reporting_capabilities: metricsReported(['viewability']) },
        // A bundle with an unrequested type the buyer cannot narrow (no targetable placement).
        bundle_viewable: {
          video_placement_types: ['instream', 'interstitial'],
          reporting_capabilities: metricsReported(['viewability']),
        },
        // Seeded as the measurement_accountability storyboard seeds: no reporting capabilities;
        // the sandbox reports what its simulated delivery does (completed views on video).
        ctv_unstated: { channels: ['ctv'] },
      };
      for (const [id, fixture] of Object.entries(seeds)) {
        const seeded = await agent.call('comply_test_controller', {
          scenario: 'seed_product',
          params: { product_id: id, fixture: { ...video, ...fixture } },
          account: sandbox,
        });
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      }
      const products = async (args: Record<string, unknown>) => {
        const answer = await agent.call('get_products', {
          buying_mode: 'wholesale',
          account: sandbox,
          ...args,
        });
        expect(answer.isError, JSON.stringify(answer)).toBe(false);
        return (idsOf(answer) as string[]).sort();
      };
      const spreadsheet = ['avails__gardening', 'avails__letters'];
      const everything = await products({});
      expect(everything).toEqual([...Object.keys(seeds), ...spreadsheet].sort());

      // The spreadsheet's products report the SDK's default metrics (no viewability).
      const viewable = { required_metrics: ['viewability'] };
      expect(await products({ adcp_version: '3.1', filters: viewable })).toEqual(
        ['bundle_viewable', 'instream_viewable', 'undeclared_viewable'].sort(),
      );
      // A metric the spreadsheet's products do declare keeps them (so does the SDK's default).
      expect(
        await products({ adcp_version: '3.1', filters: { required_metrics: ['clicks'] } }),
      ).toEqual([...spreadsheet, 'ctv_unstated']);
      expect(
        await products({ adcp_version: '3.1', filters: { required_metrics: ['completed_views'] } }),
      ).toEqual(['ctv_unstated']);
      const instream = { video_placement_types: ['instream'] };
      expect(await products({ adcp_version: '3.1', filters: instream })).toEqual([
        'instream_unmeasured',
        'instream_viewable',
      ]);
      expect(
        await products({ adcp_version: '3.1', filters: { ...viewable, ...instream } }),
      ).toEqual(['instream_viewable']);
      expect(
        await products({ adcp_version: '3.1', filters: { social_placement_surfaces: ['feed'] } }),
      ).toEqual([]);

      // A 3.0 buyer: 3.0 has none of these filters, and its answer is today's.
      expect(await products({ filters: { ...viewable, ...instream } })).toEqual(everything);
    } finally {
      await agent.close();
    }
  });
});
