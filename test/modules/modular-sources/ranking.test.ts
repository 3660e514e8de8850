import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { commitCsv, day, header, modularStorefront, sources } from './support.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const row = (id: string, name: string, impressions: number) =>
  `${id},${name},homepage,display,${day(-1)},${day(30)},${impressions},20,USD,display_300x250,news.example`;

describe('the products a modular source serves for a brief', () => {
  it('come in rank order (brief words first, then capacity left), not in feed order', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      [
        header,
        row('first-in-feed', 'Front page banner', 100),
        row('sports-match', 'Sports section banner', 50),
        row('biggest', 'Weather page banner', 300),
        row('sports-two', 'Sports scores sports weekly', 10),
      ].join('\n'),
    );
    const products = await h.call(
      'GET',
      `${sources}/${sf.sourceId}/modular/products?brief=${encodeURIComponent('sports weekly')}`,
      { key: sf.seller.key },
    );
    expect(products.status, products.text).toBe(200);
    expect(products.body.data.products.map((p: { product_id: string }) => p.product_id)).toEqual([
      'sports-two', // both words
      'sports-match', // one word
      'biggest', // none: by capacity left
      'first-in-feed',
    ]);
    const two = await h.call('GET', `${sources}/${sf.sourceId}/modular/products?limit=2`, {
      key: sf.seller.key,
    });
    expect(two.body.data.products.map((p: { product_id: string }) => p.product_id)).toEqual([
      'biggest',
      'first-in-feed',
    ]);
  });
});
