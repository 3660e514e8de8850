import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import {
  connectMeta,
  consentInBrowser,
  liveStorefront,
  metaEnv,
  metaStorefront,
  sources,
} from './support.js';

let h: Harness;
let base: string;
let meta: FakeMeta;

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-456', clientSecret: 'app-secret-abc' });
  h = await createHarness(metaEnv(meta));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
  await meta?.close();
});

const codeExchanges = () =>
  meta.state.calls.filter((c) => c.path === '/oauth/access_token' && c.grant === null).length;

/** A live storefront with its Meta source connected, and a buyer's agent client on it. */
const liveMetaStorefront = () =>
  liveStorefront(h, base, metaStorefront, connectMeta, 'Facebook feed');

describe('connecting a Meta source by delegated OAuth', () => {
  it('refused consent leaves the source unconnected and exchanges nothing', async () => {
    const sf = await metaStorefront(h);
    const exchanges = codeExchanges();
    meta.state.consent = 'deny';
    try {
      const started = await h.call('POST', `${sources}/meta/adapter/connect`, {
        key: sf.seller.key,
      });
      const page = await consentInBrowser(started.body.data.authorizationUrl);
      expect(page.status).toBe(400);
      expect(page.text).toContain('refused');
    } finally {
      meta.state.consent = 'allow';
    }
    expect(codeExchanges()).toBe(exchanges);
    const view = await h.call('GET', `${sources}/meta/adapter`, { key: sf.seller.key });
    expect(view.body.data).toMatchObject({ status: 'PENDING', action: 'connect' });
    expect(view.body.data.statusReason).toContain('refused');
  });

  it('a state is used once: replaying the callback is refused and exchanges no second code', async () => {
    const sf = await metaStorefront(h);
    const started = await h.call('POST', `${sources}/meta/adapter/connect`, { key: sf.seller.key });
    const first = await consentInBrowser(started.body.data.authorizationUrl);
    expect(first.status, first.text).toBe(200);
    const exchanges = codeExchanges();
    const replay = await fetch(first.callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used or expired');
    expect(codeExchanges()).toBe(exchanges);
  });

  it("another customer's source, connection and consent answer NOT_FOUND or are refused", async () => {
    const a = await metaStorefront(h);
    const b = await metaStorefront(h);
    const started = await h.call('POST', `${sources}/meta/adapter/connect`, { key: a.seller.key });
    const state = new URL(started.body.data.authorizationUrl).searchParams.get('state')!;
    // B's own `meta` source is B's; A's is out of reach by any id B could try.
    const other = await h.call('GET', `${sources}/meta/adapter`, { key: b.seller.key });
    expect(other.body.data.status).toBe('PENDING');
    // B finishing A's consent with a code is refused, and does not use A's state up.
    const code = meta.state.issueCode(started.body.data.callbackUrl);
    const stolen = await h.call('POST', '/api/v2/storefront/adapters/oauth/callback', {
      key: b.seller.key,
      body: { state, code },
    });
    expect(stolen.status).toBe(400);
    const own = await h.call('POST', '/api/v2/storefront/adapters/oauth/callback', {
      key: a.seller.key,
      body: { state, code },
    });
    expect(own.status, own.text).toBe(200);
    expect(own.body.data).toEqual({ sourceId: 'meta', status: 'CONNECTED' });
    const still = await h.call('GET', `${sources}/meta/adapter`, { key: b.seller.key });
    expect(still.body.data.status).toBe('PENDING');
    // A seller with no Meta source of its own finds neither A's nor B's under the same slug.
    const c = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', { key: c.key, body: { defaultCurrency: 'USD' } });
    for (const [method, path] of [
      ['GET', `${sources}/meta/adapter`],
      ['POST', `${sources}/meta/adapter/connect`],
      ['DELETE', `${sources}/meta/adapter/connection`],
    ] as const) {
      const refused = await h.call(method, path, { key: c.key });
      expect(refused.status, `${method} ${path}`).toBe(404);
    }
    const missing = await h.call('GET', `${sources}/meta/adapter`, { key: c.key });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('a grant is refreshed by the job before it expires, so buying goes on past its end', async () => {
    meta.state.longLivedSeconds = 6;
    try {
      const { sf, agent, products } = await liveMetaStorefront();
      try {
        const before = await h.call('GET', `${sources}/meta/adapter`, { key: sf.seller.key });
        const firstExpiry = Date.parse(before.body.data.expiresAt);
        // Nothing asks Meta meanwhile: only the refresh job can keep the grant alive.
        await new Promise((r) => setTimeout(r, Math.max(0, firstExpiry - Date.now()) + 1500));
        const after = await h.call('GET', `${sources}/meta/adapter`, { key: sf.seller.key });
        expect(after.body.data.status).toBe('CONNECTED');
        expect(Date.parse(after.body.data.expiresAt)).toBeGreaterThan(firstExpiry);
        const found = await products();
        expect(found.isError, JSON.stringify(found)).toBe(false);
        expect(found.products.length).toBeGreaterThan(0);
      } finally {
        await agent.close();
      }
    } finally {
      meta.state.longLivedSeconds = 60 * 86_400;
    }
  }, 60_000);

  it('a grant revoked at Meta makes the source need reconnecting, blocks readiness, and reconnecting restores it', async () => {
    const { sf, agent, products } = await liveMetaStorefront();
    try {
      meta.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/meta/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      await connectMeta(h, sf.seller.key);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });

  it('Meta answering 500 once is retried; a throttle reaches the buyer as RATE_LIMITED, not our 500', async () => {
    const { agent, products } = await liveMetaStorefront();
    try {
      meta.state.failNext(500, {
        message: 'An unexpected error has occurred.',
        type: 'OAuthException',
        code: 2,
      });
      const retried = await products();
      expect(retried.isError, JSON.stringify(retried)).toBe(false);
      expect(retried.products.length).toBeGreaterThan(0);

      meta.state.failNext(
        400,
        { message: 'User request limit reached', type: 'OAuthException', code: 17 },
        { 'x-business-use-case-usage': '{"1001":[{"type":"ads_management","call_count":100}]}' },
      );
      const throttled = await products();
      expect(JSON.stringify(throttled)).toContain('RATE_LIMITED');
      expect(JSON.stringify(throttled)).not.toContain('127.0.0.1');
    } finally {
      await agent.close();
    }
  });

  it('disconnecting withdraws the grant at Meta and the source stops selling', async () => {
    const { sf, agent, products } = await liveMetaStorefront();
    try {
      const done = await h.call('DELETE', `${sources}/meta/adapter/connection`, {
        key: sf.seller.key,
      });
      expect(done.status, done.text).toBe(200);
      expect(done.body.data).toMatchObject({ status: 'DISCONNECTED', action: 'connect' });
      expect(meta.state.calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/me/permissions' });
      const found = await products();
      expect(found.products ?? []).toHaveLength(0);
    } finally {
      await agent.close();
    }
  });
});
