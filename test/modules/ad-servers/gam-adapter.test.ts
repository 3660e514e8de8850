import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gamAdapter } from '../../../src/modules/ad-servers/adapters/gam/adapter.js';
import { AdServerError } from '../../../src/modules/ad-servers/adapters/port.js';
import { createOutboundClient } from '../../../src/platform/outbound/index.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';

describe('the Google Ad Manager adapter against the fake over a real socket', () => {
  let gam: FakeGam;
  const outbound = createOutboundClient({ allowPrivateNetwork: true, maxResponseBytes: 8 << 20 });
  const adapterFor = (networkCode: string, key: Record<string, string>, extra = {}) =>
    gamAdapter({
      networkCode,
      key: {
        client_email: key['client_email']!,
        private_key: key['private_key']!,
        private_key_id: key['private_key_id'],
      },
      endpoints: { soapUrl: gam.soapUrl, tokenUrl: gam.tokenUrl },
      fetch: outbound.fetch,
      backoffMs: 1,
      ...extra,
    });

  beforeAll(async () => {
    gam = await startFakeGam({ networkCode: '1111', adUnits: 1_234 });
  });
  afterAll(async () => {
    await gam.close();
    await outbound.close();
  });

  it('tests the connection with a code and a remediation per failure', async () => {
    const good = await adapterFor('1111', gam.serviceAccount(['1111'])).testConnection();
    expect(good.map((c) => c.status)).toEqual(['passed', 'passed', 'passed', 'not_checked']);

    const typo = await adapterFor('2222', gam.serviceAccount(['1111'])).testConnection();
    expect(typo[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_NETWORK_NOT_FOUND' });
    expect(typo[0]!.remediation).toMatch(/network code/i);

    const ungranted = await adapterFor('1111', gam.serviceAccount([])).testConnection();
    expect(ungranted[0]).toMatchObject({
      status: 'failed',
      errorCode: 'ADAPTER_PERMISSION_DENIED',
    });

    const stranger = gam.serviceAccount(['1111']);
    const forged = { ...stranger, private_key: gam.serviceAccount(['1111'])['private_key']! };
    const badKey = await adapterFor('1111', forged).testConnection();
    expect(badKey[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_INVALID_CREDENTIALS' });
  });

  it('pages every ad unit in id order, retrying quota and server errors', async () => {
    const adapter = adapterFor('1111', gam.serviceAccount(['1111']), { pageSize: 500 });
    gam.failNext('getAdUnitsByStatement', 'quota');
    gam.failNext('getAdUnitsByStatement', 'server');
    gam.failNext('getAdUnitsByStatement', 'http429');
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await adapter.page('ad_unit', after);
      seen.push(...page.items.map((i) => i.externalId));
      after = page.after;
      pages++;
    } while (after);
    expect(seen).toHaveLength(1_234);
    expect(new Set(seen).size).toBe(1_234);
    expect(pages).toBe(3);
  });

  it('answers a cut-off page with a clear, retried error, never an empty page', async () => {
    const adapter = adapterFor('1111', gam.serviceAccount(['1111']), { pageSize: 500 });
    gam.failNext('getAdUnitsByStatement', 'truncated');
    const retried = await adapter.page('ad_unit', null);
    expect(retried.items).toHaveLength(500);

    gam.failNext('getAdUnitsByStatement', 'truncated', 4);
    const failure = await adapter.page('ad_unit', null).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdServerError);
    expect(failure).toMatchObject({ code: 'ADAPTER_CONNECTION_FAILED', retryable: true });
    expect((failure as Error).message).toMatch(/getAdUnitsByStatement is not readable XML/);
  });

  it("changes a line item's budget and flight by writing the whole line item back", async () => {
    const adapter = adapterFor('1111', gam.serviceAccount(['1111']));
    const orderId = await adapter.createOrder({
      name: 'Interchange change test',
      advertiserId: '9001',
    });
    const [lineItemId] = await adapter.createLineItems(
      orderId,
      [
        {
          packageId: 'p1',
          name: 'Changed line',
          start: new Date('2026-12-01T00:00:00Z'),
          end: new Date('2026-12-31T00:00:00Z'),
          cpm: 12,
          impressions: 500_000,
          adUnitIds: [],
          placementIds: ['502'],
          keyValues: [{ keyId: '701', valueIds: ['80001'] }],
          sizes: [{ width: 300, height: 250 }],
        },
      ],
      'USD',
    );
    await adapter.updateLineItems!([
      { lineItemId: lineItemId!, impressions: 750_000, end: new Date('2027-01-21T00:00:00Z') },
    ]);
    const stored = gam.networks.get('1111')!.lineItems.get(lineItemId!)!;
    expect(stored['primaryGoal']).toMatchObject({ unitType: 'IMPRESSIONS', units: '750000' });
    expect(stored['endDateTime']).toMatchObject({ date: { year: '2027', month: '1', day: '21' } });
    // Everything else went back as it was read: targeting, typed criteria, price, start.
    expect(stored['startDateTime']).toMatchObject({
      date: { year: '2026', month: '12', day: '1' },
    });
    expect(stored['costPerUnit']).toMatchObject({ currencyCode: 'USD', microAmount: '12000000' });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fake's parsed XML
    const targeting = stored['targeting'] as Record<string, any>;
    expect(targeting.inventoryTargeting.targetedPlacementIds).toEqual(['502']);
    const criteria = targeting.customTargeting.children[0].children[0];
    expect(criteria).toMatchObject({ keyId: '701', valueIds: ['80001'], operator: 'IS' });
    expect(criteria['@_type']).toBe('CustomCriteria');
    expect(gam.calls.filter((c) => c.method === 'updateLineItems')).toHaveLength(1);
  });
});
