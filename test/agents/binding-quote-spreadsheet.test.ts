import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { agencyBuying, agentClient, listen } from './storefront-agent-support.js';
import {
  commitCsv,
  day,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';
import { buyAt, discountForAll, hardFloor, type ShownProduct } from './binding-quote-support.js';

/**
 * A quote is binding at a spreadsheet source (issue 68, item 1), over MCP with the official
 * client: the price get_products showed (a rate-card hard floor over the row's list, a buyer's
 * discount under it) is the price the ledger books, and the impressions it holds are the budget
 * at that price — read from the ledger, not from the storefront's record.
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

type Booking = { requestedImpressions: number; status: string; cpm: number | null };

/** A spreadsheet storefront selling one display row at `cpm` (10M impressions, a month). */
async function spreadsheetAt(cpm: number) {
  const sf = await modularStorefront(h);
  const row = `print,Print spread,print,display,${day(-1)},${day(30)},10000000,${cpm},USD,display_300x250,news.example`;
  await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${row}`);
  return sf;
}

/** A new buyer's get_products of the row, then its buy of `budget` on the shown option. */
async function showAndBuy(sf: { platformId: string }, budget: number) {
  const { buyer, account } = await agencyBuying(h);
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const listed = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'print',
      account,
    });
    expect(listed.isError, JSON.stringify(listed)).toBe(false);
    const product = (listed.products as ShownProduct[])[0]!;
    const option = product.pricing_options[0]!;
    const bought = await agent.call(
      'create_media_buy',
      buyAt(product, option, budget, account, day(20)),
    );
    return { option, bought };
  } finally {
    await agent.close();
  }
}

async function ledgerBookings(sf: { seller: { key: string }; sourceId: string }) {
  const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
    key: sf.seller.key,
  });
  expect(res.status, res.text).toBe(200);
  return res.body.data.bookings as Booking[];
}

describe('the price shown is the price a spreadsheet books', () => {
  it('books a hard floor of 30 over a row listed at 28: 6,000 holds 200,000 impressions at 30', async () => {
    const sf = await spreadsheetAt(28);
    await hardFloor(h, sf.seller.key, 30);
    const { option, bought } = await showAndBuy(sf, 6_000);
    expect(option.fixed_price).toBe(30);
    expect(option.price_breakdown?.list_price).toBe(28);
    expect(bought.isError, JSON.stringify(bought)).toBe(false);
    const [booking] = await ledgerBookings(sf);
    expect(booking).toMatchObject({ status: 'BOOKED', requestedImpressions: 200_000, cpm: 30 });
  }, 120_000);

  it('books a 20 % discount shown as 10 on a row listed at 12.5: 1,000 holds 100,000 impressions at 10', async () => {
    const sf = await spreadsheetAt(12.5);
    await discountForAll(h, sf.seller.key, 20);
    const { option, bought } = await showAndBuy(sf, 1_000);
    expect(option.fixed_price).toBe(10);
    expect(bought.isError, JSON.stringify(bought)).toBe(false);
    const [booking] = await ledgerBookings(sf);
    expect(booking).toMatchObject({ status: 'BOOKED', requestedImpressions: 100_000, cpm: 10 });
  }, 120_000);
});
