import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { availRow, commitCsv, day, header, modularStorefront, sources } from './support.js';

/**
 * A publisher who books and traffics by hand learns what a buyer's change asks of them: a cancel
 * or pause of a buy trafficked in GAM opens a work item, and every work item says whose buy it
 * is, for what, and by when.
 */
let h: Harness;
let base: string;
let agent: Awaited<ReturnType<typeof agentClient>> | undefined;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  // The follow-up of a source's tasks runs as a background job, as under serve.
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
});

type Item = {
  id: string;
  kind: string;
  status: string;
  dueAt: string | null;
  title: string;
  mediaBuyId: string | null;
  payload: Record<string, unknown>;
  mediaBuy: Record<string, unknown> | null;
};

describe('a buy trafficked by hand, changed by its buyer', () => {
  it('opens work for the publisher, each item saying whose buy, what it is and by when', async () => {
    const sf = await modularStorefront(h, {
      booking: { mode: 'manual' },
      execution: { mode: 'upstream_system', systemName: 'GAM' },
    });
    const key = sf.seller.key;
    const src = `${sources}/${sf.sourceId}`;
    await commitCsv(h, key, sf.sourceId, `${header}\n${availRow('hp', 500_000)}`);
    // An agency buying for a brand, with a name the publisher will read.
    const agency = `agency-${randomUUID().slice(0, 8)}.example`;
    const buyer = {
      ...(await createCustomer(h, { role: 'BUYER', name: 'Northwind Media', domain: agency })),
      name: 'Northwind Media',
    };
    const account = { brand: { domain: 'acmeoutdoor.example' }, operator: agency };
    agent = await agentClient(base, sf.platformId, buyer.key);
    const found = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'homepage',
      account,
    });
    const product = found.products[0];
    const placedAt = Date.now();
    const created = await agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account,
      brand: { domain: 'acmeoutdoor.example' },
      po_number: 'PO-4471',
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
    expect(created.status, JSON.stringify(created)).toBe('submitted');

    // The booking to confirm says whose buy it is, what for, and when its hold lapses.
    const open = await h.call('GET', `${src}/modular/work-items?kind=CONFIRM_AVAILS`, { key });
    const confirm = open.body.data.items[0] as Item;
    const detail = await h.call('GET', `${src}/modular/work-items/${confirm.id}`, { key });
    expect(detail.status, detail.text).toBe(200);
    const item = detail.body.data.item as Item;
    expect(item.mediaBuy, detail.text).toMatchObject({
      mediaBuyId: confirm.mediaBuyId,
      buyer: { customerId: buyer.id, name: buyer.name },
      brandDomain: 'acmeoutdoor.example',
      poNumber: 'PO-4471',
      budget: { amount: 2_000, currency: 'USD' },
      flight: { startTime: expect.any(String), endTime: expect.any(String) },
      products: [
        expect.objectContaining({
          availId: 'hp',
          name: 'Homepage takeover hp',
          impressions: 100_000,
          budget: 2_000,
        }),
      ],
    });
    // The hold lapses after the ledger's 24 h: that is the item's deadline.
    const deadline = Date.parse(String(item.mediaBuy!['holdExpiresAt']));
    expect(Math.abs(deadline - (placedAt + 86_400_000))).toBeLessThan(120_000);
    expect(item.dueAt).toBe(item.mediaBuy!['holdExpiresAt']);

    // Every open item of every source, with counts, on the storefront's own list.
    const all = await h.call('GET', '/api/v2/storefront/work-items', { key });
    expect(all.status, all.text).toBe(200);
    expect(all.body.data.total).toBe(1);
    expect(all.body.data.countsByKind).toEqual({ CONFIRM_AVAILS: 1 });
    expect(all.body.data.countsBySource).toEqual([
      {
        sourceId: sf.sourceId,
        name: 'Print and radio avails',
        executionType: 'MODULAR_SOURCE',
        count: 1,
      },
    ]);
    expect(all.body.data.items[0]).toMatchObject({
      id: confirm.id,
      source: { sourceId: sf.sourceId, name: 'Print and radio avails' },
      mediaBuy: { buyer: { name: buyer.name }, poNumber: 'PO-4471' },
    });
    const rival = await createCustomer(h, { role: 'SELLER' });
    const theirs = await h.call('GET', '/api/v2/storefront/work-items', { key: rival.key });
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.data.items).toEqual([]);

    // Confirmed and trafficked in GAM by hand.
    const done = await h.call('POST', `${src}/modular/work-items/${confirm.id}/complete`, {
      key,
      body: { result: { decision: 'approve' } },
    });
    expect(done.status, done.text).toBe(200);
    const task = await eventually(
      () => agent!.call('tasks_get', { task_id: created.task_id, account }),
      (t) => t.status === 'completed',
      30_000,
    );
    const mediaBuyId = JSON.stringify(task).match(/"media_buy_id":"([^"]+)"/)![1]!;
    const traffic = (await h.call('GET', `${src}/modular/work-items?kind=TRAFFIC_TO_GAM`, { key }))
      .body.data.items[0] as Item;
    const trafficked = await h.call('POST', `${src}/modular/work-items/${traffic.id}/complete`, {
      key,
      body: { result: { upstreamCampaignId: 'gam-order-77' } },
    });
    expect(trafficked.status, trafficked.text).toBe(200);

    // The buyer pauses it: someone must pause it in GAM.
    const paused = await agent.call('update_media_buy', {
      media_buy_id: mediaBuyId,
      account,
      idempotency_key: randomUUID(),
      paused: true,
    });
    expect(paused.isError, JSON.stringify(paused)).toBe(false);
    const pause = (await h.call('GET', `${src}/modular/work-items?kind=UPDATE_IN_GAM`, { key }))
      .body.data.items as Item[];
    expect(pause).toHaveLength(1);
    expect(pause[0]!.title).toContain('Pause');
    expect(pause[0]!.title).toContain('gam-order-77');

    // The buyer cancels it: someone must take it down in GAM, and confirm it.
    const canceled = await agent.call('update_media_buy', {
      media_buy_id: mediaBuyId,
      account,
      idempotency_key: randomUUID(),
      canceled: true,
    });
    expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
    const cancel = (
      await h.call('GET', `${src}/modular/work-items?kind=APPROVE_MEDIA_BUY_CANCELLATION`, { key })
    ).body.data.items as Item[];
    expect(cancel).toHaveLength(1);
    expect(cancel[0]!.title).toContain('gam-order-77');
    const cancelDetail = (
      await h.call('GET', `${src}/modular/work-items/${cancel[0]!.id}`, { key })
    ).body.data.item as Item;
    expect(cancelDetail.mediaBuy).toMatchObject({
      buyer: { name: buyer.name },
      poNumber: 'PO-4471',
      status: 'canceled',
    });
    expect(cancelDetail.payload).toMatchObject({ upstreamCampaignId: 'gam-order-77' });
    const counts = (await h.call('GET', `${src}/modular`, { key })).body.data;
    expect(counts.openWorkItemCountsByKind).toMatchObject({ APPROVE_MEDIA_BUY_CANCELLATION: 1 });
    const takenDown = await h.call('POST', `${src}/modular/work-items/${cancel[0]!.id}/complete`, {
      key,
      body: { notes: 'Archived in GAM' },
    });
    expect(takenDown.status, takenDown.text).toBe(200);
  }, 180_000);

  it('opens nothing for a cancel of a buy nobody has trafficked yet', async () => {
    const sf = await modularStorefront(h, {
      execution: { mode: 'upstream_system', systemName: 'GAM' },
    });
    const key = sf.seller.key;
    const src = `${sources}/${sf.sourceId}`;
    await commitCsv(h, key, sf.sourceId, `${header}\n${availRow('hp', 500_000)}`);
    const { buyer, account } = await agencyBuying(h);
    const own = await agentClient(base, sf.platformId, buyer.key);
    try {
      const product = (
        await own.call('get_products', { buying_mode: 'brief', brief: 'homepage', account })
      ).products[0];
      const created = await own.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: day(15),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 100,
          },
        ],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const canceled = await own.call('update_media_buy', {
        media_buy_id: created.media_buy_id,
        account,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      // The trafficking item goes with the buy; nothing was done upstream to undo.
      const all = await h.call('GET', `${src}/modular/work-items`, { key });
      expect(all.body.data.items).toEqual([]);
    } finally {
      await own.close();
    }
  }, 120_000);
});
