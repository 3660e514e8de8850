import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankedForRequest } from '../../../src/agents/merchandising/products/answer-page.js';
import type { Product } from '../../../src/agents/merchandising/types.js';
import { placementProducts } from '../../../src/modules/provider-adapters/shared/placement-products.js';
import { agentClient } from '../../agents/storefront-agent-support.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { createCustomer, type Harness } from '../../harness.js';
import { adServerHarness, openStorefront, settledSync } from '../ad-servers/support.js';
import { commitCsv, day, header, sources } from '../modular-sources/support.js';

/*
 * One brief matcher for every source kind (issue 47, item 1): the same brief puts the same kind
 * of product first whichever kind of source sells it (a spreadsheet, Ad Manager product rules, a
 * provider adapter's placements), and the storefront scores each alike (within 2 %), for the same
 * reasons. The spreadsheet and Ad Manager answer a buyer's get_products over MCP (the fake Ad Manager on a
 * real socket); the adapter's placements go through the function every adapter answers with.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700047';
// No season: a sheet's row says when it runs and an ad server's product does not, so a flight
// would rank them apart (a row that cannot run through it ranks below, issue 71 item 3).
const brief = 'Sports display banners for a product launch';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 8 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

type Match = { score: number; reasons: string[] };
type Wire = Product & { ext: { interchange: { source_id: string; match: Match } } };

/**
 * Two kinds' matches of the same product: the same reasons, and scores within 2 % of each other
 * (text relevance, BM25F, weighs a word by how long the text around it is and how many of the
 * products ranked with it say it: a spreadsheet row's description carries its dates, an ad
 * server's product its placements).
 */
function alike(a: Match, b: Match) {
  expect(a.reasons).toEqual(b.reasons);
  expect(Math.abs(a.score - b.score) / b.score, `${a.score} vs ${b.score}`).toBeLessThan(0.02);
}

describe('the same brief across source kinds', () => {
  it('puts the sports display first in every kind, scored the same', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const sf = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
    });
    expect(sf.status, sf.text).toBe(200);
    const created = await h.call('POST', `${sources}/modular/feed`, {
      key: seller.key,
      body: { name: 'Avails', sourceId: 'avails' },
    });
    expect(created.status, created.text).toBe(201);
    const row = (id: string, name: string, channel: string, format: string) =>
      `${id},${name},${id},${channel},${day(-1)},${day(30)},50000,14,USD,${format},sportsnews.example`;
    // The feed lists the sports product last: the matcher, not the feed order, puts it first.
    await commitCsv(
      h,
      seller.key,
      'avails',
      [
        header,
        row('homepage', 'Homepage display', 'display', 'display_300x250'),
        row('weather', 'Weather page', 'display', 'display_300x250'),
        row('sports_display', 'Sports display', 'display', 'display_300x250'),
      ].join('\n'),
    );
    const saved = await h.call('PUT', `${sources}/gam/ad-server`, {
      key: seller.key,
      body: {
        type: 'google_ad_manager',
        networkCode,
        name: 'Our Ad Manager',
        publisherDomain: 'sportsnews.example',
        serviceAccountKey: gam.serviceAccount([networkCode]),
        products: [
          { productId: 'homepage', name: 'Homepage display', placementIds: ['501'], cpm: 8 },
          { productId: 'weather', name: 'Weather page', placementIds: ['501'], cpm: 8 },
          { productId: 'sports_display', name: 'Sports display', placementIds: ['502'], cpm: 9 },
        ],
      },
    });
    expect(saved.status, saved.text).toBe(200);
    expect((await settledSync(h, seller.key, 'gam')).status).toBe('completed');
    await openStorefront(h, seller, sf.body.data.id);

    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.body.data.platformId, buyer.key);
    let products: Wire[];
    try {
      const answer = await agent.call('get_products', { buying_mode: 'brief', brief });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      products = answer.products;
    } finally {
      await agent.close();
    }
    const ofSource = (sourceId: string) =>
      products.filter((p) => p.ext.interchange.source_id === sourceId);
    const modular = ofSource('avails');
    const adServer = ofSource('gam');
    expect(modular.map((p) => p.name)).toEqual([
      'Sports display',
      'Homepage display',
      'Weather page',
    ]);
    expect(adServer.map((p) => p.name)).toEqual(modular.map((p) => p.name));
    // The storefront's answer leads with the two sports products, each for the same reasons.
    expect(products.slice(0, 2).map((p) => p.name)).toEqual(['Sports display', 'Sports display']);
    alike(adServer[0]!.ext.interchange.match, modular[0]!.ext.interchange.match);
    expect(modular[0]!.ext.interchange.match).toMatchObject({
      // "Sports display" is all kind (a topic and a channel): what is asked, not which product.
      reasons: expect.arrayContaining(['channel display', 'format display', 'topic sport']),
    });

    // A provider adapter answers with placementProducts: the same brief, the same first product,
    // and the storefront's ranking scores it as it scored the other kinds' sports product.
    const placement = (id: string, name: string, formats: string[]) => ({
      id,
      name,
      description: name,
      publisherDomain: 'sportsnews.example',
      words: [],
      formats,
    });
    const adapter = placementProducts(
      [
        placement('homepage', 'Homepage display', ['display_300x250']),
        placement('weather', 'Weather page', ['display_300x250']),
        placement('sports_display', 'Sports display', ['display_300x250']),
      ],
      brief,
      'USD',
      ['display'],
    );
    expect(adapter.map((p) => p.name)).toEqual(modular.map((p) => p.name));
    const ranking = rankedForRequest(
      adapter as Product[],
      {
        buying_mode: 'brief',
        brief,
      } as Parameters<typeof rankedForRequest>[1],
    );
    const [first] = ranking.explained(ranking.ranked.slice(0, 1));
    alike((first!.ext as Wire['ext']).interchange.match, modular[0]!.ext.interchange.match);
  });
});
