import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../agents/storefront-agent-support.js';
import { createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  day,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A publisher uploads its own rate card in the console, on a phone-sized screen: the page lists
 * the columns a file may have and the headers each is known by, accepts the mapping its own help
 * text shows, and the preview says how each format was read and which avails the commit would
 * take off sale, before anything is committed.
 */
let h: Harness;
let base: string;
let b: ConsoleBrowser;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  b = await openConsoleBrowser('avails-preview', { width: 375, height: 800 });
}, 120_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

describe('the avails upload page', () => {
  it('lists the mapping targets, previews format mapping and what the commit takes off sale', async () => {
    const sf = await modularStorefront(h);
    const key = sf.seller.key;
    const six = ['a', 'b', 'c', 'd', 'e', 'f'];
    await commitCsv(
      h,
      key,
      sf.sourceId,
      [header, ...six.map((id) => availRow(id, 1000))].join('\n'),
    );
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    await page.goto(`${base}/console/sources/${sf.sourceId}/avails`);

    // The columns a file may have, each with the headers read as it.
    await page.click('#feed-columns summary');
    const targets = page.locator('#feed-columns table');
    expect(await targets.locator('tr', { hasText: 'impressionsCapacity' }).textContent()).toContain(
      'Imps',
    );
    expect(await targets.locator('tr', { hasText: 'name' }).first().textContent()).toContain(
      'Placement',
    );
    await page.click('#feed-formats summary');
    expect(
      await page.locator('#feed-formats tr', { hasText: 'display_300x250' }).textContent(),
    ).toContain('MPU');
    await b.shot('01-upload-page');
    await expectAccessible(b);

    // A rate card with its own headers: a (kept) and g (new); b to f are not in it.
    const csv = [
      'ID,Placement,Channel,Start date,End date,Imps,Rate,Size',
      `a,Homepage MPU,Display,${day(-1).slice(0, 10)},${day(30).slice(0, 10)},5000,12,MPU`,
      `g,Article leaderboard,Display,${day(-1).slice(0, 10)},${day(30).slice(0, 10)},8000,9,728x90`,
    ].join('\n');
    await page
      .getByLabel('Column mapping (optional)')
      .fill('{"Placement": "name", "Imps": "impressions"}');
    await page
      .getByLabel(/Avails file/)
      .setInputFiles({ name: 'rate-card.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('button:has-text("Upload and preview")');
    await page.waitForSelector('#preview-summary');
    expect(await page.textContent('#preview-summary')).toBe('2 rows accepted, 0 refused.');
    expect(await page.textContent('#commit-impact')).toBe(
      'Committing adds 1 new, updates 1 and takes 5 avails off sale.',
    );
    const leaving = page.locator('table', { hasText: 'Taken off sale by this commit' });
    for (const id of ['b', 'c', 'd', 'e', 'f']) {
      expect(await leaving.textContent()).toContain(`Homepage takeover ${id}`);
    }
    const read = page.locator('table', { hasText: 'Formats as read' });
    expect(await read.locator('tr', { hasText: 'MPU' }).textContent()).toContain('display_300x250');
    expect(await read.locator('tr', { hasText: '728x90' }).textContent()).toContain(
      'display_728x90',
    );
    await b.shot('02-preview');
    await expectAccessible(b);
    await expectNoSidewaysScroll(page);
    // Still six on sale: the preview changed nothing.
    expect(
      (await h.call('GET', `${sources}/${sf.sourceId}/modular`, { key })).body.data
        .activeAvailCount,
    ).toBe(6);

    await page.click('button:has-text("Commit: put 2 avails on sale and take 5 off sale")');
    await page.waitForURL(/avails\?notice=avails-committed/);
    expect(await page.textContent('#on-sale-count')).toBe('2');
    expect(b.problems).toEqual([]);
  }, 120_000);
});
