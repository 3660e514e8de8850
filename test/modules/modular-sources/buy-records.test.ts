import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { availRow, commitCsv, day, header, modularStorefront, sources } from './support.js';

/**
 * What the seller's records and the buyer's answers say about buys a modular source refused,
 * declined or took: a refused attempt is no media buy, a declined one is declined, the overbook
 * error has its numbers, and valid_actions offers what the source can do.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  // The follow-up of a source's tasks runs as a background job, as under serve.
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Agent = Awaited<ReturnType<typeof agentClient>>;

/** A buyer on the storefront's MCP agent and the storefront product named `availId`. */
async function buyerOf(platformId: string, availId: string) {
  const { buyer, account } = await agencyBuying(h);
  const agent = await agentClient(base, platformId, buyer.key);
  const found = await agent.call('get_products', {
    buying_mode: 'brief',
    brief: 'homepage takeover',
    account,
  });
  const product = found.products.find((p: { name: string }) => p.name.includes(availId));
  expect(product, JSON.stringify(found)).toBeDefined();
  return { agent, account, product, buyer };
}

const buy = (
  account: Record<string, unknown>,
  product: { product_id: string; pricing_options: Array<{ pricing_option_id: string }> },
  budget: number,
) => ({
  idempotency_key: randomUUID(),
  account,
  brand: { domain: 'acmeoutdoor.example' },
  po_number: 'PO-4471',
  start_time: 'asap',
  end_time: day(14),
  packages: [
    {
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      budget,
    },
  ],
});

const sellerBuys = async (key: string) => {
  const res = await h.call('GET', '/api/v2/storefront/media-buys', { key });
  expect(res.status, res.text).toBe(200);
  return res.body.data.items as Array<{ mediaBuyId: string; status: string }>;
};

describe('an overbooked buy', () => {
  let agent: Agent | undefined;
  afterAll(() => agent?.close());

  it('is refused with the field, the impressions asked and those left; no media buy is listed', async () => {
    const sf = await modularStorefront(h);
    // CPM 20: a budget of 2,000 asks for 100,000 impressions where 1,000 are left.
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('tiny', 1_000)}`);
    const buyer = await buyerOf(sf.platformId, 'tiny');
    agent = buyer.agent;
    const refused = await agent.call('create_media_buy', buy(buyer.account, buyer.product, 2_000));
    expect(refused.isError, JSON.stringify(refused)).toBe(true);
    expect(refused.adcp_error, JSON.stringify(refused)).toMatchObject({
      code: 'PRODUCT_UNAVAILABLE',
      field: 'packages[0].budget',
      details: { requested_impressions: 100_000, available_impressions: 1_000 },
    });
    // A refused attempt is not a media buy in the seller's list (nor its timeline).
    expect(await sellerBuys(sf.seller.key)).toEqual([]);

    // A buy that fits is listed, booked.
    const fits = await agent.call('create_media_buy', buy(buyer.account, buyer.product, 10));
    expect(fits.isError, JSON.stringify(fits)).toBe(false);
    expect(await sellerBuys(sf.seller.key)).toEqual([
      expect.objectContaining({ mediaBuyId: fits.media_buy_id, status: 'booked' }),
    ]);
  }, 120_000);
});

describe('valid_actions of a modular buy', () => {
  let agent: Agent | undefined;
  afterAll(() => agent?.close());

  it('offers what the ledger honours: creatives first, then pause, resume, cancel, budget and dates', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('hp', 500_000)}`);
    const buyer = await buyerOf(sf.platformId, 'hp');
    agent = buyer.agent;
    const account = buyer.account;
    const created = await agent.call('create_media_buy', buy(account, buyer.product, 100));
    expect(created.isError, JSON.stringify(created)).toBe(false);
    // No creative on its package yet: the buyer's move (AdCP media-buy-status pending_creatives).
    expect(created.status).toBe('pending_creatives');
    // The ledger takes its packages' creatives too, while the buy can still run.
    const changes = ['update_budget', 'update_dates', 'sync_creatives'];
    expect(created.valid_actions).toEqual(['cancel', ...changes]);
    const id = created.media_buy_id as string;
    const read = await agent.call('get_media_buys', { media_buy_ids: [id], account });
    expect(read.media_buys[0].valid_actions).toEqual(['cancel', ...changes]);

    // What it offers works: new dates within the avail, then its creative on, then a pause.
    const dates = await agent.call('update_media_buy', {
      media_buy_id: id,
      account,
      idempotency_key: randomUUID(),
      end_time: day(20),
    });
    expect(dates.isError, JSON.stringify(dates)).toBe(false);
    const synced = await agent.call('sync_creatives', {
      idempotency_key: randomUUID(),
      account,
      creatives: [
        {
          creative_id: 'hp_banner',
          name: 'Homepage banner',
          format_id: buyer.product.format_ids[0],
          assets: {
            image: {
              asset_type: 'image',
              url: 'https://cdn.example/hp.png',
              width: 300,
              height: 250,
              mime_type: 'image/png',
            },
          },
        },
      ],
      assignments: [{ creative_id: 'hp_banner', package_id: created.packages[0].package_id }],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const live = await agent.call('get_media_buys', { media_buy_ids: [id], account });
    expect(live.media_buys[0]).toMatchObject({
      status: 'active',
      valid_actions: ['pause', 'cancel', ...changes],
    });
    const paused = await agent.call('update_media_buy', {
      media_buy_id: id,
      account,
      idempotency_key: randomUUID(),
      paused: true,
    });
    expect(paused.isError, JSON.stringify(paused)).toBe(false);
    expect(paused.valid_actions).toEqual(['resume', 'cancel', ...changes]);
    const again = await agent.call('get_media_buys', { media_buy_ids: [id], account });
    expect(again.media_buys[0]).toMatchObject({
      status: 'paused',
      valid_actions: ['resume', 'cancel', ...changes],
    });
    const canceled = await agent.call('update_media_buy', {
      media_buy_id: id,
      account,
      idempotency_key: randomUUID(),
      canceled: true,
    });
    expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
    expect(canceled.valid_actions).toEqual([]);
  }, 120_000);

  it("takes a 3.1 buyer's creative assignment on a buy waiting for creatives (storyboard media_buy_seller/pending_creatives_to_start)", async () => {
    const sf = await modularStorefront(h);
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('hp', 500_000)}`);
    const buyer = await buyerOf(sf.platformId, 'hp');
    const { account } = buyer;
    try {
      const created = await buyer.agent.call('create_media_buy', buy(account, buyer.product, 100));
      expect(created.status, JSON.stringify(created)).toBe('pending_creatives');
      expect(created.valid_actions).toContain('sync_creatives');
      const synced = await buyer.agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [
          {
            creative_id: 'hp_banner_31',
            name: 'Homepage banner',
            format_id: buyer.product.format_ids[0],
            assets: {
              image: {
                asset_type: 'image',
                url: 'https://cdn.example/hp.png',
                width: 300,
                height: 250,
                mime_type: 'image/png',
              },
            },
          },
        ],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      const assigned = await buyer.agent.call('update_media_buy', {
        adcp_version: '3.1',
        media_buy_id: created.media_buy_id,
        account,
        idempotency_key: randomUUID(),
        packages: [
          {
            package_id: created.packages[0].package_id,
            creative_assignments: [{ creative_id: 'hp_banner_31' }],
          },
        ],
      });
      expect(assigned.isError, JSON.stringify(assigned)).toBe(false);
      expect(assigned.media_buy_status, JSON.stringify(assigned)).not.toBe('pending_creatives');
    } finally {
      await buyer.agent.close();
    }
  }, 120_000);
});

describe('a booking the publisher declines', () => {
  let agent: Agent | undefined;
  afterAll(() => agent?.close());

  it('is a rejected buy to the seller and counts as rejected, not booked, in analytics', async () => {
    const sf = await modularStorefront(h, { booking: { mode: 'manual' } });
    const key = sf.seller.key;
    await commitCsv(h, key, sf.sourceId, `${header}\n${availRow('hp', 500_000)}`);
    const buyer = await buyerOf(sf.platformId, 'hp');
    agent = buyer.agent;
    const created = await agent.call('create_media_buy', buy(buyer.account, buyer.product, 1_000));
    expect(created.status, JSON.stringify(created)).toBe('submitted');
    const items = await h.call(
      'GET',
      `${sources}/${sf.sourceId}/modular/work-items?kind=CONFIRM_AVAILS`,
      { key },
    );
    const item = items.body.data.items[0];
    const declined = await h.call(
      'POST',
      `${sources}/${sf.sourceId}/modular/work-items/${item.id}/complete`,
      { key, body: { result: { decision: 'reject', reason: 'Sold out in print' } } },
    );
    expect(declined.status, declined.text).toBe(200);
    const task = await eventually(
      () => agent!.call('tasks_get', { task_id: created.task_id, account: buyer.account }),
      (t) => t.status !== 'submitted' && t.status !== 'working',
      30_000,
    );
    expect(['rejected', 'failed']).toContain(task.status);

    const listed = await eventually(
      () => sellerBuys(key),
      (buys) => buys.length === 1 && buys[0]!.status !== 'awaiting_source',
      30_000,
    );
    expect(listed[0]).toMatchObject({ status: 'rejected' });
    const analytics = await h.call('GET', '/api/v2/storefront/seller-analytics', { key });
    expect(analytics.status, analytics.text).toBe(200);
    expect(analytics.body.data.outcomes).toMatchObject({
      bookedMediaBuyCount: 0,
      rejectedCount: 1,
    });
  }, 120_000);
});
