import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agencyBuying, agentClient, listen } from './storefront-agent-support.js';
import {
  commitCsv,
  day,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';

/**
 * A storefront over a spreadsheet source as AdCP 3.1.19 grades any seller (issue 70, items 3
 * and 4), over MCP with the official client: the sales specialism its avails make it, and a buy's
 * states answered by the ledger itself (media-buy state machine).
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read
const row = (id: string, impressions: number) =>
  `${id},Print ${id},print,display,${day(-1)},${day(30)},${impressions},20,USD,display_300x250,news.example`;

async function ledgerOf(sf: { seller: { key: string }; sourceId: string }) {
  const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
    key: sf.seller.key,
  });
  expect(res.status, res.text).toBe(200);
  return res.body.data as { avails: Json[]; bookings: Json[] };
}

const image = (id: string, product: Json) => ({
  creative_id: id,
  name: `Print creative ${id}`,
  format_id: product.format_ids[0],
  assets: {
    image: {
      asset_type: 'image',
      url: `https://cdn.example/${id}.png`,
      width: 300,
      height: 250,
      mime_type: 'image/png',
    },
  },
});

describe('a buy at a spreadsheet source', () => {
  it('waits in pending_creatives, changes at the ledger, and refuses a second cancel NOT_CANCELLABLE', async () => {
    const sf = await modularStorefront(h);
    // 300,000 impressions at 20 CPM: 6,000 buys all of it.
    await commitCsv(h, sf.seller.key, sf.sourceId, [header, row('a', 300_000)].join('\n'));
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const update = (fields: Record<string, unknown>) =>
      agent.call('update_media_buy', { idempotency_key: randomUUID(), account, ...fields });
    const booked = async () => {
      const { bookings } = await ledgerOf(sf);
      return bookings.map((b) => [b.status, b.requestedImpressions]);
    };
    try {
      const listed = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'print',
        account,
      });
      const product = (listed.products as Json[])[0];
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: day(20),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 2_000,
          },
        ],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const buyId = created.media_buy_id;
      // Booked with no creative on its package: the buyer's move (media-buy-status.json).
      expect(created.status).toBe('pending_creatives');
      const statusNow = async () =>
        (await agent.call('get_media_buys', { account, media_buy_ids: [buyId] })).media_buys[0];
      expect((await statusNow()).status).toBe('pending_creatives');
      const pkgId = created.packages[0].package_id;

      // A budget the avail cannot hold is refused at its field, and nothing moves.
      const tooBig = await update({
        media_buy_id: buyId,
        packages: [{ package_id: pkgId, budget: 7_000 }],
      });
      expect(tooBig.isError, JSON.stringify(tooBig)).toBe(true);
      expect(tooBig.adcp_error, JSON.stringify(tooBig)).toMatchObject({
        code: 'PRODUCT_UNAVAILABLE',
        field: 'packages[0].budget',
      });
      expect(await booked()).toEqual([['BOOKED', 100_000]]);
      // One that fits resizes the booking in the ledger; asked again, it takes nothing more.
      const budget = { media_buy_id: buyId, packages: [{ package_id: pkgId, budget: 4_000 }] };
      const grown = await update(budget);
      expect(grown.isError, JSON.stringify(grown)).toBe(false);
      expect(await booked()).toEqual([['BOOKED', 200_000]]);
      expect((await update(budget)).isError).toBe(false);
      expect(await booked()).toEqual([['BOOKED', 200_000]]);
      expect((await statusNow()).packages[0]).toMatchObject({
        budget: 4_000,
        impressions: 200_000,
      });
      // A flight past the avail's end is refused; one within it is the buy's.
      const late = await update({ media_buy_id: buyId, end_time: day(60) });
      expect(late.adcp_error?.code, JSON.stringify(late)).toBe('INVALID_REQUEST');
      const sooner = day(10);
      expect((await update({ media_buy_id: buyId, end_time: sooner })).isError).toBe(false);
      expect(new Date((await statusNow()).end_time).getTime()).toBe(new Date(sooner).getTime());

      // The creative synced onto the package: the buy leaves pending_creatives.
      const synced = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [image('print_1', product)],
        assignments: [{ creative_id: 'print_1', package_id: pkgId }],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      expect((await statusNow()).status).toBe('active');
      // Package pause and resume.
      await update({ media_buy_id: buyId, packages: [{ package_id: pkgId, paused: true }] });
      expect((await statusNow()).packages[0].paused).toBe(true);
      await update({ media_buy_id: buyId, packages: [{ package_id: pkgId, paused: false }] });
      expect((await statusNow()).packages[0].paused).toBe(false);

      // Cancel gives the capacity back; a second cancel is NOT_CANCELLABLE, a pause INVALID_STATE.
      const canceled = await update({ media_buy_id: buyId, canceled: true });
      expect(canceled.status, JSON.stringify(canceled)).toBe('canceled');
      expect((await ledgerOf(sf)).avails[0]).toMatchObject({ booked: 0, available: 300_000 });
      const again = await update({ media_buy_id: buyId, canceled: true });
      expect(again.adcp_error?.code, JSON.stringify(again)).toBe('NOT_CANCELLABLE');
      const paused = await update({ media_buy_id: buyId, paused: true });
      expect(paused.adcp_error?.code, JSON.stringify(paused)).toBe('INVALID_STATE');
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a storefront over a spreadsheet source', () => {
  it('declares sales-guaranteed, what its avails sell, over MCP and A2A', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(h, sf.seller.key, sf.sourceId, [header, row('g', 500_000)].join('\n'));
    const { buyer } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const mcp = await agent.call('get_adcp_capabilities', {});
      expect(mcp.isError, JSON.stringify(mcp)).toBe(false);
      expect(mcp.specialisms).toEqual(['sales-guaranteed']);
    } finally {
      await agent.close();
    }
    const a2a = await a2aBuyer(base, sf.platformId, buyer.key);
    const caps = await a2a.call('get_adcp_capabilities', {});
    expect(caps.specialisms, JSON.stringify(caps)).toEqual(['sales-guaranteed']);
  }, 120_000);
});
