import { describe, expect, it } from 'vitest';
import { buildDemoCatalog } from '../../src/demo/seller/catalog.js';
import { checkProducts } from '../../src/agents/merchandising/products/product-check.js';

// JSON copies, as a source's answer arrives.
const catalog = () =>
  JSON.parse(JSON.stringify(buildDemoCatalog('https://seller.example/mcp').products)) as Array<
    Record<string, unknown>
  >;

describe('checkProducts', () => {
  it('passes a valid answer through as it is', () => {
    const products = catalog();
    const { valid, refused } = checkProducts(products);
    expect(refused).toEqual([]);
    expect(valid).toBe(products);
  });

  it('refuses each bad product on its own, naming its first refused field', () => {
    const products = catalog().slice(0, 5);
    products[1]!['channels'] = ['billboards'];
    products[3]!['pricing_options'] = [];
    products[4] = { ...products[4], product_id: 42 };
    const { valid, refused } = checkProducts(products);
    expect(valid.map((p) => p.product_id)).toEqual([
      products[0]!['product_id'],
      products[2]!['product_id'],
    ]);
    expect(refused).toEqual([
      expect.objectContaining({
        productId: products[1]!['product_id'],
        field: '/channels/0',
        reason: 'unknown_value',
      }),
      expect.objectContaining({
        productId: products[3]!['product_id'],
        field: '/pricing_options',
        reason: 'out_of_range',
      }),
      // No usable id: named by its place in the answer.
      expect.objectContaining({ productId: '#5 (no usable product_id)', field: '/product_id' }),
    ]);
    expect(refused[0]!.message).toContain('must be one of');
  });

  it('refuses what is not a product at all', () => {
    const { valid, refused } = checkProducts([null, 'x', ...catalog().slice(0, 1)]);
    expect(valid).toHaveLength(1);
    expect(refused.map((r) => [r.productId, r.field])).toEqual([
      ['#1 (no usable product_id)', '/'],
      ['#2 (no usable product_id)', '/'],
    ]);
  });

  it("lets a buyer's fields projection leave out required fields it did not ask for", () => {
    const projected = catalog()
      .slice(0, 2)
      .map((p) => ({ product_id: p['product_id'], name: p['name'], channels: p['channels'] }));
    expect(checkProducts(projected, ['product_id', 'name', 'channels']).refused).toEqual([]);
    // A field it asked for must still be there, and valid.
    const refused = checkProducts(projected, ['product_id', 'name', 'pricing_options']).refused;
    expect(refused.map((r) => r.field)).toEqual(['/pricing_options', '/pricing_options']);
    // Without a projection the same products are refused.
    expect(checkProducts(projected).refused).toHaveLength(2);
  });

  describe('for a 3.1 caller', () => {
    const card31 = { title: 'CTV run of network', description: 'All CTV inventory' };

    it('passes what 3.1 allows and 3.0 refuses: an inline card, formats by options only', () => {
      const [carded, optioned, measured] = catalog().slice(0, 3);
      carded!['product_card'] = card31;
      delete optioned!['format_ids'];
      optioned!['format_options'] = [{ format_kind: 'image', params: { width: 300, height: 250 } }];
      measured!['delivery_measurement'] = { vendors: [{ domain: 'ias.example' }] };
      const products = [carded, optioned, measured];
      expect(checkProducts(products, undefined, '3.1')).toEqual({ valid: products, refused: [] });
      // A 3.0 caller's check is as it was: each of them refused.
      expect(checkProducts(products).refused.map((r) => r.field)).toEqual([
        '/product_card/format_id',
        '/format_ids',
        '/delivery_measurement/provider',
      ]);
    });

    it('refuses what 3.1 refuses, each on its own, with its field and reason', () => {
      const products = catalog().slice(0, 6);
      products[0]!['product_card'] = { ...card31, title: 'x'.repeat(61) };
      delete products[1]!['format_ids'];
      products[2]!['format_options'] = [];
      products[3]!['channels'] = ['billboards'];
      products[4]!['signal_targeting_options'] = [];
      const { valid, refused } = checkProducts(products, undefined, '3.1');
      expect(valid).toEqual([products[5]]);
      expect(refused.map(({ field, reason }) => [field, reason])).toEqual([
        ['/product_card/title', 'out_of_range'],
        ['/format_ids', 'missing_field'],
        ['/format_options', 'out_of_range'],
        ['/channels/0', 'unknown_value'],
        ['/signal_targeting_allowed', 'unknown_value'],
      ]);
      // A projection that asked for neither format field lets the source leave both out.
      const projected = [{ ...products[1], product_card: undefined }];
      expect(checkProducts(projected, ['product_id', 'name'], '3.1').refused).toEqual([]);
    });

    it('passes the values 3.1 added to the enums a product carries, and judges the rest', () => {
      const products = catalog().slice(0, 8);
      const reporting = (i: number) => products[i]!['reporting_capabilities'] as object;
      const cpa = { pricing_option_id: 'f', pricing_model: 'cpa', currency: 'USD', fixed_price: 2 };
      products[0]!['reporting_capabilities'] = {
        ...reporting(0),
        available_metrics: ['impressions', 'cost_per_completed_view', 'brand_lift'],
      };
      products[1]!['pricing_options'] = [{ ...cpa, event_type: 'follow' }];
      products[2]!['measurement_readiness'] = {
        status: 'insufficient',
        required_event_types: ['content_view'],
      };
      products[3]!['reporting_capabilities'] = {
        ...reporting(3),
        supports_geo_breakdown: { postal_area: { US: ['zip'], IN: ['pin'], de_plz: true } },
      };
      products[4]!['trusted_match'] = {
        context_match: true,
        identity_match: true,
        providers: [
          {
            agent_url: 'https://tmp.example/',
            identity_match: true,
            countries: ['US'],
            uid_types: ['world_id_nullifier'],
          },
        ],
      };
      // 3.1 judges the rest of what carries them: a cpa option without its price, a postal system
      // another country's, an unknown metric beside 3.1's.
      products[5]!['pricing_options'] = [{ ...cpa, fixed_price: undefined, event_type: 'follow' }];
      products[6]!['reporting_capabilities'] = {
        ...reporting(6),
        supports_geo_breakdown: { postal_area: { US: ['cep'] } },
      };
      products[7]!['reporting_capabilities'] = {
        ...reporting(7),
        available_metrics: ['engagements', 'dwell_time'],
      };
      const { valid, refused } = checkProducts(products, undefined, '3.1');
      expect(valid).toEqual(products.slice(0, 5));
      expect(refused.map(({ field, reason }) => [field, reason])).toEqual([
        ['/pricing_options/0/fixed_price', 'missing_field'],
        ['/reporting_capabilities/supports_geo_breakdown/postal_area/US', 'unknown_value'],
        ['/reporting_capabilities/available_metrics/0', 'unknown_value'],
      ]);
      // A 3.0 caller's check refuses each of the first five.
      expect(checkProducts(products.slice(0, 5)).refused).toHaveLength(5);
    });
  });
});
