import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import type { BuyerInstructionsService } from '../../../src/modules/buyer-instructions/index.js';

let h: Harness;
let resolve: BuyerInstructionsService['resolve'];
let seller: TestCustomer;
let storefrontId: number;

const row = (body: Record<string, unknown>) => ({
  operatorDomain: null,
  brandDomain: null,
  discountPercent: null,
  notes: null,
  countries: null,
  ...body,
});

beforeAll(async () => {
  h = await createHarness();
  resolve = (id, buyer) => h.services.buyerInstructions.resolve(id, buyer);
  seller = await createCustomer(h, { role: 'SELLER' });
  storefrontId = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data.id;
  const rows = [
    row({ discountPercent: 5, notes: 'house', posture: 'hold_value' }),
    row({
      brandDomain: 'brand.example',
      discountPercent: 10,
      notes: 'brand',
      posture: 'price_first',
    }),
    row({
      operatorDomain: 'agency.example',
      discountPercent: 8,
      notes: 'operator',
      countries: ['US', 'CA'],
    }),
    row({
      operatorDomain: 'agency.example',
      brandDomain: 'brand.example',
      notes: 'operator+brand',
    }),
    row({ operatorDomain: 'other.example', discountPercent: 50, notes: 'other operator' }),
    row({
      brandDomain: 'french.example',
      discountPercent: 30,
      notes: 'france only',
      countries: ['FR'],
    }),
  ];
  for (const body of rows) {
    const res = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
      key: seller.key,
      body,
    });
    if (res.status !== 201) throw new Error(res.text);
  }
});
afterAll(() => h.close());

const notesOf = async (buyer: Parameters<typeof resolve>[1]) =>
  (await resolve(storefrontId, buyer)).notes;

describe('buyer instructions: resolve()', () => {
  it('pins the posture of the most specific matching row that sets one', async () => {
    const posture = async (buyer: Parameters<typeof resolve>[1]) =>
      (await resolve(storefrontId, buyer)).posture;
    // operator+brand and operator rows set none: the brand row's pin is the most specific.
    expect(
      await posture({
        operatorDomain: 'agency.example',
        brandDomain: 'brand.example',
        country: 'US',
      }),
    ).toBe('price_first');
    expect(
      await posture({ operatorDomain: null, brandDomain: 'else.example', country: null }),
    ).toBe('hold_value');
  });

  it('matches all four scope shapes, most specific first, with the MAX discount', async () => {
    const result = await resolve(storefrontId, {
      operatorDomain: 'agency.example',
      brandDomain: 'brand.example',
      country: 'US',
    });
    expect(result.notes).toEqual(['operator+brand', 'operator', 'brand', 'house']);
    expect(result.matched.map((m) => [m.operatorDomain, m.brandDomain])).toEqual([
      ['agency.example', 'brand.example'],
      ['agency.example', null],
      [null, 'brand.example'],
      [null, null],
    ]);
    // null (operator+brand), 8, 10, 5: the highest set discount wins, whatever its scope.
    expect(result.discountPercent).toBe(10);
  });

  it('skips rows with countries when the buyer country is unknown or not listed', async () => {
    const expected = ['operator+brand', 'brand', 'house'];
    for (const country of [null, 'DE']) {
      expect(
        await notesOf({ operatorDomain: 'agency.example', brandDomain: 'brand.example', country }),
      ).toEqual(expected);
    }
    expect(
      await notesOf({ operatorDomain: 'agency.example', brandDomain: null, country: 'CA' }),
    ).toEqual(['operator', 'house']);
  });

  it('applies a country-limited brand row only to buys in its countries', async () => {
    const france = await resolve(storefrontId, {
      operatorDomain: null,
      brandDomain: 'french.example',
      country: 'FR',
    });
    expect(france.notes).toEqual(['france only', 'house']);
    expect(france.discountPercent).toBe(30);
    const elsewhere = await resolve(storefrontId, {
      operatorDomain: null,
      brandDomain: 'french.example',
      country: 'US',
    });
    expect(elsewhere).toMatchObject({ notes: ['house'], discountPercent: 5 });
  });

  it('gives an anonymous buyer only the house scope, and compares case-insensitively', async () => {
    expect(
      await resolve(storefrontId, { operatorDomain: null, brandDomain: null, country: null }),
    ).toMatchObject({
      notes: ['house'],
      discountPercent: 5,
    });
    expect(
      await notesOf({
        operatorDomain: 'Agency.Example',
        brandDomain: ' BRAND.example ',
        country: 'us',
      }),
    ).toEqual(['operator+brand', 'operator', 'brand', 'house']);
    expect(
      await notesOf({ operatorDomain: 'unknown.example', brandDomain: null, country: 'US' }),
    ).toEqual(['house']);
  });

  it('resolves nothing on a storefront without instructions, and only its own rows', async () => {
    const other = await createCustomer(h, { role: 'SELLER' });
    const otherId = (await h.call('GET', '/api/v2/storefront', { key: other.key })).body.data.id;
    expect(
      await resolve(otherId, {
        operatorDomain: 'agency.example',
        brandDomain: 'brand.example',
        country: 'US',
      }),
    ).toEqual({ discountPercent: null, notes: [], posture: null, matched: [] });
  });

  it('leaves the discount null when no matching row sets one', async () => {
    const lone = await createCustomer(h, { role: 'SELLER' });
    const loneId = (await h.call('GET', '/api/v2/storefront', { key: lone.key })).body.data.id;
    await h.call('POST', '/api/v2/storefront/buyer-instructions', {
      key: lone.key,
      body: row({ notes: 'Notes only' }),
    });
    expect(
      await resolve(loneId, { operatorDomain: null, brandDomain: null, country: null }),
    ).toMatchObject({
      discountPercent: null,
      notes: ['Notes only'],
    });
  });
});
