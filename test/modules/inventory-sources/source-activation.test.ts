import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../agents/storefront-agent-support.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../../src/sandbox/fakes/springserve/server.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { connectMeta, metaEnv } from '../provider-adapters/support.js';

/*
 * A source that cannot sell is never made ACTIVE: an ad server saved without credentials is
 * refused naming them; one whose credentials the ad server refuses, and an adapter source whose
 * provider account is not connected, stay PENDING and refuse activation naming what is missing;
 * each goes ACTIVE once its connection works.
 */

let h: Harness;
let fw: FakeFreeWheel;
let ss: FakeSpringServe;
let meta: FakeMeta;
const sources = '/api/v2/storefront/inventory-sources';

beforeAll(async () => {
  [fw, ss, meta] = await Promise.all([
    startFakeFreeWheel({ siteSections: 2 }),
    startFakeSpringServe({ supplyTags: 2 }),
    startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' }),
  ]);
  h = await createHarness({
    INTERCHANGE_FREEWHEEL_URL: fw.url,
    INTERCHANGE_SPRINGSERVE_URL: ss.url,
    ...metaEnv(meta),
  });
  const base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await Promise.all([fw, ss, meta].map((f) => f?.close()));
});

async function seller(): Promise<TestCustomer> {
  const s = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: s.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  expect(sf.status, sf.text).toBe(200);
  return s;
}

const activate = (key: string, sourceId: string) =>
  h.call('PUT', `${sources}/${sourceId}`, { key, body: { status: 'ACTIVE' } });

describe('saving an ad server without credentials', () => {
  it('refuses FreeWheel with 400 naming the credential fields, and creates nothing', async () => {
    const s = await seller();
    const res = await h.call('PUT', `${sources}/fw/ad-server`, {
      key: s.key,
      body: { type: 'freewheel' },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'clientId' });
    for (const name of ['clientId', 'clientSecret', 'username', 'password', 'apiToken']) {
      expect(res.body.error.message).toContain(name);
    }
    expect((await h.call('GET', `${sources}/fw`, { key: s.key })).status).toBe(404);
  });

  it('refuses SpringServe with 400 naming the credential fields', async () => {
    const s = await seller();
    const res = await h.call('PUT', `${sources}/ss/ad-server`, {
      key: s.key,
      body: { type: 'springserve', email: 'ops+api@sportsnews.example' },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'password' });
    expect(res.body.error.message).toContain('apiToken');
    expect((await h.call('GET', `${sources}/ss`, { key: s.key })).status).toBe(404);
  });

  it('keeps the stored credentials when a later save of the same ad server leaves them out', async () => {
    const s = await seller();
    const body = { type: 'springserve', email: 'ops+api@sportsnews.example' };
    const first = await h.call('PUT', `${sources}/ss/ad-server`, {
      key: s.key,
      body: { ...body, password: 'correct horse battery' },
    });
    expect(first.body.data.provisioningStatus, first.text).toBe('active');
    const again = await h.call('PUT', `${sources}/ss/ad-server`, { key: s.key, body });
    expect(again.status, again.text).toBe(200);
    expect(again.body.data).toMatchObject({ provisioningStatus: 'active', authConfigured: true });
  });
});

describe('an ad-server source whose credentials do not work', () => {
  it('stays PENDING, refuses ACTIVE naming the refusal, and goes ACTIVE once connected', async () => {
    const s = await seller();
    const refused = await h.call('PUT', `${sources}/fw/ad-server`, {
      key: s.key,
      body: { type: 'freewheel', clientId: 'interchange-client', clientSecret: 'wrong' },
    });
    expect(refused.status, refused.text).toBe(200);
    expect(refused.body.data.provisioningStatus).toBe('failed');
    const view = await h.call('GET', `${sources}/fw`, { key: s.key });
    expect(view.body.data.status).toBe('PENDING');

    const denied = await activate(s.key, 'fw');
    expect(denied.status, denied.text).toBe(400);
    expect(denied.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'status' });
    expect(denied.body.error.message).toMatch(/cannot be ACTIVE/);
    expect(denied.body.error.message).toMatch(/credentials|refused/i);

    const fixed = await h.call('PUT', `${sources}/fw/ad-server`, {
      key: s.key,
      body: { type: 'freewheel', clientId: 'interchange-client', clientSecret: 'fw-client-secret' },
    });
    expect(fixed.body.data.provisioningStatus, fixed.text).toBe('active');
    expect((await h.call('GET', `${sources}/fw`, { key: s.key })).body.data.status).toBe('ACTIVE');
  });

  it('a deactivated connection cannot be made ACTIVE again through the source', async () => {
    const s = await seller();
    await h.call('PUT', `${sources}/ss/ad-server`, {
      key: s.key,
      body: {
        type: 'springserve',
        email: 'ops+api@sportsnews.example',
        password: 'correct horse battery',
      },
    });
    await h.call('POST', `${sources}/ss/deactivate`, { key: s.key });
    expect(
      (await h.call('PUT', `${sources}/ss`, { key: s.key, body: { status: 'DISABLED' } })).status,
    ).toBe(200);
    const denied = await activate(s.key, 'ss');
    expect(denied.status, denied.text).toBe(400);
    expect(denied.body.error).toMatchObject({ field: 'status' });
    expect(denied.body.error.message).toMatch(/deactivated/i);
  });
});

describe('an adapter source whose provider account is not connected', () => {
  it('stays PENDING, refuses ACTIVE naming the connection, and goes ACTIVE once connected', async () => {
    const s = await seller();
    const created = await h.call('POST', `${sources}/adapter`, {
      key: s.key,
      body: { provider: 'meta', name: 'Meta Ads', sourceId: 'meta' },
    });
    expect(created.status, created.text).toBe(201);
    expect((await h.call('GET', `${sources}/meta`, { key: s.key })).body.data.status).toBe(
      'PENDING',
    );
    const denied = await activate(s.key, 'meta');
    expect(denied.status, denied.text).toBe(400);
    expect(denied.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'status' });
    expect(denied.body.error.message).toMatch(/not connected/);

    await connectMeta(h, s.key);
    expect((await h.call('GET', `${sources}/meta`, { key: s.key })).body.data.status).toBe(
      'ACTIVE',
    );
  });
});
