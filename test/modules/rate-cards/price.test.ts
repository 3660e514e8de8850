import type { GetProductsResponse } from '@adcp/sdk/types';
import { describe, expect, it } from 'vitest';
import { applyDiscount } from '../../../src/modules/buyer-instructions/index.js';
import {
  buyerAskOf,
  type PricingFact,
  priceForBuyer,
} from '../../../src/modules/rate-cards/index.js';

type Product = GetProductsResponse['products'][number];

/** The rate card's arithmetic, pure (the MCP test proves it is what buyers get). */
const product = (id: string, channel: string, options: Record<string, unknown>[]): Product =>
  ({
    product_id: id,
    name: id,
    description: '',
    channels: [channel],
    publisher_properties: [{ publisher_domain: 'pub.example', selection_type: 'all' }],
    format_ids: [],
    delivery_type: 'non_guaranteed',
    reporting_capabilities: {},
    pricing_options: options.map((o, i) => ({
      pricing_option_id: `p${i}`,
      pricing_model: 'cpm',
      currency: 'USD',
      ...o,
    })),
  }) as unknown as Product;

const fact = (over: Partial<PricingFact>): PricingFact => ({
  id: 'f',
  label: 'f',
  appliesWhen: 'f',
  hints: {},
  pricing: { pricingModel: 'cpm' },
  strength: 'default',
  updatedAt: new Date(0).toISOString(),
  ...over,
});

const price = (products: Product[], facts: PricingFact[], request = {}, percent = 0) =>
  priceForBuyer(
    products,
    { currency: 'USD', facts },
    {
      ask: buyerAskOf(request),
      discount: (p) => applyDiscount(p, percent),
      storefrontCurrency: null,
    },
  );
const options = (p: Product): Array<Record<string, unknown>> =>
  p.pricing_options.map((o) => ({ ...o }));

describe('priceForBuyer', () => {
  it('sets a default where the source gave no price, and leaves a source price alone', () => {
    const [open, priced] = price(
      [product('open', 'olv', [{}]), product('priced', 'olv', [{ fixed_price: 12 }])],
      [
        fact({
          id: 'olv',
          hints: { channels: ['olv'] },
          pricing: { pricingModel: 'cpm', targetPrice: 20 },
        }),
      ],
    );
    expect(options(open!)[0]).toMatchObject({ floor_price: 20 });
    expect(options(priced!)[0]).toMatchObject({ fixed_price: 12 });
  });

  it('caps at a ceiling, and a hard floor wins over both discount and ceiling', () => {
    const [shown] = price(
      [product('a', 'ctv', [{ fixed_price: 100 }, { floor_price: 10 }])],
      [
        fact({ id: 'cap', pricing: { pricingModel: 'cpm', targetPrice: 50, ceilingPrice: 80 } }),
        fact({
          id: 'floor',
          strength: 'hard_floor',
          pricing: { pricingModel: 'cpm', floorPrice: 70 },
        }),
      ],
      {},
      50,
    );
    // 100 → 50 (discount) → 70 (floor); the auction floor 10 → 5 → 70.
    expect(options(shown!)[0]).toMatchObject({ fixed_price: 70 });
    expect(options(shown!)[1]).toMatchObject({ floor_price: 70 });
  });

  it('applies a country-scoped hard floor when the buyer names no country, not a default', () => {
    const facts = [
      fact({
        id: 'uk-floor',
        strength: 'hard_floor',
        hints: { countries: ['GB'] },
        pricing: { pricingModel: 'cpm', floorPrice: 30 },
      }),
      fact({
        id: 'uk-default',
        hints: { countries: ['GB'] },
        pricing: { pricingModel: 'cpm', targetPrice: 40 },
      }),
    ];
    const silent = price([product('a', 'display', [{ fixed_price: 10 }])], facts);
    expect(options(silent[0]!)[0]).toMatchObject({ fixed_price: 30 });
    const us = price([product('a', 'display', [{ fixed_price: 10 }])], facts, {
      filters: { countries: ['US'] },
    });
    expect(options(us[0]!)[0]).toMatchObject({ fixed_price: 10 });
  });

  it('prices only its own pricing model and currency; guidance prices nothing', () => {
    const [shown] = price(
      [product('a', 'display', [{ fixed_price: 5 }, { fixed_price: 5, currency: 'EUR' }])],
      [
        fact({ id: 'g', strength: 'guidance', pricing: { pricingModel: 'cpm', floorPrice: 99 } }),
        fact({
          id: 'cpc',
          strength: 'hard_floor',
          pricing: { pricingModel: 'cpc', floorPrice: 99 },
        }),
        fact({
          id: 'usd',
          strength: 'hard_floor',
          pricing: { pricingModel: 'cpm', floorPrice: 8 },
        }),
      ],
    );
    expect(options(shown!).map((o) => o['fixed_price'])).toEqual([8, 5]);
  });
});
