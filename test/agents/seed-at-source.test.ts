import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { startSdkSeller } from '../fixtures/sdk-seller.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';
import {
  agencyBuying,
  agentClient,
  buyOf,
  listen,
  storefrontWith,
  storyboardSandbox,
  syncSandboxAccount,
} from './storefront-agent-support.js';

/**
 * Fixtures seeded where the product will be sold (issue 70, item 2), over MCP with the official
 * client: a storefront forwards a buyer's seed_product to the source that offers it through its
 * own comply_test_controller (here another storefront, reached as an AdCP agent over HTTP), into
 * the buyer's sandbox account there; a sandbox buy of the fixture then books at that source, by
 * the source's own record. Where no source takes the seed, the storefront's own book holds it and
 * the answer says so. A live account neither sees nor buys the fixture.
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

/** The storefront's own record of its buys (seller analytics), each with the sources it went to. */
async function buysAt(key: string) {
  const res = await h.call('GET', '/api/v2/storefront/media-buys', { key });
  expect(res.status, res.text).toBe(200);
  return res.body.data.items as Array<{ sources: Array<{ sourceId: string }> }>;
}

describe('seed_product on a storefront whose source offers comply_test_controller', () => {
  it('is seeded at that source, and a sandbox buy of it books there; a live account never sees or buys it', async () => {
    // The upstream: a storefront (an AdCP agent offering the controller) the downstream sells
    // through, with a buyer there whose key is the downstream's credential.
    const upstream = await modularStorefront(h);
    const upBuyer = await createCustomer(h, { role: 'BUYER' });
    const upAgent = await agentClient(base, upstream.platformId, upBuyer.key);
    await syncSandboxAccount(upAgent);
    await upAgent.close();
    const sourceUrl = `${base}/adcp/storefront-${upstream.platformId}/mcp`;
    const downstream = await storefrontWith(h, [
      { sourceId: 'up', url: sourceUrl, token: upBuyer.key },
    ]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, downstream.platformId, buyer.key);
    const { account: live } = await agencyBuying(h);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'fwd-display',
          fixture: {
            name: 'Forwarded display fixture',
            delivery_type: 'non_guaranteed',
            channels: ['display'],
          },
        },
      });
      expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'up',
      });

      const listed = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'display fixture',
        account: storyboardSandbox,
      });
      const product = (listed.products as Json[]).find(
        (p) => p.name === 'Forwarded display fixture',
      );
      expect(product, JSON.stringify(listed)).toBeDefined();
      expect(product.ext?.interchange?.source_id).toBe('up');

      const bought = await agent.call('create_media_buy', buyOf(product, storyboardSandbox, 5_000));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // The downstream's record: the buy went to the source, not to its own sandbox book.
      const downBuys = await buysAt(downstream.seller.key);
      expect(downBuys.map((b) => b.sources.map((s) => s.sourceId))).toEqual([['up']]);
      // The source's own record: the buy is there.
      expect(await buysAt(upstream.seller.key)).toHaveLength(1);

      // A live account of the same buyer: the fixture is not offered, and naming it books nothing.
      await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveListed = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'display fixture',
        account: live,
      });
      expect(
        ((liveListed.products ?? []) as Json[]).map((p) => p.name),
        JSON.stringify(liveListed),
      ).not.toContain('Forwarded display fixture');
      const liveBuy = await agent.call('create_media_buy', buyOf(product, live, 5_000));
      expect(liveBuy.isError, JSON.stringify(liveBuy)).toBe(true);
      expect(await buysAt(upstream.seller.key)).toHaveLength(1);
      expect(await buysAt(downstream.seller.key)).toHaveLength(1);
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('stays on the storefront’s own book when the source takes the seed but never lists it', async () => {
    // The SDK's example seller answers "Fixture seeded" and its catalogue never reads the seed.
    const sdk = await startSdkSeller('non-guaranteed');
    const sf = await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: { product_id: 'sdk-fixture', fixture: { name: 'SDK-side fixture' } },
      });
      expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: '~sandbox',
        sources: [{ source_id: 'sdk', reason: expect.stringMatching(/does not list the fixture/) }],
      });
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = (listed.products as Json[]).find((p) => p.product_id === 'sdk-fixture');
      expect(product?.ext?.interchange?.source_id, JSON.stringify(listed)).toBe('~sandbox');
    } finally {
      await agent.close();
      await sdk.close();
    }
  }, 90_000);

  it('at a spreadsheet source is a sandbox avail of its ledger: listed and booked for that sandbox account only', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('hp-1', 1_000_000)}`);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const other = await createCustomer(h, { role: 'BUYER' });
    const otherAgent = await agentClient(base, sf.platformId, other.key);
    const { account: live } = await agencyBuying(h);
    const ledger = async () => {
      const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
        key: sf.seller.key,
      });
      expect(res.status, res.text).toBe(200);
      const data = res.body.data as {
        avails: Array<{ availId: string; sandboxBuyerCustomerId: number | null }>;
        holds: Array<{ mediaBuyId: string; cpm: number | null }>;
        bookings: Array<{ mediaBuyId: string; cpm: number | null }>;
      };
      return { ...data, booked: [...data.holds, ...data.bookings] };
    };
    const named = (answer: Json, name: string) =>
      ((answer.products ?? []) as Json[]).find((p) => p.name === name);
    try {
      await syncSandboxAccount(agent);
      await syncSandboxAccount(otherAgent);
      // A fixture on a channel the sheet does not sell stays on the storefront's own book, the
      // answer saying why; the sheet is still asked the next seed.
      const kept = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: { product_id: 'sheet-video', fixture: { channels: ['olv'] } },
      });
      expect(kept.ext?.interchange, JSON.stringify(kept)).toMatchObject({
        fixture_held_by: '~sandbox',
        sources: [{ source_id: sf.sourceId, reason: expect.stringMatching(/sells no olv avail/) }],
      });
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'sheet-display',
          fixture: { name: 'Sheet display fixture', channels: ['display'] },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: sf.sourceId,
      });
      const priced = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_pricing_option',
        params: {
          product_id: 'sheet-display',
          pricing_option_id: 'cpm_standard',
          pricing_model: 'cpm',
          currency: 'USD',
          fixed_price: 8,
        },
      });
      expect(priced.ext?.interchange, JSON.stringify(priced)).toMatchObject({
        fixture_held_by: sf.sourceId,
      });
      // The seller's own avails do not count it; its ledger shows it, marked as the buyer's.
      const held = (await ledger()).avails.find((a) => a.availId.endsWith('sheet-display'));
      expect(held?.sandboxBuyerCustomerId).toBe(buyer.id);

      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = named(listed, 'Sheet display fixture');
      expect(product?.ext?.interchange?.source_id, JSON.stringify(listed)).toBe(sf.sourceId);
      expect(product.pricing_options.map((o: Json) => o.pricing_option_id)).toEqual([
        'cpm_standard',
      ]);
      const bought = await agent.call('create_media_buy', buyOf(product, storyboardSandbox, 800));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect((await buysAt(sf.seller.key)).map((b) => b.sources.map((s) => s.sourceId))).toEqual([
        [sf.sourceId],
      ]);
      // A buy naming the fixture by the id it was seeded with (as storyboards buy) goes there too,
      // over a storyboard's flight (media_buy_seller's run to 2099: a fixture limits none).
      const byId = { product_id: 'sheet-display', pricing_options: product.pricing_options };
      const again = await agent.call('create_media_buy', {
        ...buyOf(byId, storyboardSandbox, 400),
        end_time: '2099-08-31T23:59:59Z',
      });
      expect(again.isError, JSON.stringify(again)).toBe(false);
      // The source's own record: its ledger holds (or booked) both, at the seeded price.
      const booked = (await ledger()).booked;
      expect(booked, JSON.stringify(booked)).toHaveLength(2);
      expect(booked.map((b) => b.cpm)).toEqual([8, 8]);

      // Another sandbox buyer neither sees nor buys it; nor does the buyer's live account.
      const others = await otherAgent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      expect(named(others, 'Sheet display fixture'), JSON.stringify(others)).toBeUndefined();
      const otherBuy = await otherAgent.call(
        'create_media_buy',
        buyOf(product, storyboardSandbox, 800),
      );
      expect(otherBuy.isError, JSON.stringify(otherBuy)).toBe(true);
      await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveListed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: live,
      });
      expect(
        named(liveListed, 'Sheet display fixture'),
        JSON.stringify(liveListed),
      ).toBeUndefined();
      const liveBuy = await agent.call('create_media_buy', buyOf(product, live, 800));
      expect(liveBuy.isError, JSON.stringify(liveBuy)).toBe(true);
      expect(liveBuy.adcp_error, JSON.stringify(liveBuy)).toMatchObject({
        code: 'PRODUCT_NOT_FOUND',
        field: 'packages[0].product_id',
      });
      expect((await ledger()).booked).toHaveLength(2);
      expect(await buysAt(sf.seller.key)).toHaveLength(2);
      // A sandbox buy changes at the ledger like any: canceled, its capacity is given back.
      const canceled = await agent.call('update_media_buy', {
        account: storyboardSandbox,
        media_buy_id: bought.media_buy_id,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      expect((await ledger()).booked).toHaveLength(1);
    } finally {
      await agent.close();
      await otherAgent.close();
    }
  }, 120_000);

  it('is held by the record: bought by its seeded id on another instance over the same database', async () => {
    const { sf, agent } = await sheetWithSandboxBuyer();
    // Another instance over the same database: no process memory of the seeds is shared.
    const other = await h.buildApp({}, { services: true });
    await other.listen({ host: '127.0.0.1', port: 0 });
    const otherBase = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
    const otherAgent = await agentClient(otherBase, sf.platformId, agent.buyer.key);
    try {
      const seeded = await seedAt(agent, 'restart-display', 'Restart display fixture');
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: sf.sourceId,
      });
      const byId = {
        product_id: 'restart-display',
        pricing_options: [{ pricing_option_id: 'po-fixed' }],
      };
      const bought = await otherAgent.call('create_media_buy', {
        ...buyOf(byId, storyboardSandbox, 700),
        end_time: '2099-08-31T23:59:59Z',
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(await bookedAt(sf)).toEqual([['sandbox:restart-display', 7]]);
    } finally {
      await agent.close();
      await otherAgent.close();
      await other.close();
    }
  }, 150_000);

  it('is listed by its seeded id; a real product’s id is never shadowed by a seed', async () => {
    const { sf, agent } = await sheetWithSandboxBuyer();
    try {
      await seedAt(agent, 'listed-display', 'Listed display fixture');
      // A seed under the id of one of the sheet's own products is not held there: the real
      // product keeps its id, and the fixture stays on the storefront's own book.
      const shadow = await seedAt(agent, 'real-1', 'Shadowing fixture');
      expect(shadow.ext?.interchange, JSON.stringify(shadow)).toMatchObject({
        fixture_held_by: '~sandbox',
        sources: [{ source_id: sf.sourceId, reason: expect.stringMatching(/real-1/) }],
      });
      // A seed under the storefront's id of the real product is held, and listed under the
      // storefront's id for it: the real product is still the one its id names.
      await seedAt(agent, `${sf.sourceId}__real-1`, 'Prefixed fixture');
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const products = (listed.products ?? []) as Json[];
      const idOf = (name: string) => products.find((p) => p.name === name)?.product_id;
      expect(idOf('Listed display fixture'), JSON.stringify(listed)).toBe('listed-display');
      expect(idOf('Homepage takeover real-1')).toBe(`${sf.sourceId}__real-1`);
      expect(idOf('Prefixed fixture')).toBe(`${sf.sourceId}__${sf.sourceId}__real-1`);
      expect(idOf('Shadowing fixture')).toBe('real-1');
      const fixture = products.find((p) => p.product_id === 'listed-display');
      expect(fixture.ext?.interchange?.source_id).toBe(sf.sourceId);

      // Bought as listed: the fixture at its seeded price, the real product at the sheet's own.
      const bought = await agent.call('create_media_buy', buyOf(fixture, storyboardSandbox, 700));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // Its package names the product as listed, and so does the buy read back.
      expect(bought.packages?.[0]?.product_id, JSON.stringify(bought)).toBe('listed-display');
      const read = await agent.call('get_media_buys', {
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      expect((read.media_buys as Json[])?.[0]?.packages?.[0]?.product_id).toBe('listed-display');
      // A 3.1 buy of it with the test kit's no-match list: checked against the fixture (described
      // to the sandbox account), refused as serving outside the list.
      const plain = buyOf(fixture, storyboardSandbox, 700);
      const kitList = {
        agent_url: 'https://governance.pinnacle-agency.example',
        list_id: 'acme_outdoor_no_match_v1',
      };
      const outside = await agent.call('create_media_buy', {
        ...plain,
        adcp_version: '3.1',
        packages: [{ ...plain.packages[0], targeting_overlay: { property_list: kitList } }],
      });
      expect(outside.adcp_error, JSON.stringify(outside)).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'packages[0].targeting_overlay.property_list',
      });
      const real = products.find((p) => p.product_id === `${sf.sourceId}__real-1`);
      const realBuy = await agent.call('create_media_buy', buyOf(real, storyboardSandbox, 2_000));
      expect(realBuy.isError, JSON.stringify(realBuy)).toBe(false);
      // A sandbox account's buy of the real product books on the buyer's copy of it (below).
      expect(await bookedAt(sf)).toEqual([
        ['sandbox:listed-display', 7],
        ['sandbox:real-1', 20],
      ]);
    } finally {
      await agent.close();
    }
  }, 150_000);

  it('simulates delivery of, and forces the status of, a sandbox buy at the spreadsheet holding it: get_media_buy_delivery and get_media_buys show it', async () => {
    const { agent } = await sheetWithSandboxBuyer();
    try {
      await seedAt(agent, 'sim-display', 'Simulated display fixture');
      const byId = {
        product_id: 'sim-display',
        pricing_options: [{ pricing_option_id: 'po-fixed' }],
      };
      const bought = await agent.call('create_media_buy', buyOf(byId, storyboardSandbox, 700));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const simulate = (impressions: number, spend: number) =>
        agent.call('comply_test_controller', {
          account: storyboardSandbox,
          scenario: 'simulate_delivery',
          params: {
            media_buy_id: bought.media_buy_id,
            impressions,
            clicks: 10,
            reported_spend: { amount: spend, currency: 'USD' },
          },
        });
      const first = await simulate(40_000, 280);
      expect(first.success, JSON.stringify(first)).toBe(true);
      expect(first.simulated?.media_buy_id).toBe(bought.media_buy_id);
      // Impressions and clicks add up; the spend reported is the buy's spend so far.
      await simulate(10_000, 350);
      const delivery = await agent.call('get_media_buy_delivery', {
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      const totals = (delivery.media_buy_deliveries as Json[])?.[0]?.totals;
      expect(totals, JSON.stringify(delivery)).toMatchObject({
        impressions: 50_000,
        clicks: 20,
        spend: 350,
      });
      // A forced status is the buy's at the spreadsheet; a final one stays.
      const force = (status: string) =>
        agent.call('comply_test_controller', {
          account: storyboardSandbox,
          scenario: 'force_media_buy_status',
          params: { media_buy_id: bought.media_buy_id, status },
        });
      const completed = await force('completed');
      expect(completed, JSON.stringify(completed)).toMatchObject({
        success: true,
        current_state: 'completed',
      });
      const read = await agent.call('get_media_buys', {
        account: storyboardSandbox,
        media_buy_ids: [bought.media_buy_id],
      });
      expect((read.media_buys as Json[])?.[0]?.status, JSON.stringify(read)).toBe('completed');
      const again = await force('active');
      expect(again, JSON.stringify(again)).toMatchObject({
        success: false,
        error: 'INVALID_TRANSITION',
      });
    } finally {
      await agent.close();
    }
  }, 150_000);

  it('keeps every seeded pricing option, and books at the one a buy names', async () => {
    const { sf, agent } = await sheetWithSandboxBuyer();
    try {
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: {
          product_id: 'two-prices',
          fixture: {
            name: 'Two-price fixture',
            channels: ['display'],
            pricing_options: [
              {
                pricing_option_id: 'po-std',
                pricing_model: 'cpm',
                currency: 'USD',
                fixed_price: 8,
              },
              {
                pricing_option_id: 'po-premium',
                pricing_model: 'cpm',
                currency: 'USD',
                fixed_price: 12,
              },
            ],
          },
        },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: sf.sourceId,
      });
      // A pricing option seeded later is one more, not a replacement.
      const added = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_pricing_option',
        params: {
          product_id: 'two-prices',
          pricing_option_id: 'po-extra',
          pricing_model: 'cpm',
          currency: 'USD',
          fixed_price: 5,
        },
      });
      expect(added.success, JSON.stringify(added)).toBe(true);
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'two-prices',
      );
      expect(
        product?.pricing_options.map((o: Json) => [o.pricing_option_id, o.fixed_price]),
        JSON.stringify(listed),
      ).toEqual([
        ['po-std', 8],
        ['po-premium', 12],
        ['po-extra', 5],
      ]);
      for (const optionId of ['po-premium', 'po-std']) {
        const option = {
          product_id: 'two-prices',
          pricing_options: [{ pricing_option_id: optionId }],
        };
        const bought = await agent.call('create_media_buy', buyOf(option, storyboardSandbox, 600));
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
      }
      expect(await bookedAt(sf)).toEqual([
        ['sandbox:two-prices', 12],
        ['sandbox:two-prices', 8],
      ]);
    } finally {
      await agent.close();
    }
  }, 150_000);
});

describe("a sandbox account's buy of the spreadsheet's own product", () => {
  it('books no real capacity: the ledger holds it on the buyer’s copy, the controller simulates it, a live buy still books the avail', async () => {
    const { sf, agent } = await sheetWithSandboxBuyer();
    const { buyer: liveBuyer, account: live } = await agencyBuying(h);
    const liveAgent = await agentClient(base, sf.platformId, liveBuyer.key);
    try {
      const wholesale = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const listed = (wholesale.products as Json[]).filter((p) => /real-1$/.test(p.product_id));
      expect(listed.map((p) => p.product_id)).toEqual([`${sf.sourceId}__real-1`]);
      const bought = await agent.call(
        'create_media_buy',
        buyOf(listed[0], storyboardSandbox, 2_000),
      );
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.packages?.[0]?.product_id).toBe(`${sf.sourceId}__real-1`);
      // AdCP: a sandbox account makes no real platform calls and no real spend. The avail's own
      // figures do not move; the buyer's copy holds the booking, at the avail's price.
      const real = await availAt(sf, 'real-1');
      expect(real, JSON.stringify(real)).toMatchObject({
        held: 0,
        booked: 0,
        available: 1_000_000,
      });
      expect(await bookedAt(sf)).toEqual([['sandbox:real-1', 20]]);
      // Listed once still (the copy never is), and a second buy books on the same copy.
      const again = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      expect((again.products as Json[]).filter((p) => /real-1$/.test(p.product_id)).length).toBe(1);
      // The controller simulates its delivery, as a fixture's (a real avail's buy it could not).
      const simulated = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'simulate_delivery',
        params: {
          media_buy_id: bought.media_buy_id,
          impressions: 1_000,
          reported_spend: { amount: 20, currency: 'USD' },
        },
      });
      expect(simulated.success, JSON.stringify(simulated)).toBe(true);
      // A live account's buy of the same product books the avail itself.
      await liveAgent.call('sync_accounts', {
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveBuy = await liveAgent.call('create_media_buy', buyOf(listed[0], live, 2_000));
      expect(liveBuy.isError, JSON.stringify(liveBuy)).toBe(false);
      const after = await availAt(sf, 'real-1');
      expect(after.held + after.booked, JSON.stringify(after)).toBeGreaterThan(0);
      expect((await availAt(sf, 'real-1')).available).toBeLessThan(1_000_000);
    } finally {
      await agent.close();
      await liveAgent.close();
    }
  }, 150_000);
});

/** The sheet's ledger figures for one of its own avails. */
async function availAt(sf: { seller: { key: string }; sourceId: string }, availId: string) {
  const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
    key: sf.seller.key,
  });
  expect(res.status, res.text).toBe(200);
  const avails = res.body.data.avails as Array<{
    availId: string;
    held: number;
    booked: number;
    available: number;
  }>;
  return avails.find((a) => a.availId === availId)!;
}

/** A storefront over a spreadsheet selling `real-1` at 20, and a buyer with a sandbox account. */
async function sheetWithSandboxBuyer() {
  const sf = await modularStorefront(h);
  await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('real-1', 1_000_000, 20)}`);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const client = await agentClient(base, sf.platformId, buyer.key);
  await syncSandboxAccount(client);
  return { sf, agent: Object.assign(client, { buyer }) };
}

/** Seeds a display product priced by one fixed CPM option (`po-fixed`, 7). */
function seedAt(agent: Awaited<ReturnType<typeof agentClient>>, productId: string, name: string) {
  return agent.call('comply_test_controller', {
    account: storyboardSandbox,
    scenario: 'seed_product',
    params: {
      product_id: productId,
      fixture: {
        name,
        channels: ['display'],
        pricing_options: [
          { pricing_option_id: 'po-fixed', pricing_model: 'cpm', currency: 'USD', fixed_price: 7 },
        ],
      },
    },
  });
}

/** What the sheet's own ledger holds or booked: [avail (a sandbox avail as sandbox:<id>), CPM]. */
async function bookedAt(sf: { seller: { key: string }; sourceId: string }) {
  const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
    key: sf.seller.key,
  });
  expect(res.status, res.text).toBe(200);
  const data = res.body.data as {
    holds: Array<{ availId: string; cpm: number | null }>;
    bookings: Array<{ availId: string; cpm: number | null }>;
  };
  return [...data.holds, ...data.bookings]
    .map((b) => [b.availId.replace(/^~sandbox\.\d+\./, 'sandbox:'), b.cpm])
    .sort();
}
