import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createHarness, type Harness } from '../harness.js';
import { agencyBuying, agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { commitCsv, day, header, sources } from '../modules/modular-sources/support.js';
import { buyAt, discountForAll, hardFloor, type ShownProduct } from './binding-quote-support.js';

/**
 * A quote is binding at an AdCP agent (issue 68, item 1), over MCP with the official client. An
 * agent is told what AdCP carries of a price: the bid on an auction option (the floor shown when
 * the buyer bids none) and the impressions the budget buys at it. A fixed price it books itself
 * (AdCP carries no other to it), so a storefront shows an agent's fixed price as the agent quotes
 * it: a buyer's discount applies to the spreadsheet beside it, not to the agent.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

/** A storefront over the demo seller (`demo`) and a spreadsheet (`avails`, a display row at 20). */
async function agentAndSpreadsheet() {
  const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
  const created = await h.call('POST', `${sources}/modular/feed`, {
    key: sf.seller.key,
    body: { name: 'Print avails', sourceId: 'avails' },
  });
  expect(created.status, created.text).toBe(201);
  const row = `print,Print spread,print,display,${day(-1)},${day(30)},10000000,20,USD,display_300x250,news.example`;
  await commitCsv(h, sf.seller.key, 'avails', `${header}\n${row}`);
  return sf;
}

async function shown(
  agent: Awaited<ReturnType<typeof agentClient>>,
  account: object,
  brief: string,
) {
  const listed = await agent.call('get_products', {
    buying_mode: 'brief',
    brief,
    account,
    pagination: { max_results: 100 },
  });
  expect(listed.isError, JSON.stringify(listed)).toBe(false);
  return listed.products as ShownProduct[];
}

const createCalls = () => seller.toolCalls().filter((c) => c.tool === 'create_media_buy');

describe('the binding quote at an AdCP agent', () => {
  it('shows an agent its own fixed price under a 5 % discount, and books it there', async () => {
    const sf = await agentAndSpreadsheet();
    await discountForAll(h, sf.seller.key, 5);
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const products = await shown(agent, account, 'news premium display print spread');
      const news = products.find((p) => p.product_id === 'demo__dsp_news_premium')!;
      const print = products.find((p) => p.product_id === 'avails__print')!;
      // The agent books its own fixed price (AdCP carries no other to it): shown as it quotes
      // it; the spreadsheet books the price quoted, so the discount applies there.
      expect(news.pricing_options[0]!.fixed_price).toBe(18);
      expect(news.pricing_options[0]!.price_breakdown).toBeUndefined();
      expect(print.pricing_options[0]!.fixed_price).toBe(19);
      const before = createCalls().length;
      const both = buyAt(print, print.pricing_options[0]!, 1_900, account, day(20));
      both.packages.push({
        product_id: news.product_id,
        pricing_option_id: news.pricing_options[0]!.pricing_option_id,
        budget: 5_400,
      });
      const bought = await agent.call('create_media_buy', both);
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // The agent was told the buy: its package, and the impressions 5,400 buys at 18.
      await expect.poll(() => createCalls().length, { timeout: 60_000 }).toBeGreaterThan(before);
      const sent = createCalls().at(-1)!.args['packages'] as Array<Record<string, unknown>>;
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ product_id: 'dsp_news_premium', impressions: 300_000 });
      // The spreadsheet holds 1,900 at the discounted 19: 100,000 impressions.
      const ledger = await h.call('GET', `${sources}/avails/modular/ledger`, {
        key: sf.seller.key,
      });
      const held = [...ledger.body.data.bookings, ...ledger.body.data.holds];
      expect(held, ledger.text).toHaveLength(1);
      expect(held[0]).toMatchObject({ requestedImpressions: 100_000, cpm: 19 });
    } finally {
      await agent.close();
    }
  }, 180_000);

  it('tells the agent the floor shown as its bid and the impressions the budget buys at it', async () => {
    const sf = await agentAndSpreadsheet();
    await hardFloor(h, sf.seller.key, 10);
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const products = await shown(agent, account, 'run of site display auction');
      const ros = products.find((p) => p.product_id === 'demo__dsp_run_of_site')!;
      const auction = ros.pricing_options[0]!;
      expect(auction.floor_price).toBe(10);
      const bought = await agent.call(
        'create_media_buy',
        buyAt(ros, auction, 1_000, account, day(20)),
      );
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const sent = createCalls().at(-1)!.args['packages'] as Array<Record<string, unknown>>;
      expect(sent[0]).toMatchObject({ bid_price: 10, impressions: 100_000, budget: 1_000 });
      expect(sent[0]).not.toHaveProperty('quoted_price');

      // More impressions than the budget buys at the price are refused at the field.
      const greedy = await agent.call(
        'create_media_buy',
        buyAt(ros, auction, 1_000, account, day(20), { impressions: 150_000 }),
      );
      expect(greedy.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[0].impressions',
      });
    } finally {
      await agent.close();
    }
  }, 180_000);
});
