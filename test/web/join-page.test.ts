import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastRatio, onColor } from '../../src/web/join/theme.js';
import { launchBrowser } from '../support/browser.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';

const artifacts = join(process.cwd(), 'test', 'artifacts');
mkdirSync(artifacts, { recursive: true });

let h: Harness;
let browser: Browser;
let base: string;
let seller: TestCustomer;
let storefrontId: number;
let logoServer: Server;

/** A tiny valid PNG (one red pixel) served by the "seller's CDN" on loopback. */
function pngPixel(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([len, Buffer.from(type), data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 255, 0, 0]));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

beforeAll(async () => {
  h = await createHarness();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  logoServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(pngPixel());
  });
  await new Promise<void>((r) => logoServer.listen(0, '127.0.0.1', r));
  seller = await createCustomer(h, { role: 'SELLER', name: 'Northwind Media' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: {
      logoUrl: `http://127.0.0.1:${(logoServer.address() as AddressInfo).port}/logo.png`,
      brandColors: { primary: '#E4002B', secondary: '#1A1A1A' },
      defaultCurrency: 'EUR',
      supportedLanguages: ['en', 'fr'],
    },
  });
  storefrontId = sf.body.data.id;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => logoServer?.close(r));
  await h.close();
});

async function link(approvalPolicy: string) {
  const res = await h.call('POST', '/api/v2/storefront/join-links', {
    key: seller.key,
    body: { storefrontId, approvalPolicy },
  });
  return res.body.data.slug as string;
}

async function newPage(options: { locale?: string; javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? false,
    ...(options.locale && {
      locale: options.locale,
      extraHTTPHeaders: { 'accept-language': options.locale },
    }),
  });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  return { page, requests, close: () => context.close() };
}

async function fill(page: Page, values: Record<string, string>) {
  for (const [field, value] of Object.entries(values)) await page.fill(`#${field}`, value);
}

describe('/join/{slug}', () => {
  it('renders in the seller colours with its logo, from our origin only, and signs up without JavaScript', async () => {
    const slug = await link('auto_approve');
    const { page, requests, close } = await newPage();
    const res = await page.goto(`${base}/join/${slug}`);
    expect(res?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('Join Northwind Media');
    const primary = await page.evaluate(
      "getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim()",
    );
    expect(primary).toBe('#E4002B');
    const logoWidth = await page.$eval(
      'img.logo',
      (img) => (img as unknown as { naturalWidth: number }).naturalWidth,
    );
    expect(logoWidth).toBe(1);
    expect(await page.textContent('main')).toContain('EUR');
    // Every input has a visible label.
    for (const id of ['name', 'email', 'brandDomain', 'company', 'country', 'acceptTerms']) {
      expect(await page.locator(`label[for="${id}"]`).count(), id).toBe(1);
    }
    await page.screenshot({ path: join(artifacts, 'join-form.png'), fullPage: true });

    await fill(page, {
      name: 'Acme Shoes',
      email: `acme.${Date.now()}@shoes.example`,
      brandDomain: 'shoes.example',
    });
    await page.check('#acceptTerms');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('Welcome aboard');
    const key = (await page.textContent('#api-key'))?.trim() as string;
    expect(key).toMatch(/^ix_/);
    await page.screenshot({ path: join(artifacts, 'join-welcome.png'), fullPage: true });
    expect(requests.every((u) => u.startsWith(base))).toBe(true);
    await close();

    const me = await h.call('GET', '/api/v2/accounts/current', { key });
    expect(me.body.data.sponsorship).toEqual({ storefrontId, status: 'active' });
  });

  it('speaks French when the browser asks and the seller supports it', async () => {
    const slug = await link('manual_approve');
    const { page, close } = await newPage({ locale: 'fr-FR' });
    await page.goto(`${base}/join/${slug}`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('h1')).toBe('Rejoindre Northwind Media');
    await fill(page, {
      name: 'Boulangerie',
      email: `pain.${Date.now()}@pain.example`,
      brandDomain: 'pain.example',
    });
    await page.check('#acceptTerms');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('Demande reçue');
    await page.screenshot({ path: join(artifacts, 'join-pending-fr.png'), fullPage: true });
    await close();
  });

  it('marks invalid fields accessibly and keeps what was typed', async () => {
    const slug = await link('auto_approve');
    const { page, close } = await newPage();
    await page.goto(`${base}/join/${slug}`);
    await fill(page, { name: 'Keep Me', email: 'not-an-email', brandDomain: '' });
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.click('button[type=submit]'),
    ]);
    expect(response?.status()).toBe(400);
    expect(await page.locator('[role=alert]').count()).toBe(1);
    expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#brandDomain', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#acceptTerms', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#name')).toBe('Keep Me');
    await page.screenshot({ path: join(artifacts, 'join-errors.png'), fullPage: true });
    await close();
  });

  it('tells the visitor when a link is closed or unknown', async () => {
    const slug = await link('closed');
    const { page, close } = await newPage();
    for (const s of [slug, 'never-minted']) {
      const res = await page.goto(`${base}/join/${s}`);
      expect(res?.status()).toBe(404);
      expect(await page.textContent('h1')).toBe('This link is not available');
    }
    await page.screenshot({ path: join(artifacts, 'join-invalid.png'), fullPage: true });
    await close();
  });

  it('sends a Content-Security-Policy that forbids scripts and foreign resources', async () => {
    const slug = await link('auto_approve');
    const res = await fetch(`${base}/join/${slug}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src 'self'");
    expect(await res.text()).not.toMatch(/<script/i);
  });
});

describe('theme contrast', () => {
  it.each(['#E4002B', '#FFD700', '#1f3a93', '#ffffff', '#000000', '#7fffd4'])(
    'keeps text on %s at WCAG AA contrast or better',
    (color) => {
      expect(contrastRatio(color, onColor(color))).toBeGreaterThanOrEqual(4.5);
    },
  );
});
