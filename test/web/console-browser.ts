import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser } from '../support/browser.js';

/**
 * A console page in headless Chromium as the journey tests drive it: every request and every
 * console error recorded (a CSP refusal is one), an accessibility check with axe-core injected
 * from node_modules, and a full-page screenshot per step under test/artifacts/console-journeys.
 */
const artifacts = join(process.cwd(), 'test', 'artifacts', 'console-journeys');
mkdirSync(artifacts, { recursive: true });
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the pages asked for. */
  requests: string[];
  /** Console errors and page errors (a CSP violation is reported as one). */
  problems: string[];
  /** Screenshot of the whole page, as `{prefix}-{name}.png`. */
  shot(name: string): Promise<void>;
  /** axe-core's serious and critical violations on the page as it is now. */
  axe(): Promise<string[]>;
  /** Tabs forward until `selector` has the focus, as a keyboard user would. */
  tabTo(selector: string): Promise<void>;
  close(): Promise<void>;
}

export async function openConsoleBrowser(
  prefix: string,
  viewport: { width: number; height: number },
): Promise<ConsoleBrowser> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('request', (r) => requests.push(r.url()));
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${m.text()} ${m.location().url}`);
    });
    p.on('pageerror', (e) => problems.push(e.message));
  };
  watch(page);
  context.on('page', watch);
  return {
    browser,
    context,
    page,
    requests,
    problems,
    shot: async (name) => {
      await page.screenshot({ path: join(artifacts, `${prefix}-${name}.png`), fullPage: true });
    },
    axe: async () => {
      // Evaluated over the DevTools protocol, which the page's CSP does not govern: the page
      // itself still loads nothing but its own files.
      await page.evaluate(axeSource);
      const found = (await page.evaluate(`(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
      })()`)) as string[];
      return found.map((v) => `${page.url()}: ${v}`);
    },
    tabTo: async (selector) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(
          `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
        );
        if (focused) return;
      }
      throw new Error(`could not reach ${selector} with Tab`);
    },
    close: () => browser.close(),
  };
}

/** Fails with every finding when a page has serious accessibility violations. */
export async function expectAccessible(b: ConsoleBrowser): Promise<void> {
  expect(await b.axe()).toEqual([]);
}

/** The page does not scroll sideways (it fits the viewport, e.g. 375 px). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = (await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  )) as number;
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
}
