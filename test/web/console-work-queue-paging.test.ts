import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClient, listen } from '../agents/storefront-agent-support.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  day,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A publisher with more open work items than a page holds walks its source's work queue page by
 * page, at 375 and 1280 px: next to the last page, previous back to the first, and meets every
 * item exactly once. One item comes from a real buy; the others are copies of it (their own ids
 * and resources), as many buys would leave.
 */
let h: Harness;
let base: string;
let b: ConsoleBrowser;
let sellerKey: string;
let sourceId: string;
const total = 57;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  const sf = await modularStorefront(h, {
    booking: { mode: 'manual' },
    execution: { mode: 'upstream_system', systemName: 'GAM' },
  });
  sellerKey = sf.seller.key;
  sourceId = sf.sourceId;
  await commitCsv(h, sellerKey, sourceId, `${header}\n${availRow('hp', 500_000)}`);
  const buyer = await createCustomer(h, { role: 'BUYER', name: 'Northwind Media' });
  const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'northwind.example' };
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const product = (
      await agent.call('get_products', { buying_mode: 'brief', brief: 'homepage', account })
    ).products[0];
    const created = await agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account,
      brand: { domain: 'acmeoutdoor.example' },
      start_time: day(1),
      end_time: day(15),
      packages: [
        {
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget: 2_000,
        },
      ],
    });
    if (created.status !== 'submitted') throw new Error(JSON.stringify(created));
  } finally {
    await agent.close();
  }
  // Copies of the real item, a second apart, several sharing a created_at (the order's tie).
  await h.database.queryable.query(
    `insert into modular_work_items (id, storefront_id, inventory_source_id, module_row_id, stage,
       kind, title, status, priority, resource_type, resource_id, media_buy_id,
       buyer_customer_id, due_at, payload, created_by_type, created_at, updated_at)
     select w.id || '_' || n, storefront_id, inventory_source_id, module_row_id, stage, kind,
       'Paged item ' || lpad(n::text, 2, '0'), status, priority, resource_type,
       resource_id || '_' || n, media_buy_id, buyer_customer_id, due_at, payload,
       created_by_type, created_at - ((n / 3) || ' seconds')::interval, updated_at
     from modular_work_items w, generate_series(2, $1) n
     where w.storefront_id = $2`,
    [total, sf.id],
  );
  b = await openConsoleBrowser('work-queue-paging', { width: 375, height: 800 });
}, 180_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

/** The ids of the work items the current page shows. */
const shownIds = () =>
  b.page.locator('article.work-item').evaluateAll((els) => els.map((el) => el.id));

describe('the work queue of a source, paged', () => {
  it('signs in', async () => {
    await b.page.goto(`${base}/console/sign-in`);
    await b.page.getByLabel('API key').fill(sellerKey);
    await b.page.click('button:has-text("Sign in")');
    await b.page.waitForURL(`${base}/console`);
  });

  for (const width of [375, 1280]) {
    it(`shows every item exactly once, next to the end and back, at ${width} px`, async () => {
      const { page } = b;
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${base}/console/sources/${sourceId}/work`);
      const pager = page.getByRole('navigation', { name: 'Work queue pages' }).first();
      const pages: string[][] = [];
      for (;;) {
        pages.push(await shownIds());
        await expectAccessible(b);
        await expectNoSidewaysScroll(page);
        const next = pager.getByRole('link', { name: 'Next page' });
        if ((await next.count()) === 0) break;
        await next.click();
        await page.waitForLoadState('load');
      }
      expect(pages.length).toBe(Math.ceil(total / 25));
      const seen = pages.flat();
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      expect(await pager.textContent()).toContain(`of ${total}`);

      // Back to the first page, each page as it was going forward.
      for (let i = pages.length - 2; i >= 0; i -= 1) {
        await pager.getByRole('link', { name: 'Previous page' }).click();
        await page.waitForLoadState('load');
        expect(await shownIds()).toEqual(pages[i]);
      }
      expect(await pager.getByRole('link', { name: 'Previous page' }).count()).toBe(0);
    }, 120_000);
  }

  it('loaded nothing from another origin', () => {
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
