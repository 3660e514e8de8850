import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { startFakeTikTok, type FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import { consentInBrowser, liveStorefront, sources } from './support.js';
import { connectTikTok, tiktokEnv, tiktokStorefront } from './tiktok-support.js';

let h: Harness;
let base: string;
let tiktok: FakeTikTok;

beforeAll(async () => {
  tiktok = await startFakeTikTok({ appId: 'tt-app-2', secret: 'tt-secret-abcdef' });
  h = await createHarness(tiktokEnv(tiktok));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await tiktok?.close();
});

const tokenExchanges = () =>
  tiktok.state.calls.filter((c) => c.path === '/oauth2/access_token').length;

/** A live storefront with its TikTok source connected, and a buyer's agent client on it. */
const liveTikTokStorefront = () =>
  liveStorefront(h, base, tiktokStorefront, connectTikTok, 'TikTok feed');

describe('connecting a TikTok source by delegated OAuth', () => {
  it('leaving the authorization page without approving leaves the source unconnected', async () => {
    const sf = await tiktokStorefront(h);
    const exchanges = tokenExchanges();
    tiktok.state.consent = 'deny';
    try {
      const started = await h.call('POST', `${sources}/tiktok/adapter/connect`, {
        key: sf.seller.key,
      });
      const url = new URL(started.body.data.authorizationUrl);
      expect(url.searchParams.get('app_id')).toBe('tt-app-2');
      const page = await consentInBrowser(started.body.data.authorizationUrl);
      expect(page.status).toBe(400);
    } finally {
      tiktok.state.consent = 'approve';
    }
    expect(tokenExchanges()).toBe(exchanges);
    const view = await h.call('GET', `${sources}/tiktok/adapter`, { key: sf.seller.key });
    expect(view.body.data).toMatchObject({ status: 'PENDING', action: 'connect' });
  });

  it('TikTok rate limiting the account listing after consent is a clear refusal, not our 500', async () => {
    const sf = await tiktokStorefront(h);
    const limit = { code: 40100, message: 'Too many requests', data: {} };
    tiktok.state.failNext(200, limit, '/oauth2/advertiser/get');
    tiktok.state.failNext(200, limit, '/oauth2/advertiser/get');
    const started = await h.call('POST', `${sources}/tiktok/adapter/connect`, {
      key: sf.seller.key,
    });
    const page = await consentInBrowser(started.body.data.authorizationUrl);
    expect(page.status).toBe(400);
    expect(page.text).toContain('RATE_LIMITED');
    const view = await h.call('GET', `${sources}/tiktok/adapter`, { key: sf.seller.key });
    expect(view.body.data).toMatchObject({ status: 'PENDING', action: 'connect' });
    expect(view.body.data.statusReason).toContain('connect again');
    // Connecting again works once TikTok answers.
    await connectTikTok(h, sf.seller.key);
  });

  it('an authorization revoked at TikTok makes the source need reconnecting, blocks readiness, and reconnecting restores it', async () => {
    const { sf, agent, products } = await liveTikTokStorefront();
    try {
      tiktok.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/tiktok/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      await connectTikTok(h, sf.seller.key);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });

  it('TikTok failing once (HTTP 500, rate limit 40100) is retried; still limited reaches the buyer as RATE_LIMITED, not our 500', async () => {
    const { agent, products } = await liveTikTokStorefront();
    try {
      tiktok.state.failNext(500, { code: 50000, message: 'System error', data: {} });
      const afterServerError = await products();
      expect(afterServerError.isError, JSON.stringify(afterServerError)).toBe(false);
      expect(afterServerError.products.length).toBeGreaterThan(0);

      tiktok.state.failNext(200, { code: 40100, message: 'Too many requests', data: {} });
      const afterOneLimit = await products();
      expect(afterOneLimit.isError, JSON.stringify(afterOneLimit)).toBe(false);
      expect(afterOneLimit.products.length).toBeGreaterThan(0);

      tiktok.state.failNext(200, { code: 40100, message: 'Too many requests', data: {} });
      tiktok.state.failNext(429, { code: 40100, message: 'Too many requests', data: {} });
      const limited = await products();
      expect(JSON.stringify(limited)).toContain('RATE_LIMITED');
      expect(JSON.stringify(limited)).not.toContain('127.0.0.1');
      expect(JSON.stringify(limited)).not.toContain('Too many requests');
    } finally {
      await agent.close();
    }
  });

  it('disconnecting revokes the token at TikTok and the source stops selling', async () => {
    const { sf, agent, products } = await liveTikTokStorefront();
    try {
      const issued = [...tiktok.state.tokens.values()].at(-1)!;
      const done = await h.call('DELETE', `${sources}/tiktok/adapter/connection`, {
        key: sf.seller.key,
      });
      expect(done.status, done.text).toBe(200);
      expect(done.body.data).toMatchObject({ status: 'DISCONNECTED', action: 'connect' });
      expect(tiktok.state.calls.at(-1)).toMatchObject({
        method: 'POST',
        path: '/oauth2/revoke_token',
      });
      expect(issued.revoked).toBe(true);
      const found = await products();
      expect(found.products ?? []).toHaveLength(0);
    } finally {
      await agent.close();
    }
  });
});
