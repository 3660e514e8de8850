import { expect } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from './buying-support.js';

type Sf = { id: number; platformId: string };

/** A harness with our demo seller and @adcp/sdk's example seller, each behind a storefront. */
export interface TwoSellers {
  h: Harness;
  demo: RunningSeller;
  sdk: SdkSeller;
  sf: { demo: Sf; sdk: Sf };
  close(): Promise<void>;
}

export const brief = 'Outdoor display for a spring launch';

/**
 * Starts both sellers and their storefronts on a fresh harness (for a file's beforeAll, inside
 * its 60 s hook timeout), the example seller warmed by one discovery: its first answer (its tsx
 * start-up, its mock's first query) is slow.
 */
export async function startTwoSellers(): Promise<TwoSellers> {
  const h = await createHarness();
  const [demo, sdk] = await Promise.all([startSeller('mcp'), startSdkSeller()]);
  const sf = {
    demo: await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]),
    sdk: await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]),
  };
  const warm = await buyerWithAdvertiser(h);
  await discover(h, warm.buyer.key, {
    advertiserId: Number(warm.advertiserId),
    brief,
    storefrontIds: [sf.sdk.id],
  });
  return {
    h,
    demo,
    sdk,
    sf,
    close: async () => {
      await Promise.all([demo.close(), sdk.close()]);
      await h.close();
    },
  };
}

const day = 86_400_000;
/** A 30-day flight from the next UTC midnight but one, and its days as YYYY-MM-DD. */
export const flightStart = new Date(Math.ceil(Date.now() / day) * day + day);
export const dayOf = (n: number) =>
  new Date(flightStart.getTime() + n * day).toISOString().slice(0, 10);
export const flightDates = {
  startDate: flightStart.toISOString(),
  endDate: new Date(flightStart.getTime() + 30 * day).toISOString(),
};
export const threeWeighted = {
  mode: 'weight',
  periods: [
    { label: 'Launch', start: dayOf(0), end: dayOf(9), weight: 1 },
    { label: 'Heavy-up', start: dayOf(10), end: dayOf(19), weight: 2 },
    { label: 'Tail', start: dayOf(20), end: dayOf(29), weight: 1 },
  ],
};

/**
 * A new buyer's discovery over both storefronts with one product of each selected at
 * `budgets`: products without a minimum spend per package (a period's package is a slice of
 * the budget), the demo's of `demoChannel` when given.
 */
export async function selectedOnBoth(
  { h, sf }: TwoSellers,
  budgets: [number, number],
  demoChannel?: string,
) {
  const { buyer, advertiserId } = await buyerWithAdvertiser(h);
  const found = await discover(h, buyer.key, {
    advertiserId: Number(advertiserId),
    brief,
    storefrontIds: [sf.demo.id, sf.sdk.id],
  });
  expect(found.status, found.text).toBe(200);
  const page: Json = found.body.data;
  const noMinimum = (p: Json) =>
    p.pricingOptions[0] && p.pricingOptions[0].min_spend_per_package === undefined;
  const picks = [
    productsOf(page, sf.demo.platformId).find(
      (p) => noMinimum(p) && (!demoChannel || p.channels[0] === demoChannel),
    ),
    productsOf(page, sf.sdk.platformId).find(noMinimum),
  ];
  expect(picks.every(Boolean), found.text).toBe(true);
  const res = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
    key: buyer.key,
    body: { products: [selectionOf(picks[0], budgets[0]), selectionOf(picks[1], budgets[1])] },
  });
  expect(res.status, res.text).toBe(200);
  return { buyer, advertiserId, discoveryId: page.discoveryId as string, picks };
}
