import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeWheelAdapter } from '../../../src/modules/ad-servers/adapters/freewheel/adapter.js';
import type { LinePlan } from '../../../src/modules/ad-servers/adapters/port.js';
import { createOutboundClient } from '../../../src/platform/outbound/index.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';

describe('the FreeWheel adapter against the fake over a real socket', () => {
  let fw: FakeFreeWheel;
  const clientId = 'interchange-client';
  const clientSecret = 'fw-client-secret';
  const outbound = createOutboundClient({ allowPrivateNetwork: true, maxResponseBytes: 8 << 20 });
  const adapterFor = (credentials: Record<string, string>, extra = {}) =>
    freeWheelAdapter({
      credentials,
      environment: 'production',
      endpoints: { productionUrl: fw.url, stagingUrl: 'http://127.0.0.1:9/unused' },
      fetch: outbound.fetch,
      backoffMs: 1,
      ...extra,
    });

  beforeAll(async () => {
    fw = await startFakeFreeWheel({ siteSections: 1_234 });
    fw.clients.set('orphan-client', { secret: 's', hasNetwork: false });
    fw.clients.set('viewer-client', { secret: 's', canRead: false });
  });
  afterAll(async () => {
    await fw.close();
    await outbound.close();
  });

  it('tests the connection with a code and a remediation per failure', async () => {
    const good = await adapterFor({ clientId, clientSecret }).testConnection();
    expect(good.map((c) => c.status)).toEqual(['passed', 'passed', 'passed', 'not_checked']);

    const legacy = await adapterFor({
      username: 'api_sportsnews',
      password: 'fw-legacy-password',
    }).testConnection();
    expect(legacy[0]!.status).toBe('passed');
    const token = await adapterFor({ apiToken: fw.mintToken(clientId) }).testConnection();
    expect(token[0]!.status).toBe('passed');

    const wrong = await adapterFor({ clientId, clientSecret: 'nope' }).testConnection();
    expect(wrong[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_INVALID_CREDENTIALS' });
    expect(wrong[0]!.remediation).toMatch(/client ID and secret/);
    // The checks after a refused credential are not run: each of them answers not_checked.
    expect(wrong.map((c) => c.status)).toEqual([
      'failed',
      'not_checked',
      'not_checked',
      'not_checked',
    ]);
    const badPassword = await adapterFor({
      username: 'api_sportsnews',
      password: 'x',
    }).testConnection();
    expect(badPassword[0]!.errorCode).toBe('ADAPTER_INVALID_CREDENTIALS');
    const stale = await adapterFor({ apiToken: 'not-a-token' }).testConnection();
    expect(stale[0]!.errorCode).toBe('ADAPTER_INVALID_CREDENTIALS');

    const orphan = await adapterFor({
      clientId: 'orphan-client',
      clientSecret: 's',
    }).testConnection();
    expect(orphan[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_NETWORK_NOT_FOUND' });
    expect(orphan[0]!.remediation).toMatch(/environment/);
    const viewer = await adapterFor({
      clientId: 'viewer-client',
      clientSecret: 's',
    }).testConnection();
    expect(viewer[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_PERMISSION_DENIED' });
    expect(viewer[0]!.remediation).toMatch(/network administrator/);

    // Messages name no credential.
    for (const check of [...wrong, ...badPassword, ...orphan, ...viewer]) {
      expect(JSON.stringify(check)).not.toMatch(/nope|fw-client-secret|"s"/);
    }
  });

  it('pages site sections, sites and advertisers, and retries a 429 and a 500', async () => {
    const adapter = adapterFor({ clientId, clientSecret });
    const before = fw.tokenRequests;
    fw.failNext('GET site_sections', 429, 2);
    fw.failNext('GET v3/advertiser.xml', 500);
    let sections = 0;
    let pages = 0;
    for (let after: string | null = null, first = true; first || after; first = false) {
      const page = await adapter.page('placement', after);
      sections += page.items.length;
      pages++;
      after = page.after;
    }
    expect(sections).toBe(1_236);
    expect(pages).toBe(13);
    const sites = await adapter.page('ad_unit', null);
    expect(sites.items.map((s) => s.externalId)).toEqual(['31', '32']);
    expect(sites.after).toBeNull();
    const advertisers = await adapter.page('advertiser', null);
    expect(advertisers.items).toEqual([
      expect.objectContaining({ kind: 'advertiser', externalId: '401', name: 'House' }),
    ]);
    expect((await adapter.page('targeting_key', null)).items).toEqual([]);
    // One token for the whole sync (it lasts seven days).
    expect(fw.tokenRequests - before).toBe(1);
    // An expired token is replaced once, transparently.
    fw.expireTokens();
    expect((await adapter.page('ad_unit', null)).items).toHaveLength(2);
    expect(fw.tokenRequests - before).toBe(2);
  });

  const line = (name: string): LinePlan => ({
    packageId: `pkg_${name}`,
    name,
    start: new Date('2026-12-01T00:00:00Z'),
    end: new Date('2026-12-15T00:00:00Z'),
    cpm: 12,
    impressions: 500_000,
    adUnitIds: ['31'],
    placementIds: ['502'],
    keyValues: [],
    sizes: [{ width: 640, height: 360 }],
    frequencyCap: { maxImpressions: 3, numTimeUnits: 1, timeUnit: 'DAY' },
  });

  it('books an insertion order with its placements, and removes a refused one whole', async () => {
    const adapter = adapterFor({ clientId, clientSecret });
    const advertiserId = await adapter.ensureAdvertiser('Acme');
    expect(await adapter.ensureAdvertiser('Acme')).toBe(advertiserId);
    const orderId = await adapter.createOrder({ name: 'Interchange t1', advertiserId });
    expect(await adapter.findOrder('Interchange t1')).toBe(orderId);
    const [placementId] = await adapter.createLineItems(orderId, [line('Sports')], 'USD');
    const placement = fw.network.placements.get(Number(placementId))!;
    expect(placement).toMatchObject({
      insertion_order_id: Number(orderId),
      site_section_ids: [502],
      site_ids: [31],
      price: { pricing_model: 'CPM', rate: 12, currency: 'USD' },
      budget: { budget_model: 'IMPRESSION', impression: 500_000 },
      schedule: { start_time: '2026-12-01T00:00:00Z', end_time: '2026-12-15T00:00:00Z' },
      delivery: { frequency_cap: { value: '3', type: 'IMPRESSION', period: 'DAY' } },
    });
    await adapter.approveOrder(orderId);
    expect(fw.network.insertionOrders.get(Number(orderId))!['status']).toBe('BOOKED');
    await adapter.pauseLineItems([placementId!], true);
    expect(placement['status']).toBe('INACTIVE');
    await adapter.updateLineItems!([{ lineItemId: placementId!, impressions: 750_000 }]);
    expect(placement['budget']).toMatchObject({ impression: 750_000 });
    const rows = [];
    for await (const page of adapter.deliveryReport([placementId!], '2026-12-01', '2026-12-03', 5))
      rows.push(...page);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ lineItemId: placementId, impressions: 1000, spend: 12 });
    // A cancellation unbooks a booked order (its history stays).
    await adapter.archiveOrder(orderId);
    expect(fw.network.insertionOrders.get(Number(orderId))!['status']).toBe('UNBOOKED');

    fw.refusePlacementsNamed = 'Refused';
    const second = await adapter.createOrder({ name: 'Interchange t2', advertiserId });
    await expect(
      adapter.createLineItems(second, [line('Fine'), line('Refused')], 'USD'),
    ).rejects.toMatchObject({ code: 'ADAPTER_REFUSED' });
    fw.refusePlacementsNamed = undefined;
    const campaignId = fw.network.insertionOrders.get(Number(second))!['campaign_id'];
    await adapter.archiveOrder(second);
    expect(fw.network.insertionOrders.has(Number(second))).toBe(false);
    expect(fw.network.campaigns.has(Number(campaignId))).toBe(false);
    expect(
      [...fw.network.placements.values()].filter((p) => p['insertion_order_id'] === Number(second)),
    ).toHaveLength(0);
  });
});
