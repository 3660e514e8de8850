import { describe, expect, it } from 'vitest';
import {
  asksOf,
  isAskRun,
  mentionsPackagingAsk,
  mentionsPriceObjection,
} from '../../../src/modules/seller-analytics/runs/asks.js';

describe('ask detection', () => {
  it('counts one ask per refine entry, by scope, whatever its action', () => {
    const asks = asksOf([
      { scope: 'request', ask: 'more video' },
      { scope: 'request', ask: 'less display' },
      { scope: 'product', product_id: 'p1', action: 'omit' },
      { scope: 'product', product_id: 'p2', ask: 'add 16:9' },
      { scope: 'proposal', proposal_id: 'x', action: 'finalize' },
      { scope: 'elsewhere', ask: 'too expensive' },
      'not an object',
    ]);
    expect(asks).toMatchObject({
      requestAskCount: 2,
      productAskCount: 2,
      proposalAskCount: 1,
      requestAsks: ['more video', 'less display'],
      hadPriceObjection: false,
      hadPackagingAsk: false,
    });
    expect(isAskRun(asks)).toBe(true);
  });

  it('has no asks without refine entries', () => {
    expect(isAskRun(asksOf(null))).toBe(false);
    expect(isAskRun(asksOf([]))).toBe(false);
  });

  it.each([
    ['This is too expensive for us', true],
    ['Can you do a lower CPM?', true],
    ['we need a DISCOUNT', true],
    ['C’est trop cher', true],
    ['Une remise de 10 % ?', true],
    ['prix trop élevé', true],
    ['Het is te duur', true],
    ['Graag wat korting', true],
    ['Kan het goedkoper?', true],
    ['Cher client, plus de vidéo', false],
    ['De duur van de campagne is zes weken', false],
    ['more video please', false],
  ])('price objection in %j: %s', (text, expected) => {
    expect(mentionsPriceObjection(text)).toBe(expected);
  });

  it.each([
    ['Can you bundle display and video?', true],
    ['combine these two products', true],
    ['Une offre groupée display + vidéo', true],
    ['un forfait trimestriel', true],
    ['Een pakket met video', true],
    ['Kunnen we deze combineren?', true],
    ['add 16:9 format', false],
    ['packed schedule', false],
  ])('packaging ask in %j: %s', (text, expected) => {
    expect(mentionsPackagingAsk(text)).toBe(expected);
  });

  it('flags the run when any entry objects to price or asks for packaging', () => {
    const asks = asksOf([
      { scope: 'product', product_id: 'p1', ask: 'te duur' },
      { scope: 'proposal', proposal_id: 'x', ask: 'bundle it with video' },
    ]);
    expect(asks.hadPriceObjection).toBe(true);
    expect(asks.hadPackagingAsk).toBe(true);
  });
});
