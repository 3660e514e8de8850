import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { springServeAdapter } from '../../../src/modules/ad-servers/adapters/springserve/adapter.js';
import type { LinePlan } from '../../../src/modules/ad-servers/adapters/port.js';
import { createOutboundClient } from '../../../src/platform/outbound/index.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../../src/sandbox/fakes/springserve/server.js';

describe('the SpringServe adapter against the fake over a real socket', () => {
  let ss: FakeSpringServe;
  const email = 'ops+api@sportsnews.example';
  const password = 'correct horse battery';
  const outbound = createOutboundClient({ allowPrivateNetwork: true, maxResponseBytes: 8 << 20 });
  const adapterFor = (credentials: Record<string, string>, extra = {}) =>
    springServeAdapter({
      credentials,
      endpoints: { baseUrl: ss.url },
      fetch: outbound.fetch,
      backoffMs: 1,
      ...extra,
    });

  beforeAll(async () => {
    ss = await startFakeSpringServe({ supplyTags: 1_234 });
    ss.users.set('nobody+api@sportsnews.example', { password: 'pw', hasAccount: false });
    ss.users.set('viewer+api@sportsnews.example', { password: 'pw', canRead: false });
  });
  afterAll(async () => {
    await ss.close();
    await outbound.close();
  });

  it('tests the connection with a code and a remediation per failure', async () => {
    const good = await adapterFor({ email, password }).testConnection();
    expect(good.map((c) => c.status)).toEqual(['passed', 'passed', 'passed', 'not_checked']);

    const token = await adapterFor({ apiToken: ss.mintToken(email) }).testConnection();
    expect(token[0]!.status).toBe('passed');

    const wrong = await adapterFor({ email, password: 'nope' }).testConnection();
    expect(wrong[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_INVALID_CREDENTIALS' });
    expect(wrong[0]!.remediation).toMatch(/email and password/);
    // The checks after a refused credential are not run: each of them answers not_checked.
    expect(wrong.map((c) => c.status)).toEqual([
      'failed',
      'not_checked',
      'not_checked',
      'not_checked',
    ]);

    const stale = await adapterFor({ apiToken: 'not-a-token' }).testConnection();
    expect(stale[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_INVALID_CREDENTIALS' });

    const orphan = await adapterFor({
      email: 'nobody+api@sportsnews.example',
      password: 'pw',
    }).testConnection();
    expect(orphan[0]).toMatchObject({ status: 'failed', errorCode: 'ADAPTER_NETWORK_NOT_FOUND' });
    expect(orphan[0]!.remediation).toMatch(/no active SpringServe account/);

    const viewer = await adapterFor({
      email: 'viewer+api@sportsnews.example',
      password: 'pw',
    }).testConnection();
    expect(viewer[1]).toMatchObject({
      capability: 'inventory_read',
      status: 'failed',
      errorCode: 'ADAPTER_PERMISSION_DENIED',
    });
    // No secret in what the operator reads.
    expect(JSON.stringify([good, wrong, orphan, viewer])).not.toContain(password);
  });

  it('pages every supply tag, retrying 429 and 500, and every key value key by key', async () => {
    const adapter = adapterFor({ email, password }, { pageSize: 500 });
    ss.failNext('GET supply_tags', 429);
    ss.failNext('GET supply_tags', 500, 2);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await adapter.page('placement', after);
      seen.push(...page.items.map((i) => i.externalId));
      after = page.after;
      pages++;
    } while (after);
    expect(seen).toHaveLength(1_236);
    expect(new Set(seen).size).toBe(1_236);
    expect(pages).toBe(3);
    expect(ss.calls.filter((c) => c.route === 'GET supply_tags').length).toBeGreaterThanOrEqual(6);

    const values: Array<{ name: string; parentId: string | null }> = [];
    after = null;
    const small = adapterFor({ email, password }, { pageSize: 2 });
    do {
      const page = await small.page('targeting_value', after);
      values.push(...page.items);
      after = page.after;
    } while (after);
    expect(values.map((v) => `${v.parentId}:${v.name}`)).toEqual([
      '701:sports',
      '701:news',
      '702:drama',
    ]);
    expect((await adapter.page('ad_unit', null)).items).toEqual([]);
  });

  it('authenticates once per session and again when the two-hour token has expired', async () => {
    const adapter = adapterFor({ email, password });
    const before = ss.authentications;
    await adapter.page('advertiser', null);
    await adapter.page('targeting_key', null);
    expect(ss.authentications).toBe(before + 1);
    ss.expireTokens();
    const page = await adapter.page('advertiser', null);
    expect(page.items.map((i) => i.name)).toContain('House');
    expect(ss.authentications).toBe(before + 2);
    // A pre-minted token that expired is a credential failure, not a loop.
    const minted = ss.mintToken(email);
    ss.expireTokens();
    const failure = await adapterFor({ apiToken: minted })
      .page('advertiser', null)
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ADAPTER_INVALID_CREDENTIALS' });
  });

  it('gives up on a persistent 429 with a retryable rate-limit error', async () => {
    const adapter = adapterFor({ email, password }, { attempts: 2 });
    ss.failNext('GET campaigns', 429, 2);
    const failure = await adapter.findOrder('anything').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ADAPTER_RATE_LIMITED', retryable: true });
  });

  it('creates line items all or none: a refused one removes those made before it', async () => {
    const adapter = adapterFor({ email, password });
    const campaignId = await adapter.createOrder({
      name: 'Interchange all-or-none',
      advertiserId: '301',
    });
    const line = (name: string): LinePlan => ({
      packageId: name,
      name,
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2026-12-31T00:00:00Z'),
      cpm: 20,
      impressions: 100_000,
      adUnitIds: [],
      placementIds: ['502'],
      keyValues: [{ keyId: '701', valueIds: ['80001'] }],
      sizes: [],
    });
    ss.refuseDemandTagsNamed = 'Refused';
    try {
      const failure = await adapter
        .createLineItems(campaignId, [line('Fine one'), line('Refused two')], 'USD')
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'ADAPTER_REFUSED' });
      expect((failure as Error).message).toMatch(/below the floor/);
    } finally {
      ss.refuseDemandTagsNamed = undefined;
    }
    const campaign = ss.account.campaigns.get(Number(campaignId))!;
    expect(campaign['demand_tag_ids']).toEqual([]);
    await adapter.archiveOrder(campaignId);
    expect(ss.account.campaigns.has(Number(campaignId))).toBe(false);
  });
});
