import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { availRow, commitCsv, header, modularStorefront, sources } from './support.js';

/**
 * A full replacement takes off sale every avail the file leaves out: the preview says which,
 * and how many, before anything is committed; the commit then does exactly that.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const six = ['a', 'b', 'c', 'd', 'e', 'f'];
type OffSale = { availId: string; name: string };

describe('what a commit takes off sale', () => {
  it('lists, before the commit, the avails a full replacement ends, then ends exactly those', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const src = `${sources}/${sf.sourceId}`;
    await commitCsv(
      h,
      key,
      sf.sourceId,
      [header, ...six.map((id) => availRow(id, 1000))].join('\n'),
    );

    // The next file lists a (updated) and g (new): b to f would go.
    const previewed = await h.call('POST', `${src}/feed/preview`, {
      key,
      body: {
        contractId: 'static-avails-feed:v1',
        csvText: [header, availRow('a', 2000), availRow('g', 1000)].join('\n'),
      },
    });
    expect(previewed.status, previewed.text).toBe(200);
    const impact = previewed.body.data.commitImpact;
    expect(impact).toMatchObject({
      deliverySemantics: 'FULL_REPLACEMENT',
      newAvailCount: 1,
      updatedAvailCount: 1,
      offSaleCount: 5,
    });
    expect(impact.offSale.map((a: OffSale) => [a.availId, a.name])).toEqual(
      ['b', 'c', 'd', 'e', 'f'].map((id) => [id, `Homepage takeover ${id}`]),
    );
    // Previewing changed nothing.
    let products = await h.call('GET', `${src}/modular/products`, { key });
    expect(products.body.data.products).toHaveLength(6);

    const committed = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: {
        feedId: previewed.body.data.feedId,
        previewBaseline: previewed.body.data.previewBaseline,
      },
    });
    expect(committed.status, committed.text).toBe(200);
    expect(committed.body.data.summary).toMatchObject({ ingestedAvailCount: 2, offSaleCount: 5 });
    products = await h.call('GET', `${src}/modular/products`, { key });
    expect(products.body.data.products.map((p: { product_id: string }) => p.product_id)).toEqual([
      'a',
      'g',
    ]);
  });

  it('says nothing goes off sale when the file adds and updates (PATCH_UPSERT)', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    await commitCsv(
      h,
      key,
      sf.sourceId,
      [header, ...six.map((id) => availRow(id, 1000))].join('\n'),
    );
    const form = new FormData();
    form.append('contractId', 'static-avails-feed:v1');
    form.append('deliverySemantics', 'PATCH_UPSERT');
    form.append(
      'file',
      new Blob([`${header}\n${availRow('a', 5)}`], { type: 'text/csv' }),
      'a.csv',
    );
    const response = await fetch(`${base}${sources}/${sf.sourceId}/feed/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    const body = (await response.json()) as { data: { commitImpact: Record<string, unknown> } };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.data.commitImpact).toMatchObject({
      deliverySemantics: 'PATCH_UPSERT',
      newAvailCount: 0,
      updatedAvailCount: 1,
      offSaleCount: 0,
      offSale: [],
    });
  });

  it('states the same on the hosted avails-feed upload, which previews as a full replacement', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    await commitCsv(
      h,
      key,
      sf.sourceId,
      [header, ...six.map((id) => availRow(id, 1000))].join('\n'),
    );
    const form = new FormData();
    form.append(
      'file',
      new Blob([`${header}\n${availRow('f', 5)}`], { type: 'text/csv' }),
      'f.csv',
    );
    const response = await fetch(`${base}${sources}/${sf.sourceId}/modular/avails-feed/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    const body = (await response.json()) as {
      data: { commitImpact: { offSaleCount: number; offSale: OffSale[] } };
    };
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.data.commitImpact.offSaleCount).toBe(5);
    expect(body.data.commitImpact.offSale.map((a) => a.availId)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
