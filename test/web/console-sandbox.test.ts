import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startServerProcess,
  stopServerProcesses,
  type ServerProcess,
} from '../support/server-process.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/*
 * The sandbox in the seller console (issue 48): the server started the README's way
 * (INTERCHANGE_SANDBOX=1 with the demo workspace) as a real process; the demo seller finds the
 * sandbox from the sources page, presses Connect beside Google Ad Manager, and sees the source,
 * its sync and the products it made, linked to the source page. Without the switch, the page
 * says how to turn it on. Each page axe-core clean at 375 and 1280 px; nothing asked of another
 * origin.
 */

let server: ServerProcess;
let b: ConsoleBrowser;
let seller: string;

beforeAll(async () => {
  server = await startServerProcess({
    env: {
      INTERCHANGE_SANDBOX: '1',
      INTERCHANGE_DEMO: '1',
      INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0',
    },
    readyTimeoutMs: 180_000,
  });
  const key = /Seller "[^"]+" \(customer \d+\) key: (\S+)/.exec(server.output())?.[1];
  if (!key) throw new Error(`no demo seller printed:\n${server.output()}`);
  seller = key;
  b = await openConsoleBrowser('sandbox', { width: 1280, height: 900 });
  b.page.setDefaultTimeout(30_000);
}, 240_000);
afterAll(async () => {
  await b?.close();
  await stopServerProcesses();
});

async function checkPage(name: string) {
  for (const width of [375, 1280]) {
    await b.page.setViewportSize({ width, height: width === 375 ? 667 : 900 });
    await b.shot(`${name}-${width}`);
    await expectAccessible(b);
    await expectNoSidewaysScroll(b.page);
  }
}

const gamRow = () => b.page.locator('tr', { hasText: 'Sandbox · Google Ad Manager' });

describe('the sandbox page of the seller console', { timeout: 180_000 }, () => {
  it('is offered from the sources page and lists every kind with Connect', async () => {
    const { page } = b;
    await page.goto(`${server.url}/console/sign-in`);
    await page.getByLabel('API key').fill(seller);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${server.url}/console`);
    await page.goto(`${server.url}/console/sources`);
    await page.click('a:has-text("Try every kind in the sandbox")');
    await page.waitForURL(`${server.url}/console/sandbox`);
    for (const kind of ['Google Ad Manager', 'FreeWheel', 'SpringServe', 'Meta']) {
      const row = page.locator('tr', { hasText: `Sandbox · ${kind}` });
      expect(await row.getByRole('button', { name: 'Connect', exact: true }).count()).toBe(1);
      expect(await row.textContent()).toContain('Not connected');
    }
    await checkPage('01-offer');
  });

  it('connects Google Ad Manager from the page and shows its sync and products', async () => {
    const { page } = b;
    await Promise.all([
      page.waitForNavigation({ timeout: 120_000 }),
      gamRow().getByRole('button', { name: 'Connect', exact: true }).click(),
    ]);
    expect(new URL(page.url()).pathname, (await page.locator('main').textContent()) ?? '').toBe(
      '/console/sandbox',
    );
    expect(await page.locator('[role="status"], .flash').first().textContent()).toContain(
      'connected to its sandbox fake',
    );
    // The first sync runs in the background: reload as the page says until it has finished.
    const deadline = Date.now() + 120_000;
    const synced = (text: string | null) =>
      !!text?.includes('Sandbox · Sports display') && !text.includes('running');
    while (!synced(await gamRow().textContent())) {
      if (Date.now() > deadline) throw new Error(`no products: ${await gamRow().textContent()}`);
      await new Promise((r) => setTimeout(r, 1000));
      await page.reload();
    }
    const row = (await gamRow().textContent()) ?? '';
    expect(row).toContain('completed');
    expect(row).toContain('Sandbox · Homepage display');
    expect(row).toContain('ACTIVE');
    expect(await gamRow().getByRole('button', { name: 'Connect again' }).count()).toBe(1);
    await checkPage('02-connected');

    await gamRow().getByRole('link', { name: 'Sandbox · Google Ad Manager' }).click();
    await page.waitForURL(`${server.url}/console/sources/sandbox-gam`);
    expect(await page.locator('#products-h').locator('..').textContent()).toContain(
      'Sandbox · Sports display',
    );
  });

  it('loaded nothing from another origin', () => {
    expect(b.requests.filter((url) => !url.startsWith(server.url))).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
