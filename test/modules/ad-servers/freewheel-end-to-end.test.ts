import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';
import {
  adServerHarness,
  adServerSeller,
  connectAdServer,
  approveQueued,
  expectRefusedLine,
  expectDeliveryImported,
  bookSports as bookSportsAt,
  bookSportsOverA2A,
  sources,
  sportsProduct,
} from './support.js';

/*
 * FreeWheel as an inventory source, end to end through a storefront over MCP, with the fake
 * FreeWheel on a real socket: connect with the hosted body, sync, discover, book under the
 * seller's approval, one insertion order with its placement (site section, schedule, price,
 * budget) and creative in the ad server, delivery imported into the buyer's reporting, and the
 * client secret never answered or logged.
 */

let fw: FakeFreeWheel;
let h: Harness;
let base: string;
const clientId = 'interchange-client';
const clientSecret = 'fw-client-secret';
// FreeWheel's key-values are not synced (docs/ad-servers.md): the product sells the site section.
const sportsVideo = { ...sportsProduct, keyValues: {} };

beforeAll(async () => {
  fw = await startFakeFreeWheel({ siteSections: 40 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_FREEWHEEL_URL: fw.url,
    INTERCHANGE_FREEWHEEL_STAGING_URL: `${fw.url}/staging-is-not-used`,
  }));
});
afterAll(async () => {
  await h?.close();
  await fw?.close();
});

const connectedSource = (products = [sportsVideo]) =>
  connectAdServer(h, 'freewheel', {
    type: 'freewheel',
    clientId,
    clientSecret,
    environment: 'production',
    executionCurrency: 'USD',
    name: 'Our FreeWheel',
    publisherDomain: 'sportsnews.example',
    products,
  });

// FreeWheel sells video: the buyer's spot is a VAST tag (freewheel-video.test.ts books files).
const vastUrl = 'https://ads.acme.example/vast/preroll.xml';
const bookSports = (platformId: string, buyerKey: string) =>
  bookSportsAt(base, platformId, buyerKey, { name: 'Preroll', url: vastUrl, kind: 'vast' });

const ours = () =>
  [...fw.network.insertionOrders.values()].filter((o) =>
    String(o['name']).startsWith('Interchange'),
  );

describe('FreeWheel through a storefront', () => {
  it('connects, syncs, sells, books one insertion order after approval, and reports delivery', async () => {
    const sf = await connectedSource();
    expect(sf.saved.body.data).toMatchObject({
      sourceId: 'freewheel',
      provisioningStatus: 'active',
      adServer: {
        type: 'freewheel',
        clientId,
        username: null,
        environment: 'production',
        defaultAdvertiserId: null,
        executionCurrency: 'USD',
      },
      authConfigured: true,
      lastErrorCode: null,
    });
    const esa = await h.call('GET', `${sources}/freewheel/esa`, { key: sf.seller.key });
    for (const text of [sf.saved.text, esa.text]) expect(text).not.toContain(clientSecret);
    // 42 site sections, 2 sites, 1 advertiser.
    expect(esa.body.data.inventorySync).toMatchObject({ status: 'completed', itemCount: 45 });

    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const { agent, booked } = await bookSports(sf.platformId, buyer.key);
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      // Held for the seller: nothing written to FreeWheel yet.
      expect(ours()).toHaveLength(0);
      expect(fw.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);

      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.status, decided.text).toBe(200);
      expect(decided.body.data.forwardOutcome).toBe('all_completed');

      // Exactly one insertion order, booked, in a campaign of an advertiser named for the brand.
      const orders = ours();
      expect(orders).toHaveLength(1);
      const order = orders[0]!;
      expect(order['status']).toBe('BOOKED');
      const campaign = fw.network.campaigns.get(Number(order['campaign_id']))!;
      const advertiser = fw.network.advertisers.get(Number(campaign['advertiser_id']));
      expect(advertiser?.['name']).toBeTruthy();
      expect(advertiser?.['id']).not.toBe(401);
      // One placement: the product's site section, CPM price, impression budget.
      const placements = [...fw.network.placements.values()].filter(
        (p) => p['insertion_order_id'] === order['id'],
      );
      expect(placements).toHaveLength(1);
      const placement = placements[0]!;
      expect(placement).toMatchObject({
        site_section_ids: [502],
        price: { pricing_model: 'CPM', rate: 12, currency: 'USD' },
        budget: { budget_model: 'IMPRESSION', impression: 500_000 },
        status: 'ACTIVE',
      });
      // The VAST tag became a creative and was attached to the placement by an instream ad.
      const creative = [...fw.network.creatives.values()].at(-1)!;
      expect(creative['renditions']).toEqual([expect.objectContaining({ uri: vastUrl })]);
      const ads = [...fw.network.ads.values()].filter((a) => a['placement_id'] === placement['id']);
      expect(ads).toEqual([expect.objectContaining({ type: 'INSTREAM' })]);
      const links = [...fw.network.creativeInstances.values()].filter(
        (l) => l['placement_id'] === placement['id'],
      );
      expect(links).toEqual([
        expect.objectContaining({ ad_id: ads[0]!['id'], creative_id: creative['id'] }),
      ]);

      // Delivery from the report resource, then in the buyer's reporting.
      await expectDeliveryImported(h, agent, sf.seller.key, 'freewheel', 'freewheel');
      // A budget and flight change reaches the placement: 9,000 at a CPM of 12, three weeks.
      const buys = await agent.call('get_media_buys', { account: { account_id: 'acme_media' } });
      const buy = buys.media_buys?.[0];
      const packageId = buy?.packages?.[0]?.package_id;
      expect(packageId, JSON.stringify(buys)).toBeTruthy();
      const newEnd = new Date(Date.now() + 21 * 86_400_000).toISOString();
      const updated = await agent.call('update_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        media_buy_id: buy.media_buy_id,
        end_time: newEnd,
        packages: [{ package_id: packageId, budget: 9_000 }],
      });
      expect(updated.isError, JSON.stringify(updated)).toBe(false);
      expect(placement['budget']).toMatchObject({ impression: 750_000 });
      expect(String((placement['schedule'] as Record<string, unknown>)['end_time'])).toBe(
        newEnd.replace(/\.\d{3}Z$/, 'Z'),
      );

      // The secret reached FreeWheel's token endpoint only, never our logs.
      expect(h.rawLogs()).not.toContain(clientSecret);
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('sells to a buyer over A2A too: booked, approved, one insertion order in the ad server', async () => {
    const sf = await connectedSource([{ ...sportsVideo, name: 'A2A sports' }]);
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-a2a.example' });
    const before = ours().length;
    const { agent, booked } = await bookSportsOverA2A(base, sf.platformId, buyer.key, {
      name: 'A2A spot',
      url: 'https://ads.acme.example/vast/a2a.xml',
      kind: 'vast',
    });
    expect(booked.status, JSON.stringify(booked)).toBe('submitted');
    expect(ours()).toHaveLength(before);
    const decided = await approveQueued(h, sf.seller.key);
    expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
    expect(ours()).toHaveLength(before + 1);
    const buys = await agent.call('get_media_buys', { account: { account_id: 'acme_media' } });
    expect(buys.state, JSON.stringify(buys)).toBe('completed');
    expect(buys.media_buys, JSON.stringify(buys)).toHaveLength(1);
    expect(buys.media_buys[0].status).not.toBe('pending_approval');
  });

  it('leaves no empty insertion order behind when FreeWheel refuses a placement', async () => {
    const sf = await connectedSource([{ ...sportsVideo, name: 'Refused sports' }]);
    fw.refusePlacementsNamed = 'Refused';
    const orders = ours().length;
    const campaigns = fw.network.campaigns.size;
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency2.example' });
    const { agent } = await bookSports(sf.platformId, buyer.key);
    try {
      const decided = await approveQueued(h, sf.seller.key);
      expectRefusedLine(decided);
      // The insertion order and campaign made for the refused buy were deleted.
      expect(ours()).toHaveLength(orders);
      expect(fw.network.campaigns.size).toBe(campaigns);
    } finally {
      fw.refusePlacementsNamed = undefined;
      await agent.close();
    }
  });

  it('answers each failure with its code, refuses malformed bodies, and never shows a secret', async () => {
    const sf = await adServerSeller(h);
    fw.clients.set('orphan-client', { secret: 'pw-orphan', hasNetwork: false });
    fw.clients.set('viewer-client', { secret: 'pw-viewer', canRead: false });
    const save = (body: Record<string, unknown>) =>
      h.call('PUT', `${sources}/fw-bad/ad-server`, {
        key: sf.seller.key,
        body: { type: 'freewheel', ...body },
      });
    const wrong = await save({ clientId, clientSecret: 'not-the-secret' });
    expect(wrong.status, wrong.text).toBe(200);
    expect(wrong.body.data).toMatchObject({
      provisioningStatus: 'failed',
      lastErrorCode: 'ADAPTER_INVALID_CREDENTIALS',
      authConfigured: true,
    });
    const orphan = await save({ clientId: 'orphan-client', clientSecret: 'pw-orphan' });
    expect(orphan.body.data.lastErrorCode).toBe('ADAPTER_NETWORK_NOT_FOUND');
    const viewer = await save({ clientId: 'viewer-client', clientSecret: 'pw-viewer' });
    expect(viewer.body.data.lastErrorCode).toBe('ADAPTER_PERMISSION_DENIED');
    const tested = await h.call('POST', `${sources}/fw-bad/test-connection`, {
      key: sf.seller.key,
    });
    expect(tested.body.data).toMatchObject({
      success: false,
      errorCode: 'ADAPTER_PERMISSION_DENIED',
    });
    expect(tested.body.data.remediation).toMatch(/network administrator/);

    // The legacy password grant and a pre-minted token (hosted `apiToken`) both connect.
    const legacy = await save({ username: 'api_sportsnews', password: 'fw-legacy-password' });
    expect(legacy.body.data).toMatchObject({
      provisioningStatus: 'active',
      adServer: { username: 'api_sportsnews', clientId: null },
    });
    const apiToken = fw.mintToken(clientId);
    const byToken = await save({ apiToken });
    expect(byToken.body.data).toMatchObject({ provisioningStatus: 'active', lastErrorCode: null });

    for (const body of [
      { clientSecret: 'no client id' },
      { password: 'no username' },
      { clientId, clientSecret: '' },
      { clientId, clientSecret: 'x', environment: 'dev' },
      { clientId, clientSecret: 'x', defaultAdvertiserId: 'abc' },
      { clientId, clientSecret: 'x', executionCurrency: 'usd' },
    ]) {
      const refused = await save(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    // A PATCH rotates the secret in place; one without a secret keeps the sealed one.
    const kept = await h.call('PATCH', `${sources}/fw-bad/ad-server`, {
      key: sf.seller.key,
      body: { type: 'freewheel', clientId, clientSecret },
    });
    expect(kept.body.data).toMatchObject({ provisioningStatus: 'active', adServer: { clientId } });
    const renamed = await h.call('PATCH', `${sources}/fw-bad/ad-server`, {
      key: sf.seller.key,
      body: { type: 'freewheel', clientId, environment: 'production' },
    });
    expect(renamed.body.data).toMatchObject({ provisioningStatus: 'active' });

    const texts = [wrong.text, orphan.text, viewer.text, tested.text, legacy.text, byToken.text];
    for (const secret of [
      'not-the-secret',
      'pw-orphan',
      'pw-viewer',
      'fw-legacy-password',
      clientSecret,
      apiToken,
    ]) {
      for (const text of [...texts, kept.text, renamed.text, h.rawLogs()]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it("answers another storefront's FreeWheel source as NOT_FOUND", async () => {
    const owner = await connectedSource();
    const other = await adServerSeller(h);
    for (const [method, path] of [
      ['GET', 'esa'],
      ['GET', 'status'],
      ['GET', 'sync-history'],
      ['POST', 'test-connection'],
      ['POST', 'deactivate'],
      ['POST', 'refresh'],
    ] as const) {
      const res = await h.call(method, `${sources}/freewheel/${path}`, { key: other.seller.key });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const stolen = await h.call('PUT', `${sources}/freewheel/adapter-config`, {
      key: other.seller.key,
      body: { type: 'freewheel', clientId, clientSecret: 'hijack' },
    });
    expect(stolen.status).toBe(404);
    const mine = await h.call('GET', `${sources}/freewheel/esa`, { key: owner.seller.key });
    expect(mine.status).toBe(200);
  });
});
