import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startSeller } from '../fixtures/sellers.js';
import { createHarness } from '../harness.js';
import {
  controllerBuyer,
  listen,
  storefrontWith,
  type StorefrontOverSeller,
} from './storefront-agent-support.js';
import { account, creative, newCreativeId, reviews, sync } from './storefront-creatives-support.js';

/*
 * The operator's creative review queue after a purge (AdCP 3.1, the test controller's
 * force_creative_purge): a purged creative is gone, so it leaves the queue (REST and the
 * console's review page alike), and reading or deciding its review answers 404 NOT_FOUND saying
 * it was purged, never a 500 and never a decision on something that no longer exists. The
 * console in headless Chromium; the buyer through the official MCP client.
 */
const at = {} as StorefrontOverSeller & { sellerKey: string };
let browser: Browser;
beforeAll(async () => {
  at.h = await createHarness();
  at.base = await listen(at.h);
  at.seller = await startSeller('mcp');
  const sf = await storefrontWith(at.h, [{ sourceId: 'real', url: at.seller.url }], {
    creativeApproval: 'manual',
  });
  at.platformId = sf.platformId;
  at.sellerKey = sf.seller.key;
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await at.seller?.close();
  await at.h?.close();
});

type Review = { reviewId: string; creativeId: string; status: string };
const queue = async (status = 'pending') => {
  const listed = await at.h.call('GET', `${reviews}?status=${status}`, { key: at.sellerKey });
  expect(listed.status).toBe(200);
  return listed.body.data.items as Review[];
};

describe('the creative review queue after a purge', () => {
  it('leaves a purged creative out of the queue and answers its review 404, soft and hard', async () => {
    const { agent, control } = await controllerBuyer(at);
    try {
      const [kept, soft, hard] = [newCreativeId(), newCreativeId(), newCreativeId()];
      await sync(agent, [creative(kept), creative(soft), creative(hard)]);
      const before = await queue();
      const reviewOf = (id: string) => before.find((r) => r.creativeId === id)!.reviewId;
      expect(before.map((r) => r.creativeId)).toEqual(expect.arrayContaining([kept, soft, hard]));

      for (const [id, kind] of [
        [soft, 'soft'],
        [hard, 'hard'],
      ] as const) {
        const purged = await control('force_creative_purge', { creative_id: id, purge_kind: kind });
        expect(purged, JSON.stringify(purged)).toMatchObject({ success: true });
      }
      const after = (await queue()).map((r) => r.creativeId);
      expect(after).toContain(kept);
      expect(after).not.toContain(soft);
      expect(after).not.toContain(hard);

      for (const id of [soft, hard]) {
        const read = await at.h.call('GET', `${reviews}/${reviewOf(id)}`, { key: at.sellerKey });
        expect(read.status, read.text).toBe(404);
        expect(read.body.error).toMatchObject({ code: 'NOT_FOUND' });
        expect(read.body.error.message).toContain('purged');
        const decided = await at.h.call('POST', `${reviews}/${reviewOf(id)}/decide`, {
          key: at.sellerKey,
          body: { status: 'approved' },
        });
        expect(decided.status, decided.text).toBe(404);
        expect(decided.body.error.code).toBe('NOT_FOUND');
        expect(decided.body.error.message).toContain('purged');
      }
      // Nothing was decided: the buyer's tombstone keeps its last status.
      const tomb = await agent.call('list_creatives', {
        adcp_version: '3.1',
        account,
        filters: { creative_ids: [soft] },
        include_purged: true,
      });
      expect(tomb.creatives[0]).toMatchObject({ creative_id: soft, status: 'pending_review' });
      // Not in any status's list either.
      for (const status of ['approved', 'rejected']) {
        expect((await queue(status)).map((r) => r.creativeId)).not.toContain(soft);
      }
    } finally {
      await agent.close();
    }
  }, 90_000);

  it('takes a purged creative off the console’s review page, and a stale page’s decision says it is gone', async () => {
    const { agent, control } = await controllerBuyer(at);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const [kept, gone] = [newCreativeId(), newCreativeId()];
      await sync(agent, [creative(kept), creative(gone)]);
      await page.goto(`${at.base}/console/sign-in`);
      await page.fill('#apiKey', at.sellerKey);
      await page.press('#apiKey', 'Enter');
      await page.waitForURL(`${at.base}/console`);
      await page.goto(`${at.base}/console/reviews`);
      const row = (id: string) => page.locator('tr', { hasText: id });
      expect(await row(gone).count()).toBe(1);

      // Purged while the operator has the page open: the decision answers that it is gone.
      const purged = await control('force_creative_purge', { creative_id: gone });
      expect(purged).toMatchObject({ success: true });
      await row(gone).locator('button[value="approved"]').click();
      await page.waitForLoadState();
      expect(await page.textContent('.flash.error[role="alert"]')).toContain('purged');
      await page.goto(`${at.base}/console/reviews`);
      expect(await row(gone).count()).toBe(0);
      expect(await row(kept).count()).toBe(1);
    } finally {
      await context.close();
      await agent.close();
    }
  }, 90_000);
});
