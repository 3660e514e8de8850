import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../../src/sandbox/fakes/springserve/server.js';
import {
  adServerHarness,
  adServerSeller,
  connectAdServer,
  approveQueued,
  expectDeliveryImported,
  expectRefusedLine,
  bookSports as bookSportsAt,
  bookSportsOverA2A,
  sources,
  sportsProduct,
} from './support.js';

/*
 * SpringServe as an inventory source, end to end through a storefront over MCP, with the fake
 * SpringServe on a real socket: connect with the hosted body, sync, discover, book under the
 * seller's approval, one campaign with its line-item demand tags (supply, key-value targeting,
 * creatives) in the ad server, delivery imported from its reporting API into the buyer's
 * reporting, and the password never answered or logged.
 */

let ss: FakeSpringServe;
let h: Harness;
let base: string;
const email = 'ops+api@sportsnews.example';
const password = 'correct horse battery';

beforeAll(async () => {
  ss = await startFakeSpringServe({ supplyTags: 40 });
  ({ h, base } = await adServerHarness({ INTERCHANGE_SPRINGSERVE_URL: ss.url }));
});
afterAll(async () => {
  await h?.close();
  await ss?.close();
});

const connectedSource = (products = [sportsProduct]) =>
  connectAdServer(h, 'springserve', {
    type: 'springserve',
    email,
    password,
    environment: 'production',
    rateCurrency: 'USD',
    name: 'Our SpringServe',
    publisherDomain: 'sportsnews.example',
    products,
  });

// SpringServe sells video: the buyer's spot is a VAST tag (springserve-video.test.ts books files).
const vastUrl = 'https://ads.acme.example/vast/preroll.xml';
const bookSports = (platformId: string, buyerKey: string) =>
  bookSportsAt(base, platformId, buyerKey, { name: 'Preroll', url: vastUrl, kind: 'vast' });

const ours = () =>
  [...ss.account.campaigns.values()].filter((c) => String(c['name']).startsWith('Interchange'));

describe('SpringServe through a storefront', () => {
  it('connects, syncs, sells, books one campaign after approval, and reports delivery', async () => {
    const sf = await connectedSource();
    expect(sf.saved.body.data).toMatchObject({
      sourceId: 'springserve',
      provisioningStatus: 'active',
      adServer: {
        type: 'springserve',
        email,
        environment: 'production',
        defaultDemandPartnerId: null,
        rateCurrency: 'USD',
      },
      authConfigured: true,
      lastErrorCode: null,
    });
    const esa = await h.call('GET', `${sources}/springserve/esa`, { key: sf.seller.key });
    for (const text of [sf.saved.text, esa.text]) expect(text).not.toContain(password);
    // 42 supply tags, 2 keys, 3 values, 1 demand partner.
    expect(esa.body.data.inventorySync).toMatchObject({ status: 'completed', itemCount: 48 });

    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency.example' });
    const { agent, booked } = await bookSports(sf.platformId, buyer.key);
    try {
      expect(booked).toMatchObject({ isError: false, status: 'submitted' });
      // Held for the seller: nothing written to SpringServe yet.
      expect(ours()).toHaveLength(0);
      expect(ss.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);

      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.status, decided.text).toBe(200);
      expect(decided.body.data.forwardOutcome).toBe('all_completed');

      // Exactly one campaign, active, under a demand partner named for the buyer's brand.
      const campaigns = ours();
      expect(campaigns).toHaveLength(1);
      const campaign = campaigns[0]!;
      expect(campaign['is_active']).toBe(true);
      const partner = ss.account.demandPartners.get(Number(campaign['demand_partner_id']));
      expect(partner?.['name']).toBeTruthy();
      // One line-item demand tag: the product's supply tag, key-value targeting, rate, budget.
      const tags = [...ss.account.demandTags.values()].filter(
        (t) => t['campaign_id'] === campaign['id'],
      );
      expect(tags).toHaveLength(1);
      const tag = tags[0]!;
      expect(tag).toMatchObject({
        demand_class: 11,
        rate: 12,
        rate_currency: 'USD',
        demand_tag_priorities: [{ supply_tag_id: 502, priority: 1, tier: 1 }],
        format: 'video',
        budgets: [
          { budget_period: 'lifetime', budget_metric: 'impressions', budget_value: 500_000 },
        ],
        active: true,
      });
      const keys = [...ss.account.demandTagKeys.values()].filter(
        (k) => k['demand_tag_id'] === tag['id'],
      );
      expect(keys).toEqual([
        expect.objectContaining({ key_id: 701, value_ids: [80001], list_type: 'white_list' }),
      ]);
      // The VAST tag became a tag creative linked to the line item.
      const creative = [...ss.account.tagCreatives.values()].at(-1)!;
      expect(creative['vast_endpoint_url']).toBe(vastUrl);
      expect(tag['line_item_ratios']).toEqual([{ creative_id: creative['id'], ratio: 1 }]);

      // Delivery from the reporting API, then in the buyer's reporting.
      await expectDeliveryImported(h, agent, sf.seller.key, 'springserve', 'springserve');
      // A budget and flight change reaches the demand tag: 9,000 at a CPM of 12, three weeks.
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
      expect(ss.account.demandTags.get(Number(tag['id']))).toMatchObject({
        end_date: newEnd.slice(0, 10),
        budgets: [{ budget_metric: 'impressions', budget_value: 750_000 }],
      });

      // The password reached SpringServe's auth endpoint only, never our logs.
      expect(h.rawLogs()).not.toContain(password);
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('sells to a buyer over A2A too: booked, approved, one campaign in the ad server', async () => {
    const sf = await connectedSource([{ ...sportsProduct, name: 'A2A sports' }]);
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

  it('leaves no empty campaign behind when SpringServe refuses a line item', async () => {
    const sf = await connectedSource([{ ...sportsProduct, name: 'Refused sports' }]);
    ss.refuseDemandTagsNamed = 'Refused';
    const before = ours().length;
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-agency2.example' });
    const { agent } = await bookSports(sf.platformId, buyer.key);
    try {
      const decided = await approveQueued(h, sf.seller.key);
      expectRefusedLine(decided);
      // The campaign made for the refused buy was deleted: every campaign of ours has its tags.
      expect(ours()).toHaveLength(before);
      for (const c of ours()) expect((c['demand_tag_ids'] as number[]).length).toBeGreaterThan(0);
    } finally {
      ss.refuseDemandTagsNamed = undefined;
      await agent.close();
    }
  });

  it('answers each failure with its code, refuses malformed bodies, and never shows a secret', async () => {
    const sf = await adServerSeller(h);
    ss.users.set('nobody+api@sportsnews.example', { password: 'pw-orphan', hasAccount: false });
    ss.users.set('viewer+api@sportsnews.example', { password: 'pw-viewer', canRead: false });
    const save = (body: Record<string, unknown>) =>
      h.call('PUT', `${sources}/ss-bad/ad-server`, {
        key: sf.seller.key,
        body: { type: 'springserve', ...body },
      });
    const wrong = await save({ email, password: 'not-the-password' });
    expect(wrong.status, wrong.text).toBe(200);
    expect(wrong.body.data).toMatchObject({
      provisioningStatus: 'failed',
      lastErrorCode: 'ADAPTER_INVALID_CREDENTIALS',
      authConfigured: true,
    });
    const orphan = await save({ email: 'nobody+api@sportsnews.example', password: 'pw-orphan' });
    expect(orphan.body.data.lastErrorCode).toBe('ADAPTER_NETWORK_NOT_FOUND');
    const viewer = await save({ email: 'viewer+api@sportsnews.example', password: 'pw-viewer' });
    expect(viewer.body.data.lastErrorCode).toBe('ADAPTER_PERMISSION_DENIED');
    const tested = await h.call('POST', `${sources}/ss-bad/test-connection`, {
      key: sf.seller.key,
    });
    expect(tested.body.data).toMatchObject({
      success: false,
      errorCode: 'ADAPTER_PERMISSION_DENIED',
    });
    expect(tested.body.data.remediation).toMatch(/Settings > Users/);

    // A pre-minted token (the hosted apiToken path) connects, and is never returned.
    const apiToken = ss.mintToken(email);
    const byToken = await save({ apiToken });
    expect(byToken.body.data).toMatchObject({ provisioningStatus: 'active', lastErrorCode: null });

    for (const body of [
      { email: 'not an email', password: 'x' },
      { password: 'no email' },
      { email, password: '' },
      { email, password: 'x', environment: 'staging' },
      { email, password: 'x', defaultDemandPartnerId: 0 },
      { email, password: 'x', rateCurrency: 'usd' },
    ]) {
      const refused = await save(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    // Rotation keeps to the connected ad server's own credentials.
    const crossed = await h.call('PUT', `${sources}/ss-bad/adapter-config`, {
      key: sf.seller.key,
      body: { type: 'google_ad_manager', networkCode: '123' },
    });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.field).toBe('type');
    const rotated = await h.call('PATCH', `${sources}/ss-bad/ad-server`, {
      key: sf.seller.key,
      body: { type: 'springserve', email, password },
    });
    expect(rotated.body.data).toMatchObject({ provisioningStatus: 'active', adServer: { email } });

    const adswizz = await h.call('PUT', `${sources}/aw/ad-server`, {
      key: sf.seller.key,
      body: { type: 'adswizz', agencyId: 1 },
    });
    expect(adswizz.status).toBe(400);
    expect(adswizz.body.error.field).toBe('type');

    const texts = [wrong.text, orphan.text, viewer.text, tested.text, byToken.text, h.rawLogs()];
    for (const secret of ['not-the-password', 'pw-orphan', 'pw-viewer', apiToken]) {
      for (const text of texts) expect(text).not.toContain(secret);
    }
  });

  it("answers another storefront's SpringServe source as NOT_FOUND", async () => {
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
      const res = await h.call(method, `${sources}/springserve/${path}`, { key: other.seller.key });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const stolen = await h.call('PUT', `${sources}/springserve/adapter-config`, {
      key: other.seller.key,
      body: { type: 'springserve', email, password: 'hijack' },
    });
    expect(stolen.status).toBe(404);
    const mine = await h.call('GET', `${sources}/springserve/esa`, { key: owner.seller.key });
    expect(mine.status).toBe(200);
  });
});
