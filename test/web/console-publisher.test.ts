import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A publisher, from a new seller key to a TRANSACTING storefront with a source and a join link,
 * without leaving the browser: on a phone-sized screen (375 px), partly by keyboard, every page
 * checked with axe-core and kept as a screenshot, and nothing loaded from another origin.
 */
let h: Harness;
let seller: RunningSeller;
let publisher: TestCustomer;
let base: string;
let b: ConsoleBrowser;

beforeAll(async () => {
  // The join links this server mints carry the port it listens on.
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  seller = await startSeller('mcp');
  // A new organisation's key: its terms are not accepted yet.
  publisher = await createCustomer(h, {
    role: 'SELLER',
    name: 'Harbour Gazette',
    acceptTerms: false,
  });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  b = await openConsoleBrowser('publisher', { width: 375, height: 800 });
}, 60_000);
afterAll(async () => {
  await b?.close();
  await seller?.close();
  await h?.close();
});

const api = (path: string) => h.call('GET', path, { key: publisher.key });
const status = () => b.page.textContent('[role="status"]');

/** Every page of the journey passes the same checks before it is left. */
async function checkPage(name: string) {
  await b.shot(name);
  await expectAccessible(b);
  await expectNoSidewaysScroll(b.page);
}

describe('a publisher sets up and opens a storefront in the console', () => {
  it('signs in with the new key by keyboard, and accepts the terms', async () => {
    const { page } = b;
    await page.goto(`${base}/console`);
    await b.tabTo('#apiKey');
    await page.keyboard.type(publisher.key);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console`);
    expect(await page.textContent('h1')).toBe('Readiness');
    expect(await page.textContent('main')).toContain('Some blocking checks are not complete yet.');
    await checkPage('01-readiness');
    await page.click('button:has-text("Accept the terms of service")');
    await page.waitForURL(/notice=terms-accepted/);
    expect(await status()).toContain('The terms of service are accepted');
    expect((await api('/api/v2/accounts/current')).status).toBe(200);
  });

  it('follows a blocker to the form that fixes it, and is told at the field what the API refuses', async () => {
    const { page } = b;
    await page.click('a:has-text("Confirm the currency")');
    await page.waitForURL(`${base}/console/storefront#currency`);
    // The API's own rule (ISO 4217, upper case), shown at the field that broke it.
    await page.getByLabel('Settlement currency').fill('usd');
    await page.click('button:has-text("Confirm currency and languages")');
    const field = page.getByLabel('Settlement currency');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.textContent('#currency-defaultCurrency-error')).toBe(
      'Must be an ISO-4217 code such as USD',
    );
    await checkPage('02-currency-refused');
    await field.fill('EUR');
    await page.getByRole('textbox', { name: 'Languages' }).fill('en\nfr');
    await page.click('button:has-text("Confirm currency and languages")');
    await page.waitForURL(/notice=storefront-saved/);
    const saved = (await api('/api/v2/storefront')).body.data;
    expect(saved).toMatchObject({ defaultCurrency: 'EUR', supportedLanguages: ['en', 'fr'] });
  });

  it('fills the profile and the business profile, the limit counted as it is typed', async () => {
    const { page } = b;
    await page.locator('#profile').getByLabel('Publisher domain').fill('harbourgazette.example');
    await page.locator('#profile').getByLabel('Operator domain').fill('harbourgazette.example');
    await page.locator('#profile').getByLabel('Description').fill('Local news on the coast.');
    await page.click('button:has-text("Save the profile")');
    await page.waitForURL(/notice=storefront-saved/);
    const personality = page.getByLabel('Voice and merchandising guidance');
    await personality.fill('Friendly, local, precise.');
    expect(await page.textContent('#business-businessProfile-agentPersonality-count')).toBe(
      '25 of 1000 characters',
    );
    await page.getByLabel('Publisher domains the agent may sell').fill('harbourgazette.example');
    expect(await page.textContent('#business-businessProfile-publisherDomains-count')).toBe(
      '1 of 128 entries',
    );
    await page.click('button:has-text("Save the business profile")');
    await page.waitForURL(/notice=storefront-saved/);
    expect((await api('/api/v2/storefront')).body.data.businessProfile).toEqual({
      agentPersonality: 'Friendly, local, precise.',
      publisherDomains: ['harbourgazette.example'],
    });
  });

  it('previews the join page in the brand colour while it is typed', async () => {
    const { page } = b;
    await page.getByLabel('Primary colour').fill('#7a1f1f');
    const preview = page.frameLocator('iframe[data-preview-for="branding"]');
    await expect
      .poll(
        () =>
          preview.locator('header.brand').evaluate(
            (el) =>
              (
                globalThis as unknown as {
                  getComputedStyle(e: unknown): { backgroundColor: string };
                }
              ).getComputedStyle(el).backgroundColor,
          ),
        { timeout: 10_000 },
      )
      .toBe('rgb(122, 31, 31)');
    await page.click('button:has-text("Save the branding")');
    await page.waitForURL(/notice=storefront-saved/);
    expect((await api('/api/v2/storefront')).body.data.brandColors).toEqual({
      primary: '#7a1f1f',
    });
    await checkPage('03-storefront');
  });

  it('adds an AdCP sales agent, sees what it offers, tests and activates it', async () => {
    const { page } = b;
    await page.click('nav.sections >> text=Inventory sources');
    expect(await page.textContent('main')).toContain('No inventory sources yet');
    await checkPage('04-sources-empty');
    await page.click('a:has-text("Add a source")');
    // The AdCP agent's form (the page also has the modular source's).
    const form = page.locator('form#add-source');
    await form.getByLabel('Name (required)', { exact: true }).fill('Gazette ad server');
    await form.getByLabel('Agent URL').fill(seller.url);
    await form.getByLabel('Source id (optional)').fill('gazette');
    // The credential's fields follow the authentication type chosen.
    await page.getByLabel('Authentication').selectOption('API_KEY');
    expect(await page.getByLabel('API key or bearer token').isVisible()).toBe(true);
    await page.getByLabel('Authentication').selectOption('NO_AUTH');
    expect(await page.getByLabel('API key or bearer token').isVisible()).toBe(false);
    await checkPage('05-source-new');
    await page.click('button:has-text("Add the source")');
    await page.waitForURL(/\/console\/sources\/gazette\?notice=source-added/);
    expect(await page.textContent('#probe-h + dl')).toContain('Products');
    await page.click('button:has-text("Test the connection")');
    await page.waitForURL(/notice=source-test-passed/);
    expect(await status()).toContain('Gazette ad server answered: the connection works.');
    await page.click('button:has-text("Activate")');
    await page.waitForURL(/notice=source-activated/);
    await checkPage('06-source');
    const source = (await api('/api/v2/storefront/inventory-sources/gazette')).body.data;
    expect(source).toMatchObject({ status: 'ACTIVE', endpointUrl: seller.url });
    expect(source.health.status).toBe('healthy');
  });

  it('goes live by keyboard: the storefront is TRANSACTING', async () => {
    const { page } = b;
    await page.click('nav.sections >> text=Storefront');
    expect(await page.textContent('#go-live + dl')).toContain('TESTING');
    await b.tabTo('#control-activate button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/notice=storefront-activate/);
    expect(await status()).toContain('Your storefront is live');
    expect(await page.textContent('#go-live + dl')).toContain('TRANSACTING');
    expect((await api('/api/v2/storefront')).body.data.status).toBe('TRANSACTING');
    await checkPage('07-live');
  });

  it('drafts a price rule, previews what it does to the products by keyboard, then adds it', async () => {
    const { page } = b;
    await page.click('nav.sections >> text=Product rules');
    const form = page.locator('form#rule');
    await form.getByLabel('Name (required)', { exact: true }).fill('CTV markup');
    await form.getByLabel('What the rule does').selectOption('price');
    await form.getByLabel('ctv', { exact: true }).check();
    await form.getByLabel('Markup (%)').fill('10');
    await b.tabTo('button[formaction="/console/product-rules/preview"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console/product-rules/preview`);
    expect(await status()).toContain('Buyers would see');
    const preview = page.locator('section[aria-labelledby="preview-h"]');
    const drama = preview.locator('tr', { hasText: 'gazette__ctv_prime_drama' });
    expect(await drama.textContent()).toContain('46.2 USD (source: 42 USD)');
    expect(await drama.textContent()).toContain('Marked up 10% by "CTV markup" (draft)');
    // A product on another channel is as the source offers it.
    const takeover = preview.locator('tr', { hasText: 'gazette__dsp_homepage_takeover' });
    expect(await takeover.textContent()).toContain('As the source offers it');
    // Nothing is saved yet, and the form kept the draft.
    expect((await api('/api/v2/storefront/product-rules')).body.data.items).toEqual([]);
    expect(await form.getByLabel('Markup (%)').inputValue()).toBe('10');
    await checkPage('08-rules-preview');
    await form.locator('button:has-text("Add the rule")').click();
    await page.waitForURL(/notice=rule-added/);
    const rules = (await api('/api/v2/storefront/product-rules')).body.data.items;
    expect(rules).toEqual([
      expect.objectContaining({
        name: 'CTV markup',
        kind: 'price',
        match: { channels: ['ctv'] },
        action: { markupPercent: 10 },
      }),
    ]);
  });

  it('mints a join link with a QR code that opens the co-branded join page', async () => {
    const { page } = b;
    await page.click('nav.sections >> text=Buyers and join links');
    expect(await page.textContent('main')).toContain('No active join links');
    await page.getByLabel('Anyone with the link is approved at once').check();
    await page.getByLabel('Sign-up cap (optional)').fill('25');
    await page.getByLabel('Link name (optional)').fill('harbour-partners');
    await page.click('button:has-text("Mint the join link")');
    await page.waitForURL(/notice=join-link-minted/);
    const card = page.locator('article.link-card', { hasText: 'harbour-partners' });
    const url = await card.getByLabel('Join link', { exact: true }).inputValue();
    expect(url).toBe(`${base}/join/harbour-partners`);
    expect(await card.textContent()).toContain('0 of 25');
    const qr = card.locator('svg.qr');
    expect(await qr.getAttribute('aria-label')).toBe('QR code of the join link harbour-partners');
    expect((await qr.boundingBox())!.width).toBeGreaterThan(100);
    await checkPage('09-join-link');
    const links = (await api('/api/v2/storefront/join-links')).body.data.items;
    expect(links).toEqual([
      expect.objectContaining({
        slug: 'harbour-partners',
        approvalPolicy: 'auto_approve',
        maxUses: 25,
      }),
    ]);
    await page.click('a:has-text("Open the join page")');
    await page.waitForURL(`${base}/join/harbour-partners`);
    expect(await page.textContent('h1')).toContain('Harbour Gazette');
  });

  it('loaded nothing from another origin, and no page broke its CSP', async () => {
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    // The refused form's page came with its 400 (and the join page, not the console's, has no
    // icon); nothing else went wrong.
    const expected = [
      /status of 400 .*\/console\/storefront\/currency$/,
      /status of 404 .*\/favicon\.ico$/,
    ];
    expect(b.problems.filter((p) => !expected.some((e) => e.test(p)))).toEqual([]);
  });
});
