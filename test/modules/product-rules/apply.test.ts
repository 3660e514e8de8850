import { ProductSchema } from '@adcp/sdk/schemas';
import { describe, expect, it } from 'vitest';
import {
  type ApplicableProductRule,
  applyProductRules,
} from '../../../src/modules/product-rules/index.js';
import type { Product, RuleEffect } from '../../../src/modules/product-rules/apply.js';

const creative = 'https://creative.adcontextprotocol.org';

/** A storefront product as composition leaves it: namespaced id, ext.interchange annotation. */
function product(sourceId: string, upstreamId: string, extra: Partial<Product> = {}): Product {
  return {
    product_id: `${sourceId}__${upstreamId}`,
    name: `${upstreamId} name`,
    description: `${upstreamId} description`,
    publisher_properties: [{ publisher_domain: `${sourceId}.example`, selection_type: 'all' }],
    format_ids: [{ agent_url: creative, id: 'display_300x250' }],
    channels: ['display'],
    delivery_type: 'guaranteed',
    pricing_options: [
      { pricing_option_id: 'cpm-fixed', pricing_model: 'cpm', currency: 'USD', fixed_price: 10 },
    ],
    reporting_capabilities: {
      available_reporting_frequencies: ['daily'],
      expected_delay_minutes: 240,
      timezone: 'UTC',
      supports_webhooks: false,
      available_metrics: ['impressions', 'spend'],
      date_range_support: 'date_range',
    },
    ...extra,
    ext: {
      interchange: {
        storefront: 'storefront-1',
        source_id: sourceId,
        upstream_product_id: upstreamId,
      },
    },
  } as Product;
}

const ids = (products: Product[]) => products.map((p) => p.product_id);
type Option = Product['pricing_options'][number] & {
  fixed_price?: number;
  floor_price?: number;
  price_breakdown?: { list_price: number; adjustments: Record<string, unknown>[] };
};
const optionsOf = (p: Product) => p.pricing_options as Option[];

/** The AdCP shape: required Product fields, and every breakdown walks list_price to fixed_price. */
function expectAdcpShape(products: Product[]) {
  for (const p of products) {
    const parsed = ProductSchema.safeParse(p);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    for (const option of optionsOf(p)) {
      const breakdown = option.price_breakdown;
      if (!breakdown) continue;
      expect(breakdown.list_price).toBeGreaterThan(0);
      expect(breakdown.adjustments.length).toBeGreaterThanOrEqual(1);
      let running = breakdown.list_price;
      for (const a of breakdown.adjustments) {
        expect(a).toMatchObject({ kind: expect.any(String), name: expect.any(String) });
        expect('rate' in a !== 'amount' in a).toBe(true);
        const step = typeof a.rate === 'number' ? running * a.rate : (a.amount as number);
        expect(step).toBeGreaterThan(0);
        if (a.kind === 'fee') running = Math.round((running + step) * 100) / 100;
        if (a.kind === 'discount') running = Math.round((running - step) * 100) / 100;
      }
      expect(running).toBeCloseTo(option.fixed_price as number, 2);
    }
  }
}

const a1 = product('alpha', 'home', { channels: ['display', 'olv'] });
const a2 = product('alpha', 'video', {
  channels: ['olv'],
  format_ids: [{ agent_url: creative, id: 'video_15s' }],
});
const b1 = product('beta', 'ctv', {
  channels: ['ctv'],
  publisher_properties: [
    { publisher_domain: 'tv.example', selection_type: 'by_tag', property_tags: ['ctv'] },
  ],
  format_ids: [{ agent_url: creative, id: 'video_15s' }],
  delivery_type: 'non_guaranteed',
  pricing_options: [
    { pricing_option_id: 'auction', pricing_model: 'cpm', currency: 'USD', floor_price: 4 },
  ],
});
const catalog = [a1, a2, b1];

describe('applyProductRules: include and exclude', () => {
  it('returns the products untouched when there are no rules', () => {
    expect(applyProductRules(catalog, [])).toBe(catalog);
  });

  it('keeps only products matching some include rule, when any include rule exists', () => {
    const rules: ApplicableProductRule[] = [
      { kind: 'include', match: { sourceIds: ['beta'] }, action: {} },
      { kind: 'include', match: { productIds: ['alpha__home'] }, action: {} },
    ];
    expect(ids(applyProductRules(catalog, rules))).toEqual(['alpha__home', 'beta__ctv']);
  });

  it('drops products matching any exclude rule, after includes', () => {
    const rules: ApplicableProductRule[] = [
      { kind: 'include', match: { sourceIds: ['alpha'] }, action: {} },
      { kind: 'exclude', match: { formatIds: ['video_15s'] }, action: {} },
    ];
    expect(ids(applyProductRules(catalog, rules))).toEqual(['alpha__home']);
  });

  it('ANDs match criteria and ORs the values of one criterion', () => {
    const exclude = (match: ApplicableProductRule['match']) =>
      ids(applyProductRules(catalog, [{ kind: 'exclude', match, action: {} }]));
    expect(exclude({ sourceIds: ['alpha'], channels: ['olv'] })).toEqual(['beta__ctv']);
    expect(exclude({ sourceIds: ['alpha'], channels: ['ctv'] })).toEqual(ids(catalog));
    expect(exclude({ channels: ['ctv', 'display'] })).toEqual(['alpha__video']);
    expect(exclude({ publisherDomains: ['tv.example'] })).toEqual(['alpha__home', 'alpha__video']);
    expect(exclude({})).toEqual([]);
  });

  it('does not match a sourceIds rule against a product without a source annotation', () => {
    const bare = { ...a1, ext: {} } as Product;
    const out = applyProductRules(
      [bare],
      [{ kind: 'exclude', match: { sourceIds: ['alpha'] }, action: {} }],
    );
    expect(ids(out)).toEqual(['alpha__home']);
  });

  it('ignores inactive rules', () => {
    const out = applyProductRules(catalog, [
      { kind: 'exclude', match: {}, action: {}, active: false },
    ]);
    expect(ids(out)).toEqual(ids(catalog));
  });

  it('leaves its input untouched', () => {
    const before = structuredClone(catalog);
    applyProductRules(catalog, [
      { kind: 'rename', match: {}, action: { name: 'X' } },
      { kind: 'price', match: {}, action: { markupPercent: 50, floorCpm: 20 } },
      { kind: 'package', match: {}, action: { productId: 'all', name: 'All' } },
    ]);
    expect(catalog).toEqual(before);
  });
});

describe('applyProductRules: rename', () => {
  it('sets name and description, each from the first matching rule by priority that sets it', () => {
    const rules: ApplicableProductRule[] = [
      { kind: 'rename', priority: 200, match: {}, action: { name: 'Generic', description: 'D' } },
      { kind: 'rename', priority: 10, match: { sourceIds: ['alpha'] }, action: { name: 'Alpha' } },
    ];
    const [home, , ctv] = applyProductRules(catalog, rules);
    expect(home).toMatchObject({ name: 'Alpha', description: 'D' });
    expect(ctv).toMatchObject({ name: 'Generic', description: 'D' });
    expectAdcpShape(applyProductRules(catalog, rules));
  });
});

describe('applyProductRules: price', () => {
  it('marks up fixed and floor prices, rounded to cents, with a fee in the breakdown', () => {
    const out = applyProductRules(
      [
        product('alpha', 'odd', {
          pricing_options: [
            { pricing_option_id: 'f', pricing_model: 'cpm', currency: 'USD', fixed_price: 10.33 },
            { pricing_option_id: 'a', pricing_model: 'cpc', currency: 'USD', floor_price: 1.01 },
          ],
        }),
        b1,
      ],
      [{ kind: 'price', match: {}, action: { markupPercent: 15 } }],
    );
    const [fixed, auction] = optionsOf(out[0] as Product);
    expect(fixed?.fixed_price).toBe(11.88);
    expect(fixed?.price_breakdown).toEqual({
      list_price: 10.33,
      adjustments: [
        {
          kind: 'fee',
          name: 'storefront_markup',
          amount: 1.55,
          description: 'Storefront markup of 15%',
        },
      ],
    });
    expect(auction).toEqual({
      pricing_option_id: 'a',
      pricing_model: 'cpc',
      currency: 'USD',
      floor_price: 1.16,
    });
    expect(optionsOf(out[1] as Product)[0]).toMatchObject({ floor_price: 4.6 });
    expect(optionsOf(out[1] as Product)[0]?.price_breakdown).toBeUndefined();
    expectAdcpShape(out);
  });

  it('accepts markups past 100% (recorded as an amount, since AdCP rates stay below 1)', () => {
    const [p] = applyProductRules(
      [a1],
      [{ kind: 'price', match: {}, action: { markupPercent: 500 } }],
    );
    expect(optionsOf(p as Product)[0]).toMatchObject({ fixed_price: 60 });
    expectAdcpShape([p as Product]);
  });

  it('raises cpm prices below floorCpm after the markup, and sets a floor on floorless auctions', () => {
    const cheap = product('alpha', 'cheap', {
      pricing_options: [
        { pricing_option_id: 'f', pricing_model: 'cpm', currency: 'USD', fixed_price: 2 },
        { pricing_option_id: 'a', pricing_model: 'cpm', currency: 'USD', floor_price: 3 },
        { pricing_option_id: 'open', pricing_model: 'cpm', currency: 'USD' },
        { pricing_option_id: 'hi', pricing_model: 'cpm', currency: 'USD', fixed_price: 9 },
        { pricing_option_id: 'cpc', pricing_model: 'cpc', currency: 'USD', fixed_price: 0.5 },
      ],
    });
    const [p] = applyProductRules(
      [cheap],
      [{ kind: 'price', match: {}, action: { markupPercent: 50, floorCpm: 5 } }],
    );
    const [fixed, auction, open, high, cpc] = optionsOf(p as Product);
    expect(fixed).toMatchObject({ fixed_price: 5 });
    expect(fixed?.price_breakdown).toEqual({
      list_price: 2,
      adjustments: [
        {
          kind: 'fee',
          name: 'storefront_markup',
          amount: 1,
          description: 'Storefront markup of 50%',
        },
        {
          kind: 'fee',
          name: 'storefront_floor',
          amount: 2,
          description: 'Raised to the storefront floor CPM of 5',
        },
      ],
    });
    expect(auction).toMatchObject({ floor_price: 5 });
    expect(open).toMatchObject({ floor_price: 5 });
    expect(high).toMatchObject({ fixed_price: 13.5 });
    expect(high?.price_breakdown?.adjustments).toHaveLength(1);
    // The floor is a CPM: other pricing models only get the markup.
    expect(cpc).toMatchObject({ fixed_price: 0.75 });
    expectAdcpShape([p as Product]);
  });

  it('extends an upstream breakdown instead of replacing it', () => {
    const discounted = product('alpha', 'deal', {
      pricing_options: [
        {
          pricing_option_id: 'f',
          pricing_model: 'cpm',
          currency: 'USD',
          fixed_price: 9,
          price_breakdown: {
            list_price: 10,
            adjustments: [{ kind: 'discount', name: 'volume', rate: 0.1 }],
          },
        },
      ],
    });
    const [p] = applyProductRules(
      [discounted],
      [{ kind: 'price', match: {}, action: { floorCpm: 12 } }],
    );
    expect(optionsOf(p as Product)[0]).toMatchObject({
      fixed_price: 12,
      price_breakdown: {
        list_price: 10,
        adjustments: [
          { kind: 'discount', name: 'volume', rate: 0.1 },
          { kind: 'fee', name: 'storefront_floor', amount: 3 },
        ],
      },
    });
    expectAdcpShape([p as Product]);
  });

  it('takes markup and floor each from the first matching rule that sets it, so a 0 markup exempts', () => {
    const rules: ApplicableProductRule[] = [
      { kind: 'price', priority: 100, match: {}, action: { markupPercent: 20 } },
      {
        kind: 'price',
        priority: 5,
        match: { productIds: ['alpha__video'] },
        action: { markupPercent: 0 },
      },
      { kind: 'price', priority: 50, match: { sourceIds: ['alpha'] }, action: { floorCpm: 11 } },
    ];
    const [home, video, ctv] = applyProductRules(catalog, rules);
    expect(optionsOf(home as Product)[0]).toMatchObject({ fixed_price: 12 });
    expect(optionsOf(video as Product)[0]).toMatchObject({ fixed_price: 11 });
    expect(optionsOf(ctv as Product)[0]).toMatchObject({ floor_price: 4.8 });
    expectAdcpShape([home, video, ctv] as Product[]);
  });
});

describe('applyProductRules: package', () => {
  it('replaces the matched products by one AdCP product, where the first of them stood', () => {
    const other = product('gamma', 'solo');
    const out = applyProductRules(
      [other, a1, a2, b1],
      [
        {
          kind: 'package',
          match: { channels: ['olv', 'ctv'] },
          action: { productId: 'video-bundle', name: 'Video bundle', description: 'All our video' },
        },
      ],
    );
    expect(ids(out)).toEqual(['gamma__solo', 'video-bundle']);
    const bundle = out[1] as Product;
    expect(bundle).toEqual({
      product_id: 'video-bundle',
      name: 'Video bundle',
      description: 'All our video',
      publisher_properties: [
        { publisher_domain: 'alpha.example', selection_type: 'all' },
        { publisher_domain: 'tv.example', selection_type: 'by_tag', property_tags: ['ctv'] },
      ],
      format_ids: [
        { agent_url: creative, id: 'display_300x250' },
        { agent_url: creative, id: 'video_15s' },
      ],
      channels: ['display', 'olv', 'ctv'],
      delivery_type: 'guaranteed',
      pricing_options: a1.pricing_options,
      reporting_capabilities: a1.reporting_capabilities,
      ext: {
        interchange: {
          storefront: 'storefront-1',
          packaged: [
            {
              source_id: 'alpha',
              upstream_product_id: 'home',
              product_id: 'alpha__home',
              pricing_option_ids: ['cpm-fixed'],
            },
            {
              source_id: 'alpha',
              upstream_product_id: 'video',
              product_id: 'alpha__video',
              pricing_option_ids: ['cpm-fixed'],
            },
            {
              source_id: 'beta',
              upstream_product_id: 'ctv',
              product_id: 'beta__ctv',
              pricing_option_ids: ['auction'],
            },
          ],
        },
      },
    });
    expectAdcpShape(out);
  });

  it('describes the components when the action has no description', () => {
    const [bundle] = applyProductRules(
      [a1, a2],
      [{ kind: 'package', match: {}, action: { productId: 'p1', name: 'P' } }],
    );
    expect(bundle?.description).toBe('A package of 2 products: home name; video name');
  });

  it('puts each product in the first package rule by priority, and adds nothing for an empty one', () => {
    const out = applyProductRules(catalog, [
      { kind: 'package', priority: 2, match: {}, action: { productId: 'rest', name: 'Rest' } },
      {
        kind: 'package',
        priority: 1,
        match: { sourceIds: ['beta'] },
        action: { productId: 'b', name: 'B' },
      },
      {
        kind: 'package',
        priority: 0,
        match: { sourceIds: ['none'] },
        action: { productId: 'z', name: 'Z' },
      },
    ]);
    expect(ids(out)).toEqual(['rest', 'b']);
    expect(
      (
        out[0]?.ext as { interchange: { packaged: { product_id: string }[] } }
      ).interchange.packaged.map((c) => c.product_id),
    ).toEqual(['alpha__home', 'alpha__video']);
  });

  it('packages after filtering, renaming and pricing: the package carries its first priced component', () => {
    const out = applyProductRules(catalog, [
      { kind: 'exclude', match: { productIds: ['alpha__home'] }, action: {} },
      { kind: 'rename', match: {}, action: { name: 'Renamed' } },
      { kind: 'price', match: {}, action: { markupPercent: 10 } },
      {
        kind: 'package',
        match: { channels: ['olv', 'ctv'] },
        action: { productId: 'v', name: 'V' },
      },
    ]);
    expect(ids(out)).toEqual(['v']);
    const bundle = out[0] as Product;
    expect(bundle.name).toBe('V');
    expect(optionsOf(bundle)[0]).toMatchObject({ fixed_price: 11 });
    expect(bundle.delivery_type).toBe('guaranteed');
    expectAdcpShape(out);
  });

  it('keeps one selector per publisher selected with "all", and dedups format ids by agent and id', () => {
    const tagged = product('alpha', 'tagged', {
      publisher_properties: [
        { publisher_domain: 'alpha.example', selection_type: 'by_id', property_ids: ['site'] },
      ],
      format_ids: [
        { agent_url: creative, id: 'display_300x250' },
        { agent_url: 'https://other.example', id: 'display_300x250' },
      ],
    });
    const [bundle] = applyProductRules(
      [tagged, a1],
      [{ kind: 'package', match: {}, action: { productId: 'p2', name: 'P' } }],
    );
    expect(bundle?.publisher_properties).toEqual([
      { publisher_domain: 'alpha.example', selection_type: 'all' },
    ]);
    expect(bundle?.format_ids).toEqual([
      { agent_url: creative, id: 'display_300x250' },
      { agent_url: 'https://other.example', id: 'display_300x250' },
    ]);
  });
});

describe('applyProductRules: priority', () => {
  it('re-sorts by priority (stable) when rules arrive unsorted', () => {
    const [home] = applyProductRules(
      [a1],
      [
        { kind: 'rename', priority: 300, match: {}, action: { name: 'Late' } },
        { kind: 'rename', priority: 100, match: {}, action: { name: 'First' } },
        { kind: 'rename', priority: 100, match: {}, action: { name: 'Second' } },
      ],
    );
    expect(home?.name).toBe('First');
  });
});

describe('applyProductRules: trace', () => {
  it('tells which rule did what to each product, and answers the same as without a trace', () => {
    const markup: ApplicableProductRule = {
      kind: 'price',
      match: {},
      action: { markupPercent: 10, floorCpm: 5 },
    };
    const hide: ApplicableProductRule = {
      kind: 'exclude',
      match: { sourceIds: ['beta'] },
      action: {},
    };
    const rename: ApplicableProductRule = {
      kind: 'rename',
      match: {},
      action: { name: 'Renamed' },
    };
    const rules = [markup, hide, rename];
    const products = [product('alpha', 'home'), product('beta', 'sports')];
    const seen: Array<[string, RuleEffect]> = [];
    const traced = applyProductRules(products, rules, (id, effect) => seen.push([id, effect]));
    expect(traced).toEqual(applyProductRules(products, rules));
    expect(seen).toEqual([
      ['beta__sports', { change: 'excluded', rule: hide }],
      ['alpha__home', { change: 'renamed', rule: rename, field: 'name', to: 'Renamed' }],
      ['alpha__home', { change: 'marked_up', rule: markup, markupPercent: 10, moved: true }],
      // 11 is above the floor of 5: the floor applies but moves no price.
      ['alpha__home', { change: 'floored', rule: markup, floorCpm: 5, moved: false }],
    ]);
  });
});
