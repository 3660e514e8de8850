import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { commitCsv, day, modularStorefront, sources } from './support.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const csvHeader =
  'avail_id,name,collection_id,collection_name,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain,targeting';
const csvJson = (value: unknown) => `"${JSON.stringify(value).replace(/"/g, '""')}"`;
const row = (id: string, collection: string, name: string, targeting: unknown, end = day(30)) =>
  `${id},${name} ${id},${collection},${name},display,${day(-1)},${end},1000,20,USD,display_300x250,news.example,${csvJson(targeting)}`;

describe('inventory selectors of a modular source', () => {
  it('lists the collections and the targeting values its avails on sale can be bought by', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      [
        csvHeader,
        row('hp-1', 'homepage', 'Homepage', { geo_countries: ['US', 'CA'], daypart: 'prime' }),
        row('hp-2', 'homepage', 'Homepage', { geo_countries: ['US'] }),
        row('sp-1', 'sports', 'Sports', { geo_countries: ['GB'], audience: 'fans' }),
        // Ended: its collection and values are not on sale.
        row('old-1', 'archive', 'Archive', { geo_countries: ['FR'] }, day(-1)),
      ].join('\n'),
    );
    const url = `${sources}/${sf.sourceId}/modular/inventory/selectors`;
    const get = (query: Record<string, string>) =>
      h.call('GET', `${url}?${new URLSearchParams(query)}`, { key: sf.seller.key });

    const groups = await get({ selectorType: 'site_group' });
    expect(groups.status).toBe(200);
    expect(groups.body.data.count).toBe(2);
    expect(groups.body.data.nextCursor).toBeNull();
    expect(groups.body.data.items.map((s: { externalId: string }) => s.externalId)).toEqual([
      'homepage',
      'sports',
    ]);
    expect(groups.body.data.items[0]).toMatchObject({
      selectorType: 'site_group',
      name: 'Homepage',
      parentId: null,
      hasChildren: true,
      metadata: {
        activeAvailCount: 2,
        availableImpressions: 2000,
        targetingDimensions: ['daypart', 'geo_countries'],
      },
    });

    const homepage = await get({ selectorType: 'standard_attribute', parentId: 'homepage' });
    expect(homepage.status).toBe(200);
    expect(
      homepage.body.data.items.map(
        (s: { externalId: string; metadata: { activeAvailCount: number } }) => [
          s.externalId,
          s.metadata.activeAvailCount,
        ],
      ),
    ).toEqual([
      ['homepage/daypart=prime', 1],
      ['homepage/geo_countries=CA', 1],
      ['homepage/geo_countries=US', 2],
    ]);
    expect(homepage.body.data.items[2]).toMatchObject({
      name: 'geo_countries: US',
      path: ['Homepage', 'geo_countries', 'US'],
      parentId: 'homepage',
    });

    // Search by name, and page with the cursor the answer gives.
    const fans = await get({ selectorType: 'standard_attribute', q: 'fans' });
    expect(fans.body.data.items.map((s: { externalId: string }) => s.externalId)).toEqual([
      'sports/audience=fans',
    ]);
    const first = await get({ selectorType: 'standard_attribute', limit: '3' });
    expect(first.body.data.count).toBe(5);
    expect(first.body.data.items).toHaveLength(3);
    const rest = await get({
      selectorType: 'standard_attribute',
      limit: '3',
      cursor: first.body.data.nextCursor,
    });
    expect(rest.body.data.items.map((s: { externalId: string }) => s.externalId)).toEqual([
      'sports/audience=fans',
      'sports/geo_countries=GB',
    ]);
    expect(rest.body.data.nextCursor).toBeNull();

    // Capabilities name the selector types answered and the targeting dimensions on sale.
    const capabilities = await h.call(
      'GET',
      `${sources}/${sf.sourceId}/modular/inventory/capabilities`,
      { key: sf.seller.key },
    );
    expect(capabilities.body.data.targetingDimensions).toEqual([
      'audience',
      'daypart',
      'geo_countries',
    ]);
    expect(capabilities.body.data.selectorTypes.map((t: { id: string }) => t.id)).toEqual([
      'site_group',
      'standard_attribute',
    ]);

    // A feed has no series taxonomy: an empty page, not an error.
    const series = await get({ selectorType: 'series' });
    expect(series.body.data).toEqual({ items: [], nextCursor: null, count: 0 });
  });

  it('refuses a missing or unknown selector type and hides another storefront’s source', async () => {
    const sf = await modularStorefront(h);
    const other = await modularStorefront(h);
    const url = `${sources}/${sf.sourceId}/modular/inventory/selectors`;
    const missing = await h.call('GET', url, { key: sf.seller.key });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('selectorType');
    const unknown = await h.call('GET', `${url}?selectorType=planet`, { key: sf.seller.key });
    expect(unknown.status).toBe(400);
    const badCursor = await h.call('GET', `${url}?selectorType=site_group&cursor=x`, {
      key: sf.seller.key,
    });
    expect(badCursor.status).toBe(400);
    const mine = await h.call('POST', `${sources}/modular/feed`, {
      key: sf.seller.key,
      body: { name: 'Only mine', sourceId: 'only-mine' },
    });
    expect(mine.status).toBe(201);
    const own = `${sources}/only-mine/modular/inventory/selectors?selectorType=site_group`;
    expect((await h.call('GET', own, { key: sf.seller.key })).status).toBe(200);
    expect((await h.call('GET', own, { key: other.seller.key })).status).toBe(404);
  });
});
