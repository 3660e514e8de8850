import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSession, sessionCookies } from '../../src/web/console/session/cookies.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { consoleClient, cookiePair } from './console-client.js';
import { type ConsoleFixture, seedConsole } from './console-fixture.js';

/**
 * The console over HTTP (app.inject): sign-in refusals, the session cookie's flags and
 * sealing, CSRF refusals, expiry and revocation, and that one seller never sees or changes
 * another's data, on the test run's PostgreSQL.
 */
let h: Harness;
let f: ConsoleFixture;

beforeAll(async () => {
  h = await createHarness();
  f = await seedConsole(h);
});
afterAll(() => h.close());

const { get, post, visit, signIn } = consoleClient(() => h.app);

async function buyerStatus(id: number, key = f.seller.key) {
  const res = await h.call('GET', '/api/v2/storefront/sponsored-buyers', { key });
  return (res.body.data.items as { buyerCustomerId: number; status: string }[]).find(
    (b) => b.buyerCustomerId === id,
  )?.status;
}

describe('console sign-in', () => {
  it('sends a visitor without a session to the sign-in page', async () => {
    const res = await get('/console/reviews');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?reason=signed-out');
  });

  it("signs a buyer's key in to the buyer console, which never opens a seller page", async () => {
    const signed = await signIn(f.buyer.key);
    const home = await get('/console', signed.cookie);
    expect(home.body).toContain('<h1>Overview</h1>');
    expect(home.body).toContain('href="/console/advertisers"');
    expect(home.body).not.toContain('href="/console/reviews"');
    const seller = await get('/console/reviews', signed.cookie);
    expect(seller.statusCode).toBe(303);
    expect(seller.headers.location).toBe('/console');
    // A seller's action posted with a buyer's session is not performed.
    const approve = await post(
      `/console/buyers/${f.pendingBuyerId}/approve`,
      { csrf: signed.csrf },
      signed.cookie,
    );
    expect(approve.statusCode).toBe(303);
    expect(await buyerStatus(f.pendingBuyerId)).toBe('pending');
  });

  it('refuses an unknown key and a platform admin key', async () => {
    const visitor = await visit();
    const bad = await post(
      '/console/sign-in',
      { csrf: visitor.csrf, apiKey: 'ix_not_a_real_key' },
      visitor.cookie,
    );
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('not valid or has been revoked');
    const admin = await post(
      '/console/sign-in',
      { csrf: visitor.csrf, apiKey: h.adminKey },
      visitor.cookie,
    );
    expect(admin.statusCode).toBe(403);
    expect(admin.body).toContain('platform admin key acts for no organisation');
  });

  it('refuses a sign-in without the form token (login CSRF) with 403', async () => {
    const visitor = await visit();
    const res = await post('/console/sign-in', { apiKey: f.seller.key }, visitor.cookie);
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('security token');
    const noCookie = await post('/console/sign-in', { csrf: visitor.csrf, apiKey: f.seller.key });
    expect(noCookie.statusCode).toBe(403);
  });
});

describe('console session cookie', () => {
  it('is HttpOnly and SameSite=Strict, not Secure over http, and never holds the key in clear', async () => {
    const visitor = await visit();
    const res = await post(
      '/console/sign-in',
      { csrf: visitor.csrf, apiKey: f.seller.key },
      visitor.cookie,
    );
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^interchange-console=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=28800');
    expect(setCookie).not.toContain('Secure');
    const value = cookiePair(setCookie).split('=')[1]!;
    expect(value).not.toContain(f.seller.key);
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain(f.seller.key);
    // Sealed with the deployment's secret box: it opens to the key only with that key.
    const session = sessionCookies(h.secrets, 'http://x').read(cookiePair(setCookie));
    expect(session?.key).toBe(f.seller.key);
  });

  it('is __Host- prefixed and Secure when the public URL is https', async () => {
    const app = await h.buildApp({ INTERCHANGE_PUBLIC_URL: 'https://console.example' });
    const page = await get('/console/sign-in', undefined, app);
    const setCookie = String(page.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-interchange-console=/);
    expect(setCookie).toContain('; Secure');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const signed = await signIn(f.seller.key, app);
    expect(signed.cookie).toMatch(/^__Host-interchange-console=/);
  });

  it('refuses an expired or tampered session and sends the seller to sign in', async () => {
    const cookies = sessionCookies(h.secrets, 'http://x');
    const expired = {
      ...newSession({ key: f.seller.key, sid: 'unknown' }),
      expiresAt: Date.now() - 1000,
    };
    const res = await get('/console', cookiePair(cookies.serialize(expired, Date.now() - 60_000)));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/console/sign-in');
    const good = await signIn(f.seller.key);
    const tampered = `${good.cookie.slice(0, -4)}AAAA`;
    expect((await get('/console', tampered)).statusCode).toBe(303);
  });

  it('ends the session when the key is revoked', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const signed = await signIn(seller.key);
    const revoked = await h.call('DELETE', `/api/v2/admin/api-keys/${seller.keyId}`, {
      key: h.adminKey,
    });
    expect(revoked.status).toBe(200);
    const res = await get('/console', signed.cookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/sign-in?reason=revoked');
  });

  it('signs out: the cookie is cleared, and sign-out needs the token too', async () => {
    const signed = await signIn(f.seller.key);
    const forged = await post('/console/sign-out', {}, signed.cookie);
    expect(forged.statusCode).toBe(403);
    const res = await post('/console/sign-out', { csrf: signed.csrf }, signed.cookie);
    expect(res.statusCode).toBe(303);
    expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
  });
});

describe('console CSRF', () => {
  it('refuses an approval without the token, or with another session’s token, with 403', async () => {
    const signed = await signIn(f.seller.key);
    const elsewhere = await signIn(f.seller.key);
    const url = `/console/buyers/${f.pendingBuyerId}/approve`;
    const missing = await post(url, {}, signed.cookie);
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('security token');
    // A forged request does not sign the seller out: the session is left as it was.
    expect(missing.headers['set-cookie']).toBeUndefined();
    expect((await get('/console/buyers', signed.cookie)).statusCode).toBe(200);
    expect((await post(url, { csrf: elsewhere.csrf }, signed.cookie)).statusCode).toBe(403);
    expect((await post(url, { csrf: signed.csrf })).statusCode).toBe(403);
    expect(await buyerStatus(f.pendingBuyerId)).toBe('pending');
    const decide = await post(
      '/console/media-buys/MB-PENDING/decide',
      { status: 'rejected', csrf: 'x' },
      signed.cookie,
    );
    expect(decide.statusCode).toBe(403);
    const pending = await h.call('GET', '/api/v2/storefront/media-buy-approvals/MB-PENDING', {
      key: f.seller.key,
    });
    expect(pending.body.data.status).toBe('pending');
  });

  it('serves pages with a strict CSP: scripts and styles from our origin only', async () => {
    const signed = await signIn(f.seller.key);
    const res = await get('/console/analytics', signed.cookie);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['cache-control']).toBe('no-store');
    // No inline script: the only script elements load from our origin or hold JSON data.
    const scripts = [...res.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    for (const attrs of scripts) {
      expect(attrs).toMatch(/src="\/console\/assets\/|type="application\/json"/);
    }
    const chart = await get('/console/assets/chart.umd.min.js');
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toContain('javascript');
    expect(chart.body).toContain('Chart.js v4.6.1');
  });
});

describe('console isolation', () => {
  it("never shows another seller's buyers, media buys or runs", async () => {
    const signed = await signIn(f.seller.key);
    const pages = await Promise.all(
      [
        '/console',
        '/console/sources',
        '/console/buyers',
        '/console/reviews',
        '/console/analytics',
      ].map((p) => get(p, signed.cookie)),
    );
    const all = pages.map((p) => p.body).join('\n');
    expect(all).toContain('Acme Outdoor');
    expect(all).toContain('MB-PENDING');
    expect(all).toContain('acme.example');
    expect(all).not.toContain('Hidden Rival Brand');
    expect(all).not.toContain('MB-RIVAL-SECRET');
    expect(all).not.toContain('secretbrand.example');
    expect(all).not.toContain('p-hidden');
    // The buyer's webhook URL in the submitted payload is not the operator's to read.
    expect(all).not.toContain('hook.secret');
  });

  it("answers 404 for another seller's buyer and media buy, and changes nothing", async () => {
    const signed = await signIn(f.seller.key);
    const approve = await post(
      `/console/buyers/${f.otherBuyerId}/approve`,
      { csrf: signed.csrf },
      signed.cookie,
    );
    expect(approve.statusCode).toBe(404);
    expect(approve.body).toContain('Sponsored buyer not found');
    expect(await buyerStatus(f.otherBuyerId, f.other.key)).toBe('pending');
    const decide = await post(
      '/console/media-buys/MB-RIVAL-SECRET/decide',
      { csrf: signed.csrf, status: 'approved' },
      signed.cookie,
    );
    expect(decide.statusCode).toBe(404);
    const rival = await h.call('GET', '/api/v2/storefront/media-buy-approvals/MB-RIVAL-SECRET', {
      key: f.other.key,
    });
    expect(rival.body.data.status).toBe('pending');
  });

  it('refuses changes until the terms are accepted, as the REST API does', async () => {
    const seller = await createCustomer(h, { role: 'SELLER', acceptTerms: false });
    const signed = await signIn(seller.key);
    const res = await post(
      `/console/buyers/${f.pendingBuyerId}/approve`,
      { csrf: signed.csrf },
      signed.cookie,
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('accept the current terms of service');
  });

  it('shows a new seller empty pages that say so, without plots', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const signed = await signIn(seller.key);
    const analytics = await get('/console/analytics', signed.cookie);
    expect(analytics.statusCode).toBe(200);
    expect(analytics.body).toContain('No discovery runs in the window yet.');
    expect(analytics.body).toContain('No products surfaced in the window yet.');
    expect(analytics.body).not.toContain('<canvas');
    const reviews = await get('/console/reviews', signed.cookie);
    expect(reviews.body).toContain('No media buys are waiting for approval.');
    const buyers = await get('/console/buyers', signed.cookie);
    expect(buyers.body).toContain('No buyers have joined through your links yet.');
    expect(buyers.body).not.toContain('Acme Outdoor');
  });

  it('refuses a malformed decision with 400 and the reason', async () => {
    const signed = await signIn(f.seller.key);
    const res = await post(
      '/console/media-buys/MB-PENDING/decide',
      { csrf: signed.csrf, status: 'maybe' },
      signed.cookie,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Choose Approve or Reject');
  });
});
