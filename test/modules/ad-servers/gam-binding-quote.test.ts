import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { discountForAll, hardFloor } from '../../agents/binding-quote-support.js';
import {
  adServerHarness,
  approveQueued,
  bookSports,
  connectAdServer,
  sportsProduct,
} from './support.js';

/**
 * A quote is binding at the (fake) Google Ad Manager (issue 68, item 1), over MCP with the
 * official client: the sports product listed at 12 and shown at the rate card's hard floor of 15
 * (or at 9.60 under a 20 % discount) is written as a line item at that CPM, its goal the budget
 * at that price — read from the fake ad server's line item, not from the storefront's record.
 */
let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700068';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 10 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

async function connected() {
  return connectAdServer(h, 'gam', {
    type: 'google_ad_manager',
    networkCode,
    name: 'Our Ad Manager',
    publisherDomain: 'sportsnews.example',
    serviceAccountKey: gam.serviceAccount([networkCode]),
    products: [sportsProduct],
  });
}

/** A new buyer books 6,000 of the sports product as shown; the seller approves; its line item. */
async function bookedLineItem(sf: { platformId: string; seller: { key: string } }) {
  const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
  const { agent, booked } = await bookSports(base, sf.platformId, buyer.key, {
    name: 'Banner',
    url: `${gam.url}/cdn/banner.png`,
  });
  await agent.close();
  expect(booked, JSON.stringify(booked)).toMatchObject({ isError: false, status: 'submitted' });
  const decided = await approveQueued(h, sf.seller.key);
  expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
  return [...gam.networks.get(networkCode)!.lineItems.values()].at(-1)!;
}

describe('the price shown is the price Ad Manager books', () => {
  it('writes the line item at the hard floor of 15 shown over a list of 12, for 400,000 impressions', async () => {
    const sf = await connected();
    await hardFloor(h, sf.seller.key, 15);
    const li = await bookedLineItem(sf);
    expect(li['costPerUnit']).toMatchObject({ currencyCode: 'USD', microAmount: '15000000' });
    expect(li['primaryGoal']).toMatchObject({ unitType: 'IMPRESSIONS', units: '400000' });
  }, 180_000);

  it('writes the line item at 9.60 under a 20 % discount of 12, for 625,000 impressions', async () => {
    const sf = await connected();
    await discountForAll(h, sf.seller.key, 20);
    const li = await bookedLineItem(sf);
    expect(li['costPerUnit']).toMatchObject({ currencyCode: 'USD', microAmount: '9600000' });
    expect(li['primaryGoal']).toMatchObject({ unitType: 'IMPRESSIONS', units: '625000' });
  }, 180_000);
});
