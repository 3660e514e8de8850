import { describe, expect, it } from 'vitest';
import type {
  CachedCapabilities,
  InventorySource,
} from '../../src/modules/inventory-sources/index.js';
import { servedCapabilities } from '../../src/modules/inventory-sources/probing/capabilities.js';
import { soldSpecialisms, sourcesDigest, storefrontOffer } from '../../src/sources/offer.js';

/** What a storefront offers from its sources' capabilities (sources/offer.ts), rule by rule. */
let nextId = 1;
function source(capabilities: CachedCapabilities | null, social = false): InventorySource {
  const id = nextId++;
  // cast: the offer reads only the identity, capabilities and social tools of a source.
  return {
    source: { id, storefrontId: 1, sourceId: `s${id}`, name: `S${id}`, executionType: 'AGENT' },
    capabilities,
    ...(social && { social: { syncAudiences: async () => ({ ok: true, data: {} }) } }),
  } as unknown as InventorySource;
}
const declared = (tools: string[], specialisms: string[] = []) =>
  servedCapabilities({
    agentName: 'x',
    tools,
    channels: [],
    publisherDomains: [],
    pricingModels: ['cpm'],
    specialisms,
  });
const seller = ['get_products', 'list_creative_formats', 'create_media_buy'];

describe('storefrontOffer', () => {
  it('offers nothing of sales over a social seller alone, or over no source', () => {
    const social = source(declared(['sync_audiences', 'log_event'], ['sales-social']), true);
    for (const offer of [storefrontOffer([social]), storefrontOffer([])]) {
      expect(offer).toEqual({ products: false, formats: false, buys: false, specialisms: [] });
    }
  });

  it('declares what a source declares, and both for a booking source that declares neither', () => {
    const guaranteed = source(declared(['get_products', 'create_media_buy'], ['sales-guaranteed']));
    expect(storefrontOffer([guaranteed])).toEqual({
      products: true,
      formats: false,
      buys: true,
      specialisms: ['sales-guaranteed'],
    });
    const spreadsheet = source(declared(seller));
    expect(storefrontOffer([spreadsheet]).specialisms).toEqual([
      'sales-non-guaranteed',
      'sales-guaranteed',
    ]);
  });

  it('declares what an undeclaring source’s products sell, and nothing for the sandbox book', () => {
    const spreadsheet = source(declared(seller));
    const sold = new Map([[spreadsheet.source.id, ['sales-guaranteed' as const]]]);
    expect(storefrontOffer([spreadsheet], sold).specialisms).toEqual(['sales-guaranteed']);
    // cast: the sandbox book is told apart by its execution type alone.
    const sandbox = {
      ...source(null),
      source: { ...source(null).source, executionType: 'SANDBOX' },
    } as InventorySource;
    expect(storefrontOffer([spreadsheet, sandbox], sold)).toMatchObject({
      products: true,
      buys: true,
      specialisms: ['sales-guaranteed'],
    });
  });

  it('asks an undeclaring source for its products, and says when one did not answer', async () => {
    const answering = {
      ...source(declared(seller)),
      getProducts: async () => ({
        ok: true,
        data: { products: [{ delivery_type: 'guaranteed' }, { delivery_type: 'guaranteed' }] },
      }),
    } as unknown as InventorySource;
    const failing = {
      ...source(declared(seller)),
      getProducts: async () => {
        throw new Error('timed out');
      },
    } as unknown as InventorySource;
    const one = await soldSpecialisms([answering]);
    expect(one.settled).toBe(true);
    expect(one.sold.get(answering.source.id)).toEqual(['sales-guaranteed']);
    // One slow source: the answer is unsettled (its agent is rebuilt soon), and that source
    // counts as selling either delivery type meanwhile.
    const both = await soldSpecialisms([answering, failing]);
    expect(both.settled).toBe(false);
    expect(storefrontOffer([answering, failing], both.sold).specialisms).toEqual([
      'sales-non-guaranteed',
      'sales-guaranteed',
    ]);
  });

  it('takes a source whose capabilities are unknown as selling everything', () => {
    expect(storefrontOffer([source(null)])).toEqual({
      products: true,
      formats: true,
      buys: true,
      specialisms: ['sales-non-guaranteed', 'sales-guaranteed'],
    });
  });

  it('changes its digest when a source joins, stops selling or is re-probed', () => {
    const a = source(declared(seller));
    const b = source(declared(['get_products']));
    const base = sourcesDigest([a], [a]);
    expect(sourcesDigest([a], [a])).toBe(base);
    expect(sourcesDigest([a, b], [a, b])).not.toBe(base);
    expect(sourcesDigest([a], [])).not.toBe(base);
    const reprobed = { ...a, capabilities: declared([...seller, 'sync_audiences']) };
    expect(sourcesDigest([reprobed], [reprobed])).not.toBe(base);
  });
});
