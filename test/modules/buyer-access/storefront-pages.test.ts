import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';

/**
 * The buyer storefront list without filters, its usual call, is read through prepared
 * statements (issue 30): the marketplace's page, an organization's, and paging past the end,
 * each with the total, compared with what the database holds.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const base = '/api/v2/buyer/storefronts';

async function storefront(list: boolean) {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = (
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { channels: ['ctv'], defaultCurrency: 'USD' },
    })
  ).body.data;
  if (list) {
    await h.call('POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'list' },
    });
  }
  return { seller, id: sf.id as number };
}

const idsOf = (res: { body: { data: { items: Array<{ id: number }> } } }) =>
  res.body.data.items.map((s) => s.id);

describe('the buyer storefront list without filters', () => {
  it('pages the marketplace and an organization’s own storefronts, totals included', async () => {
    const listed = [await storefront(true), await storefront(true), await storefront(true)];
    const unlisted = await storefront(false);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const { rows } = await h.database.queryable.query(
      `select id from storefronts where marketplace_status = 'LISTED' and not hidden
       and archived_at is null order by id`,
    );
    const expected = rows.map((r) => Number(r['id']));
    expect(expected).toEqual(expect.arrayContaining(listed.map((s) => s.id)));
    expect(expected).not.toContain(unlisted.id);

    const first = await h.call('GET', `${base}?limit=2`, { key: buyer.key });
    expect(first.status, first.text).toBe(200);
    expect(idsOf(first)).toEqual(expected.slice(0, 2));
    expect(first.body.data.total).toBe(expected.length);
    const rest = await h.call('GET', `${base}?limit=2&offset=2`, { key: buyer.key });
    expect(idsOf(rest)).toEqual(expected.slice(2, 4));
    const past = await h.call('GET', `${base}?limit=2&offset=500`, { key: buyer.key });
    expect(idsOf(past)).toEqual([]);
    expect(past.body.data.total).toBe(expected.length);

    // An organization sees its own storefront, listed or not, and no other.
    for (const own of [listed[1]!, unlisted]) {
      const mine = await h.call('GET', `${base}?visibility=private`, { key: own.seller.key });
      expect(idsOf(mine)).toEqual([own.id]);
      expect(mine.body.data.total).toBe(1);
    }
    const nothing = await h.call('GET', `${base}?visibility=private`, { key: buyer.key });
    expect(nothing.body.data).toMatchObject({ items: [], total: 0 });
  });
});
