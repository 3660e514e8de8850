import { discoveryRuns } from '../../src/modules/discovery-runs/tables.js';
import type { RunningSeller } from '../fixtures/sellers.js';
import { createCustomer, type Harness, type TestCustomer } from '../harness.js';
import { commitCsv, day, header, sources } from '../modules/modular-sources/support.js';

/*
 * A storefront over the demo agent (30 products, asked first) and a spreadsheet of four avails
 * (34 products in all), and a history that makes seller analytics recommend a posture: the
 * setting of the brief-answer tests (issue 47).
 */

const avail = (id: string, name: string, collection: string, channel: string) =>
  `${id},${name},${collection},${channel},${day(-1)},${day(30)},50000,14,USD,display_300x250,news.example`;

const expectOk = <R extends { status: number; text: string }>(res: R, status = 200): R => {
  if (res.status !== status) throw new Error(res.text);
  return res;
};

/** A listed storefront over the demo agent (first) and a spreadsheet of four avails. */
export async function mixedStorefront(
  h: Harness,
  seller: RunningSeller,
): Promise<{ seller: TestCustomer; id: number; platformId: string }> {
  const owner = await createCustomer(h, { role: 'SELLER' });
  const sf = expectOk(
    await h.call('PUT', '/api/v2/storefront', {
      key: owner.key,
      body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
    }),
  );
  expectOk(
    await h.call('POST', sources, {
      key: owner.key,
      body: { name: 'Agent', sourceId: 'agent', endpointUrl: seller.url, protocol: 'MCP' },
    }),
    201,
  );
  expectOk(await h.call('PUT', `${sources}/agent`, { key: owner.key, body: { status: 'ACTIVE' } }));
  expectOk(
    await h.call('POST', `${sources}/modular/feed`, {
      key: owner.key,
      body: { name: 'Print avails', sourceId: 'avails' },
    }),
    201,
  );
  await commitCsv(
    h,
    owner.key,
    'avails',
    [
      header,
      avail('weekend-native', 'Weekend edition native article', 'weekend', 'display'),
      avail('print-classifieds', 'Classifieds column', 'classifieds', 'display'),
      avail('gardening-page', 'Gardening page sponsorship', 'lifestyle', 'display'),
      avail('letters-page', 'Letters page banner', 'opinion', 'display'),
    ].join('\n'),
  );
  expectOk(await h.call('POST', '/api/v2/storefront/activate', { key: owner.key }));
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  return { seller: owner, id: sf.body.data.id, platformId: sf.body.data.platformId };
}

/**
 * History for seller analytics: five refine runs of `brandDomain` objecting to price, none
 * booked, so history recommends price_first (an answer of 10).
 */
export async function priceObjectionHistory(
  h: Harness,
  storefrontId: number,
  buyerCustomerId: number,
  brandDomain: string,
): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await h.database.db.insert(discoveryRuns).values({
      storefrontId,
      buyerCustomerId,
      operatorDomain: null,
      brandDomain,
      country: null,
      buyingMode: 'refine',
      brief: null,
      refine: [{ scope: 'request', ask: 'Too expensive, can you lower the CPM?' }],
      productIds: [],
      packages: {},
      sourceOutcomes: [{ sourceId: 'agent', ok: true, productCount: 3, latencyMs: 5 }],
      discountPercent: null,
      durationMs: 1,
      createdAt: new Date(Date.now() - (10 - i) * 60_000),
    });
  }
}
