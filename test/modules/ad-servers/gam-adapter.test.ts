import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gamAdapter } from '../../../src/modules/ad-servers/adapters/gam/adapter.js';
import { AdServerError } from '../../../src/modules/ad-servers/adapters/port.js';
import { createOutboundClient } from '../../../src/platform/outbound/index.js';
import { startFakeGam, type FakeGam } from '../../fakes/gam/server.js';

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
});
