import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { listen } from '../agents/storefront-agent-support.js';
import { startFakeMeta, type FakeMeta } from '../../src/sandbox/fakes/meta/server.js';
import { startFakeSpotify, type FakeSpotify } from '../../src/sandbox/fakes/spotify/server.js';
import { liveBuyerAgent, metaEnv } from '../modules/provider-adapters/support.js';
import {
  connectSpotify,
  spotifyEnv,
  spotifyStorefront,
} from '../modules/provider-adapters/spotify-support.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/*
 * An operator connects its Meta ad account in the console, in headless Chromium: adds the
 * provider source from the form, clicks Connect, consents at the (fake) Meta login dialog, comes
 * back through the adapter callback page to the source's page, picks the ad account; when Meta
 * withdraws the grant the page says so and offers to reconnect.
 */

let h: Harness;
let base: string;
let meta: FakeMeta;
let spotify: FakeSpotify;
let seller: TestCustomer;
let b: ConsoleBrowser;
let storefront: { id: number; platformId: string };

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' });
  meta.state.adAccounts.push({
    id: 'act_1003',
    name: 'Acme Brand',
    currency: 'EUR',
    account_status: 1,
  });
  meta.state.pages.push({ id: '5550002', name: 'Acme Shop' });
  spotify = await startFakeSpotify({
    clientId: 'spotify-client-1',
    clientSecret: 'spot-secret-42',
  });
  h = await createHarness({ ...metaEnv(meta), ...spotifyEnv(spotify) });
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  spotify.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  seller = await createCustomer(h, { role: 'SELLER', name: 'Acme Outdoor' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  storefront = { id: sf.body.data.id, platformId: sf.body.data.platformId };
  b = await openConsoleBrowser('adapter', { width: 1280, height: 900 });
  b.page.setDefaultTimeout(10_000);
}, 120_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
  await meta?.close();
  await spotify?.close();
});

const connection = async () =>
  (await h.call('GET', '/api/v2/storefront/inventory-sources/meta/adapter', { key: seller.key }))
    .body.data;

describe('an operator connects a provider ad account in the console', () => {
  it('adds the Meta source, consents at Meta, comes back and picks the ad account', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(seller.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);

    await page.goto(`${base}/console/sources/new`);
    const form = page.locator('form#add-adapter');
    await form.getByLabel('Provider').selectOption('meta');
    await form.getByLabel('Name (required)', { exact: true }).fill('Meta ads');
    await form.getByLabel('Source id (optional)').fill('meta');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/\/console\/sources\/meta\?/);
    expect(await page.textContent('[role="status"]')).toContain(
      'Provider source Meta ads is added',
    );
    expect(await page.textContent('#adapter-h + *, section:has(#adapter-h)')).toContain('PENDING');
    await b.shot('pending');
    await expectAccessible(b);

    // Connect: to Meta's dialog (which consents at once here) and back to the callback page.
    await page.click('form#adapter-connect button[type="submit"]');
    await page.waitForURL(/\/adapters\/oauth\/callback/);
    expect(await page.textContent('h1')).toBe('Provider account connected');
    await page.click('a:has-text("Back to the source in the console")');
    await page.waitForURL(`${base}/console/sources/meta`);
    expect(await page.textContent('section:has(#adapter-h)')).toContain('CONNECTED');
    expect((await connection()).status).toBe('CONNECTED');

    const chooser = page.locator('form#adapter-account');
    await chooser.getByLabel('Ad account').selectOption('act_1003');
    await chooser.locator('button[type="submit"]').click();
    await page.waitForURL(/\/console\/sources\/meta\?/);
    expect(await page.textContent('[role="status"]')).toContain('Acme Brand');
    expect((await connection()).selectedAccount).toMatchObject({ id: 'act_1003' });
    // What it books with: the Page ads run as, the countries of a package that names none.
    // A country the API refuses comes back at its field, the typed values kept.
    const booking = page.locator('form#adapter-settings');
    expect(await booking.getByLabel('Ad category').count()).toBe(0);
    expect(await booking.getByLabel('Page ads run as').inputValue()).toBe('5550001');
    await booking.getByLabel('Default countries').fill('GB, germany');
    await booking.getByLabel('Page ads run as').selectOption('5550002');
    await booking.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/console/sources/meta/adapter-settings`);
    const refused = page.locator('form#adapter-settings');
    expect(await refused.locator('.field-error').first().textContent()).toMatch(/./);
    expect(await refused.locator('[aria-invalid="true"]').getAttribute('name')).toBe(
      'defaultCountries',
    );
    expect(await refused.getByLabel('Default countries').inputValue()).toContain('germany');
    expect((await connection()).defaultCountries).toEqual(['US']);
    await refused.getByLabel('Default countries').fill('GB\nDE');
    await refused.locator('button[type="submit"]').click();
    await page.waitForURL(/\/console\/sources\/meta\?/);
    expect(await page.textContent('[role="status"]')).toContain('are saved');
    expect(await connection()).toMatchObject({ pageId: '5550002', defaultCountries: ['GB', 'DE'] });
    expect(
      await page.locator('form#adapter-settings').getByLabel('Page ads run as').inputValue(),
    ).toBe('5550002');
    // Its settings are its name and description: there is no agent URL to give.
    const settings = page.locator('form#edit-source');
    expect(await settings.getByLabel('Agent URL').count()).toBe(0);
    await settings.getByLabel('Name').fill('Meta (Acme Brand)');
    await settings.locator('button[type="submit"]').click();
    await page.waitForURL(/\/console\/sources\/meta\?/);
    expect(await page.textContent('h1')).toBe('Meta (Acme Brand)');
    await b.shot('connected');
    await expectAccessible(b);
    await expectNoSidewaysScroll(page);
    // The refused settings page answered 400, as a refused form does; nothing else went wrong.
    expect(b.problems.filter((p) => !/status of 400 .*\/adapter-settings$/.test(p))).toEqual([]);
  });

  it('shows a grant Meta withdrew, with the reconnect button that restores it', async () => {
    const { page } = b;
    await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
    const agent = await liveBuyerAgent(h, base, { ...storefront, seller });
    try {
      meta.state.revokeAll();
      // The next use of the grant finds it gone (Meta answers 190).
      await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'stories',
        brand: { domain: 'acmeoutdoor.example' },
      });
    } finally {
      await agent.close();
    }
    await page.goto(`${base}/console/sources/meta`);
    const section = page.locator('section:has(#adapter-h)');
    expect(await section.textContent()).toContain('NEEDS_RECONNECT');
    expect(await section.locator('[role="alert"]').textContent()).toContain('grant was lost');
    await page.click('form#adapter-connect button:has-text("Reconnect the account")');
    await page.waitForURL(/\/adapters\/oauth\/callback/);
    expect(await page.textContent('h1')).toBe('Provider account connected');
    // Reconnected, it keeps what the operator chose (Meta's consent names its first Page).
    expect(await connection()).toMatchObject({
      status: 'CONNECTED',
      pageId: '5550002',
      defaultCountries: ['GB', 'DE'],
    });
  });

  it('sets and clears a Spotify source’s ad category', async () => {
    const sf = await spotifyStorefront(h);
    await connectSpotify(h, sf.seller.key);
    const view = async () =>
      (
        await h.call('GET', '/api/v2/storefront/inventory-sources/spotify/adapter', {
          key: sf.seller.key,
        })
      ).body.data;
    const ctx = await b.browser.newContext();
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/console/sign-in`);
      await page.getByLabel('API key').fill(sf.seller.key);
      await page.click('button:has-text("Sign in")');
      await page.waitForURL(`${base}/console`);
      await page.goto(`${base}/console/sources/spotify`);
      const form = page.locator('form#adapter-settings');
      expect(await form.getByLabel('Page ads run as').count()).toBe(0);
      await form.getByLabel('Ad category').fill('ADV_4_2');
      await form.locator('button[type="submit"]').click();
      await page.waitForURL(/\/console\/sources\/spotify\?/);
      expect((await view()).adCategory).toBe('ADV_4_2');
      // Emptied, the ad account's industry names the category again.
      await page.locator('form#adapter-settings').getByLabel('Ad category').fill('');
      await page.locator('form#adapter-settings button[type="submit"]').click();
      await page.waitForURL(/\/console\/sources\/spotify\?/);
      expect(await page.textContent('[role="status"]')).toContain('are saved');
      expect((await view()).adCategory).toBeNull();
    } finally {
      await ctx.close();
    }
  });

  it("shows nothing of another seller's source", async () => {
    const other = await createCustomer(h, { role: 'SELLER', name: 'Someone else' });
    const ctx = await b.browser.newContext();
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/console/sign-in`);
      await page.getByLabel('API key').fill(other.key);
      await page.click('button:has-text("Sign in")');
      await page.waitForURL(`${base}/console`);
      const res = await page.goto(`${base}/console/sources/meta`);
      expect(res?.status()).toBe(404);
      expect(await page.content()).not.toContain('act_1003');
    } finally {
      await ctx.close();
    }
  });
});
