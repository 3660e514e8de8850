import { describe, expect, it } from 'vitest';
import { postureGuidance, presentForPosture } from '../../../src/modules/postures/index.js';

type P = Parameters<typeof presentForPosture>[0][number];
const product = (id: string, prices: Array<{ fixed?: number; floor?: number }>, packaged = false) =>
  ({
    product_id: id,
    pricing_options: prices.map((p, i) => ({
      pricing_option_id: `${id}-${i}`,
      pricing_model: 'cpm',
      currency: 'USD',
      ...(p.fixed !== undefined && { fixed_price: p.fixed }),
      ...(p.floor !== undefined && { floor_price: p.floor }),
    })),
    ...(packaged && { ext: { interchange: { packaged: [] } } }),
  }) as unknown as P;

const catalog = () => [
  product('a', [{ fixed: 30 }]),
  product('b', [{ fixed: 12 }, { floor: 4 }]),
  product('c', []),
  product('d', [{ floor: 8 }], true),
  ...Array.from({ length: 16 }, (_, i) => product(`x${i}`, [{ fixed: 50 + i }])),
];
const ids = (ps: P[]) => ps.map((p) => p.product_id);

describe('posture guidance for get_products', () => {
  it('shows the decision table’s product counts when the buyer does not choose', () => {
    for (const [posture, guidance] of Object.entries(postureGuidance)) {
      const shown = presentForPosture(catalog(), posture as keyof typeof postureGuidance, {
        buyerChoosesCount: false,
      });
      expect(shown.length, posture).toBe(guidance.productCount ?? 20);
      expect(
        presentForPosture(catalog(), posture as keyof typeof postureGuidance, {
          buyerChoosesCount: true,
        }).length,
      ).toBe(20);
    }
  });

  it('price_first leads with the cheapest products and options; unpriced products last', () => {
    const shown = presentForPosture(catalog(), 'price_first', { buyerChoosesCount: true });
    expect(ids(shown).slice(0, 4)).toEqual(['b', 'd', 'a', 'x0']);
    expect(ids(shown).at(-1)).toBe('c');
    expect(shown[0]!.pricing_options.map((o) => o.pricing_option_id)).toEqual(['b-1', 'b-0']);
  });

  it('tradeoff_ladder puts packages first, then the cheapest; direct_fit keeps the composed order', () => {
    expect(
      ids(presentForPosture(catalog(), 'tradeoff_ladder', { buyerChoosesCount: true })).slice(0, 3),
    ).toEqual(['d', 'b', 'a']);
    expect(ids(presentForPosture(catalog(), 'direct_fit', { buyerChoosesCount: false }))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'x0',
    ]);
    expect(
      ids(
        presentForPosture(catalog(), 'value_preserving_compromise', { buyerChoosesCount: false }),
      )[0],
    ).toBe('d');
  });

  it('changes nothing without a posture, and never its inputs', () => {
    const input = catalog();
    const before = JSON.stringify(input);
    expect(presentForPosture(input, null, { buyerChoosesCount: false })).toBe(input);
    presentForPosture(input, 'tradeoff_ladder', { buyerChoosesCount: false });
    expect(JSON.stringify(input)).toBe(before);
  });
});
