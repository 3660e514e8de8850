import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastRatio } from '../../src/web/join/theme.js';
import { launchBrowser } from '../support/browser.js';
import { createHarness, type Harness } from '../harness.js';
import { consoleClient } from './console-client.js';
import { type ConsoleFixture, seedConsole } from './console-fixture.js';

/**
 * The operator console in headless Chromium: sign in with the seller's key, approve a
 * sponsored buyer, decide a media buy and a creative, and see the plots drawn (with their
 * tables) under the strict CSP. Screenshots go to test/artifacts/console (gitignored).
 */
const artifacts = join(process.cwd(), 'test', 'artifacts', 'console');
mkdirSync(artifacts, { recursive: true });

let h: Harness;
let f: ConsoleFixture;
let browser: Browser;
let base: string;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  f = await seedConsole(h);
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  // CSP violations and script errors surface as console errors.
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
});
afterAll(async () => {
  await browser?.close();
  await h.close();
});

const shot = (name: string) =>
  page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

/** Tabs forward until `selector` has the focus (at most 60 presses), as a keyboard user would. */
async function tabTo(selector: string) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
    );
    if (focused) return;
  }
  throw new Error(`could not reach ${selector} with Tab`);
}

describe('/console in the browser', () => {
  it('signs in with the seller key using only the keyboard and shows readiness', async () => {
    await page.goto(`${base}/console`);
    expect(page.url()).toContain('/console/sign-in');
    // The key field has a visible label.
    expect(await page.textContent('label[for="apiKey"]')).toBe('API key');
    await tabTo('#apiKey');
    await page.keyboard.type(f.seller.key);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console`);
    expect(await page.textContent('h1')).toBe('Readiness');
    expect(await page.textContent('header.top')).toContain('Northwind Media');
    expect(await page.textContent('main')).toContain('Status');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'interchange-console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session?.value).not.toContain(f.seller.key);
    await shot('readiness');
  });

  it('approves a pending sponsored buyer', async () => {
    await page.click('nav.sections >> text=Buyers and join links');
    await page.waitForURL(`${base}/console/buyers`);
    const row = page.locator('tr', { hasText: 'Acme Outdoor' });
    expect(await row.textContent()).toContain('pending');
    await shot('buyers-before');
    // Keyboard again: reach the Approve button and press Enter.
    await tabTo('button[aria-label="Approve Acme Outdoor"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/buyers\?notice=buyer-approve/);
    expect(await page.textContent('[role="status"]')).toBe(
      'Acme Outdoor is approved: the buyer can now buy.',
    );
    expect(await page.locator('tr', { hasText: 'Acme Outdoor' }).textContent()).toContain('active');
    const api = await h.call('GET', '/api/v2/storefront/sponsored-buyers', { key: f.seller.key });
    const buyer = (api.body.data.items as { buyerCustomerId: number; status: string }[]).find(
      (b) => b.buyerCustomerId === f.pendingBuyerId,
    );
    expect(buyer?.status).toBe('active');
    await shot('buyers-after');
  });

  it('rejects a pending media buy with a note, and reviews a creative', async () => {
    await page.click('nav.sections >> text=Review queues');
    await page.waitForURL(`${base}/console/reviews`);
    const row = page.locator('section[aria-labelledby="mb-h"] tbody tr', { hasText: 'MB-PENDING' });
    expect(await row.textContent()).toContain('5000 EUR');
    expect(await row.textContent()).toContain('2026-03-01 → 2026-03-31');
    await shot('reviews-before');
    // The notes field is found by its label, as assistive technology finds it.
    await page
      .getByLabel('Notes for media buy MB-PENDING (optional)')
      .fill('Outside our March calendar');
    await row.locator('button[value="rejected"]').click();
    await page.waitForURL(/notice=media-buy-rejected/);
    expect(await page.textContent('[role="status"]')).toContain('Media buy MB-PENDING rejected');
    // Approve the other one: the storefront has no source to forward it to, and says so.
    await page
      .locator('section[aria-labelledby="mb-h"] tbody tr', { hasText: 'MB-TO-APPROVE' })
      .locator('button[value="approved"]')
      .click();
    await page.waitForURL(/notice=media-buy-approved/);
    expect(await page.textContent('[role="status"]')).toContain('Media buy MB-TO-APPROVE approved');
    expect(await page.textContent('main')).toContain('No media buys are waiting for approval.');
    const approved = await h.call('GET', '/api/v2/storefront/media-buy-approvals/MB-TO-APPROVE', {
      key: f.seller.key,
    });
    expect(approved.body.data.status).toBe('approved');
    expect(approved.body.data.forwardOutcome).toBe('precondition_failed');
    expect(await page.textContent('[role="status"]')).toContain('did not complete');
    const api = await h.call('GET', '/api/v2/storefront/media-buy-approvals/MB-PENDING', {
      key: f.seller.key,
    });
    expect(api.body.data).toMatchObject({
      status: 'rejected',
      reviewerNotes: 'Outside our March calendar',
    });

    const creative = page.locator('tr', { hasText: 'cr-hero-banner' });
    expect(await creative.textContent()).toContain('display_300x250');
    await creative.locator('button[value="rejected"]').click();
    await page.waitForURL(/notice=creative-rejected/);
    expect(await page.textContent('main')).toContain('No creatives are waiting for review.');
    await shot('reviews-after');
  });

  it('draws the four plots with chart.js from our origin, each with its table', async () => {
    await page.click('nav.sections >> text=Analytics');
    await page.waitForURL(`${base}/console/analytics`);
    await page.waitForSelector('canvas[data-chart="top-products"][data-drawn="true"]');
    for (const id of ['by-month', 'funnel', 'top-buyers', 'top-products']) {
      const painted = await page.$eval(`canvas[data-chart="${id}"]`, (canvas) => {
        const c = canvas as unknown as {
          width: number;
          height: number;
          getContext(kind: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
          getAttribute(name: string): string | null;
        };
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let opaque = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) opaque++;
        return { drawn: c.getAttribute('data-drawn'), opaque, width: c.width };
      });
      expect(painted.drawn, id).toBe('true');
      expect(painted.width, id).toBeGreaterThan(100);
      expect(painted.opaque, id).toBeGreaterThan(500);
    }
    // The text alternatives carry the same numbers (hand-computed from the fixture).
    const month = await page.textContent('#chart-by-month-table');
    expect(month).toContain('2026-01');
    expect(month).toContain('2026-02');
    const funnel = await page.textContent('#chart-funnel-table');
    expect(funnel).toMatch(/Discovery runs\s*3/);
    expect(funnel).toMatch(/Runs with asks\s*1/);
    expect(await page.textContent('#chart-top-buyers-table')).toContain('acme.example');
    const products = await page.textContent('#chart-top-products-table');
    expect(products).toMatch(/p-sports\s*2/);
    expect(products).toMatch(/p-news\s*2/);
    // Each canvas names itself and points at its table.
    const label = await page.getAttribute('canvas[data-chart="funnel"]', 'aria-label');
    expect(label).toBe('Ask-to-book funnel: the table below gives the values');
    await shot('analytics');

    // Everything came from our own origin, and nothing was refused by the CSP.
    expect(requests.every((url) => url.startsWith(base))).toBe(true);
    expect(requests).toContain(`${base}/console/assets/chart.umd.min.js`);
    expect(problems).toEqual([]);
  });

  it('keeps text contrast at WCAG AA (4.5:1) on its main surfaces', async () => {
    const check = async (selectors: string[]) => {
      // Runs in the page (the test's own TypeScript has no DOM types).
      const pairs = (await page.evaluate(`(() => {
        const rgb = (value) => {
          const [r, g, b] = (value.match(/\\d+/g) ?? []).map(Number);
          return '#' + [r, g, b].map((n) => (n ?? 0).toString(16).padStart(2, '0')).join('');
        };
        const opaqueBackground = (el) => {
          for (let node = el; node; node = node.parentElement) {
            const bg = getComputedStyle(node).backgroundColor;
            if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return rgb(bg);
          }
          return '#ffffff';
        };
        return ${JSON.stringify(selectors)}.map((selector) => {
          const el = document.querySelector(selector);
          return el
            ? { selector, fg: rgb(getComputedStyle(el).color), bg: opaqueBackground(el) }
            : { selector, fg: null, bg: null };
        });
      })()`)) as { selector: string; fg: string | null; bg: string | null }[];
      for (const { selector, fg, bg } of pairs) {
        expect(fg, `${selector} is on the page`).not.toBeNull();
        expect(contrastRatio(fg!, bg!), `${selector}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    };
    await check(['p.summary', 'main h1', 'caption', 'dl.facts dt']);
    await page.goto(`${base}/console/buyers`);
    await check([
      'header.top strong',
      'nav.sections a[aria-current="page"]',
      'nav.sections a:not([aria-current])',
      'th',
      'header.top button',
      '.status.good',
      'button.secondary',
      'span.note',
    ]);
  });

  it('lists the signed-in sessions and ends another one', async () => {
    const other = await consoleClient(() => h.app).signIn(f.seller.key, h.app, {
      'user-agent': 'Other Laptop/1.0',
    });
    await page.click('nav.sections >> text=Sessions');
    await page.waitForURL(`${base}/console/sessions`);
    const mine = page.locator('tr', { hasText: 'this session' });
    expect(await mine.textContent()).toContain('HeadlessChrome');
    expect(await mine.locator('button').count()).toBe(0);
    expect(await page.locator('tr', { hasText: 'Other Laptop/1.0' }).count()).toBe(1);
    await shot('sessions-before');
    await page.click('button[aria-label^="End session of Other Laptop/1.0"]');
    await page.waitForURL(/\/console\/sessions\?notice=session-ended/);
    expect(await page.textContent('[role="status"]')).toContain('The session is ended');
    expect(await page.locator('tr', { hasText: 'Other Laptop/1.0' }).count()).toBe(0);
    expect(await page.locator('text=End all other sessions').count()).toBe(0);
    const replay = await h.app.inject({ url: '/console', headers: { cookie: other.cookie } });
    expect(replay.headers.location).toBe('/console/sign-in?reason=ended');
    await shot('sessions-after');
  });

  it('signs out, and the console then asks to sign in again, even with the old cookie', async () => {
    const before = (await context.cookies()).find((c) => c.name === 'interchange-console')!;
    await page.click('header.top button:has-text("Sign out")');
    await page.waitForURL(/\/console\/sign-in\?reason=signed-out/);
    await page.goto(`${base}/console/analytics`);
    expect(page.url()).toContain('/console/sign-in');
    // A copy of the signed-in cookie, put back after sign-out, is refused by the server.
    await context.addCookies([before]);
    await page.goto(`${base}/console/analytics`);
    expect(page.url()).toContain('/console/sign-in?reason=ended');
  });
});
