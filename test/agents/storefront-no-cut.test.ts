import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  type AnswerPage,
  type CatalogueRow,
  plainRows,
  spreadsheetStorefront,
  walk,
} from './catalogue-support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/**
 * No source kind cuts what it has on sale (issue 71, item 1). A publisher group sells 223
 * products through five spreadsheet sources, one of them of 113 rows: every answer says 223,
 * a buyer's cursor walk reaches each of them exactly once, and the product the brief is about
 * is found wherever its source would have ranked it on fewer fields (here its collection's
 * description, which the final ranking reads).
 */
let h: Harness;
let base: string;
let sf: { platformId: string };

// The one product about motoring says so only in its collection's description, and has the
// least capacity of its source's 113 rows (a source's own order puts it last).
const motoring: CatalogueRow = {
  id: 'big-hexa-hp-lb',
  name: 'HX_UK_HP-LB',
  collection: 'hexa',
  collectionDescription: 'Motoring enthusiasts: car reviews and road tests',
  impressions: 1_000,
};
const feeds = [
  { sourceId: 'big', rows: [...plainRows('big', 112), motoring] },
  { sourceId: 'news', rows: plainRows('news', 40) },
  { sourceId: 'sport', rows: plainRows('sport', 30) },
  { sourceId: 'radio', rows: plainRows('radio', 20).map((r) => ({ ...r, channel: 'radio' })) },
  { sourceId: 'ooh', rows: plainRows('ooh', 20).map((r) => ({ ...r, channel: 'dooh' })) },
];
const everyId = feeds.flatMap((f) => f.rows.map((r) => `${f.sourceId}__${r.id}`));

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  sf = await spreadsheetStorefront(h, feeds);
}, 180_000);
afterAll(async () => {
  await h?.close();
});

async function buyer() {
  const customer = await createCustomer(h, { role: 'BUYER' });
  return agentClient(base, sf.platformId, customer.key);
}

describe('a storefront of 223 products in five spreadsheets', () => {
  it('says 223 and a brief cursor walk reaches every product exactly once', async () => {
    expect(everyId).toHaveLength(223);
    const agent = await buyer();
    try {
      const { pages, ids } = await walk(
        (pagination) =>
          agent.call('get_products', {
            buying_mode: 'brief',
            brief: 'Display banners across the group',
            pagination,
          }) as Promise<AnswerPage>,
        40,
      );
      for (const page of pages) {
        expect(page.isError, JSON.stringify(page).slice(0, 400)).toBe(false);
        expect(page.pagination?.total_count).toBe(223);
        expect(page.errors ?? []).toEqual([]);
      }
      expect(ids).toHaveLength(223);
      expect(new Set(ids)).toEqual(new Set(everyId));
    } finally {
      await agent.close();
    }
  });

  it('ranks first the product its collection describes, though its source holds 113', async () => {
    const agent = await buyer();
    try {
      const page = (await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Reach motoring enthusiasts with car reviews',
        pagination: { max_results: 5 },
      })) as AnswerPage;
      expect(page.isError, JSON.stringify(page).slice(0, 400)).toBe(false);
      expect(page.products[0]?.product_id).toBe('big__big-hexa-hp-lb');
      expect(page.pagination?.total_count).toBe(223);
    } finally {
      await agent.close();
    }
  });

  it('a wholesale walk reaches every product exactly once', async () => {
    const agent = await buyer();
    try {
      const { pages, ids } = await walk(
        (pagination) =>
          agent.call('get_products', {
            buying_mode: 'wholesale',
            pagination,
          }) as Promise<AnswerPage>,
        100,
      );
      expect(pages.every((p) => !p.isError)).toBe(true);
      expect(pages[0]?.pagination?.total_count).toBe(223);
      expect(ids.sort()).toEqual([...everyId].sort());
    } finally {
      await agent.close();
    }
  });

  it('refuses a cursor of another brief as INVALID_REQUEST on pagination.cursor', async () => {
    const agent = await buyer();
    try {
      const first = (await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Radio spots',
        pagination: { max_results: 10 },
      })) as AnswerPage;
      expect(first.pagination?.has_more).toBe(true);
      const other = (await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Outdoor screens',
        pagination: { max_results: 10, cursor: first.pagination?.cursor },
      })) as AnswerPage;
      expect(other.isError).toBe(true);
      expect(other.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'pagination.cursor',
      });
    } finally {
      await agent.close();
    }
  });
});
