import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import {
  startFakeGoogleAds,
  type FakeGoogleAds,
} from '../../../src/sandbox/fakes/google-ads/server.js';
import { googleError } from '../../../src/sandbox/fakes/google-ads/state.js';
import { consentInBrowser, liveStorefront, sources } from './support.js';
import { connectGoogle, googleEnv, googleStorefront } from './google-support.js';

let h: Harness;
let base: string;
let google: FakeGoogleAds;

beforeAll(async () => {
  google = await startFakeGoogleAds({
    clientId: 'gads-client-2.apps.example',
    clientSecret: 'gads-secret-2',
    developerToken: 'dev-token-2-abcdef',
  });
  h = await createHarness(googleEnv(google));
  // The durable refresh job runs on the harness's job queue.
  await h.services.jobs.start();
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  google.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
}, 120_000);
afterAll(async () => {
  await h?.close();
  await google?.close();
});

const liveGoogleStorefront = () =>
  liveStorefront(h, base, googleStorefront, connectGoogle, 'Display banners on the web');

const tokenCalls = (grantType: string) =>
  google.state.calls.filter((c) => c.path === '/token' && c.grantType === grantType).length;

describe('connecting a Google Ads source by delegated OAuth', () => {
  it('consents with PKCE, lists the accounts the user reaches (a manager’s clients through it), and the operator chooses one', async () => {
    const sf = await googleStorefront(h);
    const started = await h.call('POST', `${sources}/google/adapter/connect`, {
      key: sf.seller.key,
    });
    expect(started.status, started.text).toBe(200);
    const consent = new URL(started.body.data.authorizationUrl);
    expect(Object.fromEntries(consent.searchParams)).toMatchObject({
      client_id: 'gads-client-2.apps.example',
      scope: 'https://www.googleapis.com/auth/adwords',
      access_type: 'offline',
      code_challenge_method: 'S256',
    });
    expect(consent.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const page = await consentInBrowser(started.body.data.authorizationUrl);
    expect(page.status, page.text).toBe(200);

    const view = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
    // Two accounts can buy, so the operator chooses; the manager itself is not listed, and the
    // canceled account Google will not read (CUSTOMER_NOT_ENABLED) is listed as closed.
    expect(view.body.data).toMatchObject({ status: 'CONNECTED', action: 'choose_account' });
    expect(view.body.data.expiresAt).not.toBeNull();
    const listed = view.body.data.accounts.map((a: { id: string; status: string }) => [
      a.id,
      a.status,
    ]);
    expect(listed).toEqual([
      ['1112223333', 'active'],
      ['4445556666', 'active'],
      ['7778889999', 'closed'],
      ['6660007777', 'closed'],
    ]);
    // The manager's clients were read through it; every call carried the developer token.
    const hierarchy = google.state.calls.find((c) => c.query?.includes('FROM customer_client'));
    expect(hierarchy).toMatchObject({ path: '/customers/9990001111/googleAds:search' });
    expect(hierarchy!.loginCustomerId).toBe('9990001111');
    const apiCalls = google.state.calls.filter((c) => c.path.startsWith('/customers'));
    expect(apiCalls.every((c) => c.developerToken === 'dev-token-2-abcdef')).toBe(true);

    const refused = await h.call('PATCH', `${sources}/google/adapter`, {
      key: sf.seller.key,
      body: { accountId: '9990001111' },
    });
    expect(refused.status).toBe(400);
    const chosen = await h.call('PATCH', `${sources}/google/adapter`, {
      key: sf.seller.key,
      body: { accountId: '4445556666' },
    });
    expect(chosen.body.data).toMatchObject({
      action: null,
      selectedAccount: { id: '4445556666', currency: 'EUR' },
    });
  });

  it('the chosen client account is reached through its manager (login-customer-id) and sells in its currency', async () => {
    const { sf, agent, products } = await liveStorefront(
      h,
      base,
      googleStorefront,
      (hh, key) => connectGoogle(hh, key, '4445556666'),
      'Display banners',
    );
    try {
      const found = await products();
      expect(found.isError, JSON.stringify(found)).toBe(false);
      expect(found.products[0].name).toBe('Google Display Network');
      // The source announces the channel its products sell: display, not social.
      expect(found.products[0].channels).toEqual(['display']);
      const source = await h.call('GET', `${sources}/google`, { key: sf.seller.key });
      expect(source.body.data.capabilities.channels, source.text).toEqual(['display']);
      expect(source.body.data).toMatchObject({
        executionType: 'PROVIDER_ADAPTER',
        isAdapterSource: true,
      });
      expect(found.products[0].pricing_options[0].currency).toBe('EUR');
      const read = google.state.calls.filter(
        (c) => c.path === '/customers/4445556666/googleAds:search',
      );
      expect(read.at(-1)!.loginCustomerId).toBe('9990001111');
    } finally {
      await agent.close();
    }
  });

  it('leaving the consent page without approving leaves the source unconnected', async () => {
    const sf = await googleStorefront(h);
    const exchanges = tokenCalls('authorization_code');
    google.state.consent = 'deny';
    try {
      const started = await h.call('POST', `${sources}/google/adapter/connect`, {
        key: sf.seller.key,
      });
      const page = await consentInBrowser(started.body.data.authorizationUrl);
      expect(page.status).toBe(400);
    } finally {
      google.state.consent = 'approve';
    }
    expect(tokenCalls('authorization_code')).toBe(exchanges);
    const view = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
    expect(view.body.data).toMatchObject({ status: 'PENDING', action: 'connect' });
  });

  it('one-hour tokens are refreshed by the job before they expire, so selling goes on past the first token’s end', async () => {
    google.state.accessTokenSeconds = 6;
    try {
      const { sf, agent, products } = await liveGoogleStorefront();
      try {
        const before = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
        const firstExpiry = Date.parse(before.body.data.expiresAt);
        const refreshes = tokenCalls('refresh_token');
        // Nothing asks Google meanwhile: only the refresh job can keep the grant alive.
        await new Promise((r) => setTimeout(r, Math.max(0, firstExpiry - Date.now()) + 1500));
        expect(tokenCalls('refresh_token')).toBeGreaterThan(refreshes);
        const after = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
        expect(after.body.data.status).toBe('CONNECTED');
        expect(Date.parse(after.body.data.expiresAt)).toBeGreaterThan(firstExpiry);
        const found = await products();
        expect(found.isError, JSON.stringify(found)).toBe(false);
        expect(found.products.length).toBeGreaterThan(0);
      } finally {
        await agent.close();
      }
    } finally {
      google.state.accessTokenSeconds = 3599;
    }
  }, 60_000);

  it('a refresh Google refuses (invalid_grant) marks the source for reconnecting from the job alone, and readiness blocks', async () => {
    google.state.accessTokenSeconds = 4;
    try {
      const { sf, agent } = await liveGoogleStorefront();
      try {
        google.state.revokeAll();
        const before = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
        const expiry = Date.parse(before.body.data.expiresAt);
        // No buyer asks: the refresh job meets invalid_grant at the token endpoint.
        await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now()) + 1500));
        const view = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
        expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
        const readiness = await h.call('GET', '/api/v2/storefront/readiness', {
          key: sf.seller.key,
        });
        expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');
      } finally {
        await agent.close();
      }
    } finally {
      google.state.accessTokenSeconds = 3599;
    }
  }, 60_000);

  it('access removed at Google makes the source need reconnecting, blocks readiness, and reconnecting restores it', async () => {
    const { sf, agent, products } = await liveGoogleStorefront();
    try {
      google.state.revokeAll();
      const refused = await products();
      expect(refused.products ?? []).toHaveLength(0);
      const view = await h.call('GET', `${sources}/google/adapter`, { key: sf.seller.key });
      expect(view.body.data).toMatchObject({ status: 'NEEDS_RECONNECT', action: 'reconnect' });
      const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: sf.seller.key });
      expect(readiness.text).toContain('ADAPTER_NEEDS_RECONNECT');

      await connectGoogle(h, sf.seller.key);
      const again = await products();
      expect(again.isError, JSON.stringify(again)).toBe(false);
      expect(again.products.length).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });

  it('Google failing once (500, RESOURCE_EXHAUSTED) is retried; still exhausted reaches the buyer as RATE_LIMITED with Google’s retry delay', async () => {
    const { agent, products } = await liveGoogleStorefront();
    const exhausted = googleError(
      429,
      'RESOURCE_EXHAUSTED',
      { quotaError: 'RESOURCE_EXHAUSTED' },
      'Too many requests. Retry in 17 seconds.',
      { details: { quotaErrorDetails: { rateScope: 'DEVELOPER', retryDelay: '17s' } } },
    );
    try {
      const internal = googleError(500, 'INTERNAL', { internalError: 'INTERNAL_ERROR' }, 'Boom');
      google.state.failNext(internal.status, internal.body, 'googleAds:search');
      const afterServerError = await products();
      expect(afterServerError.isError, JSON.stringify(afterServerError)).toBe(false);
      expect(afterServerError.products.length).toBeGreaterThan(0);

      google.state.failNext(exhausted.status, exhausted.body, 'googleAds:search');
      const afterOne = await products();
      expect(afterOne.isError, JSON.stringify(afterOne)).toBe(false);
      expect(afterOne.products.length).toBeGreaterThan(0);

      google.state.failNext(exhausted.status, exhausted.body, 'googleAds:search');
      google.state.failNext(exhausted.status, exhausted.body, 'googleAds:search');
      const limited = JSON.stringify(await products());
      expect(limited).toContain('RATE_LIMITED');
      expect(limited).toMatch(/"retry_after":17/);
      expect(limited).not.toContain('127.0.0.1');
      expect(limited).not.toContain('Retry in 17 seconds');
    } finally {
      await agent.close();
    }
  });

  it('disconnecting revokes the grant at Google and the source stops selling', async () => {
    const { sf, agent, products } = await liveGoogleStorefront();
    try {
      const issued = [...google.state.tokens.values()].at(-1)!;
      const done = await h.call('DELETE', `${sources}/google/adapter/connection`, {
        key: sf.seller.key,
      });
      expect(done.status, done.text).toBe(200);
      expect(done.body.data).toMatchObject({ status: 'DISCONNECTED', action: 'connect' });
      expect(google.state.calls.at(-1)).toMatchObject({ method: 'POST', path: '/revoke' });
      expect(issued.revoked).toBe(true);
      const found = await products();
      expect(found.products ?? []).toHaveLength(0);
    } finally {
      await agent.close();
    }
  });
});
