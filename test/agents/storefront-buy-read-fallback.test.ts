import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSdkSeller } from '../fixtures/sdk-seller.js';
import { startSeller } from '../fixtures/sellers.js';
import { createCustomer } from '../harness.js';
import { agentClient, buyOf, storefrontWith } from './storefront-agent-support.js';
import {
  account as demoAccount,
  buyBoth,
  callsOf,
  creative,
  creativeWorld,
  libraryAndInline,
  newCreativeId,
  sync,
} from './storefront-creatives-support.js';

/*
 * get_media_buys over a buy split across two sources, one of which fails its read: the buyer
 * still sees the whole buy it made (every package, as bought, and the buy's total), with the
 * part its source did not answer for taken from the storefront's own record (the package ids,
 * products, pricing and budgets it booked, the status that source last answered) and the
 * source's failure in the answer's `errors[]`. Before, that part vanished: the buy read back
 * with one package of two and half its budget. Through the official MCP client.
 */

const world = creativeWorld();

// @adcp/sdk's own bundled 3.0.6 schemas: what an unpinned buyer's SDK grades an answer by.
const ajv306 = new Ajv({ strict: false, allErrors: true });
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv306);
const sdkSchemas = dirname(createRequire(import.meta.url).resolve('@adcp/sdk/package.json'));
function violations306(name: string, content: unknown): string[] {
  const file = join(sdkSchemas, `dist/lib/schemas-data/3.0/bundled/media-buy/${name}.json`);
  const validate = ajv306.compile(JSON.parse(readFileSync(file, 'utf8')));
  if (validate(content)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}

// The example seller resolves accounts by publisher domain, and no account it did not issue.
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

type Pkg = { package_id: string; product_id: string; budget: number };

describe('a buy whose source fails its read', () => {
  it('reads back whole, the failed part from the record, the failure in errors', async () => {
    const { h, base, library, inline } = world;
    const { agent } = await libraryAndInline(h, base, { library, inline });
    const id = newCreativeId();
    await sync(agent, [creative(id)]);
    const created = await buyBoth(agent, [id]);
    expect(created.isError, JSON.stringify(created)).toBe(false);
    const read = () => agent.call('get_media_buys', { media_buy_ids: [created.media_buy_id] });
    const whole = await read();
    expect(whole.errors).toBeUndefined();
    const [buy] = whole.media_buys;
    expect(buy.packages).toHaveLength(2);

    inline.answerInstead!('get_media_buys', {
      error: { code: 'SERVICE_UNAVAILABLE', message: 'The order desk is down for maintenance' },
    });
    const partial = await read();
    expect(partial.isError, JSON.stringify(partial)).toBe(false);
    expect(partial.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('maintenance') }),
    ]);
    const [again] = partial.media_buys;
    expect(again.total_budget).toBe(buy.total_budget);
    expect(again.status).toBe(buy.status);
    const shape = (p: Pkg) => ({
      package_id: p.package_id,
      product_id: p.product_id,
      budget: p.budget,
    });
    expect((again.packages as Pkg[]).map(shape)).toEqual((buy.packages as Pkg[]).map(shape));
  });
});

describe('a buy one of whose sources refuses its part', () => {
  it('answers the success arm with the parts booked, the refusal said in ext, never success with errors', async () => {
    const { h, base, library, inline } = world;
    const { agent } = await libraryAndInline(h, base, { library, inline });
    const id = newCreativeId();
    await sync(agent, [creative(id)]);
    inline.answerInstead!('create_media_buy', {
      error: { code: 'PRODUCT_UNAVAILABLE', message: 'The inline desk sold out this week' },
    });
    const created = await buyBoth(agent, [id]);
    expect(created.isError, JSON.stringify(created)).toBe(false);
    // create_media_buy's success arm forbids `errors` ("not": {"required": ["errors"]}, in the
    // 3.0.6 and the 3.1.19 schema alike): a buyer's validator would refuse the whole answer.
    expect(created).not.toHaveProperty('errors');
    const { isError: _flag, ...content } = created;
    expect(violations306('create-media-buy-response', content)).toEqual([]);
    expect(created.packages.map((p: Pkg) => p.product_id)).toEqual([
      expect.stringMatching(/^lib__/),
    ]);
    expect(created.ext.interchange.refused_packages).toEqual([
      expect.objectContaining({
        code: 'PRODUCT_UNAVAILABLE',
        product_id: expect.stringMatching(/^inl__/),
        message: expect.stringContaining('sold out'),
        source_id: 'inl',
      }),
    ]);
  });
});

describe('a buy started asap at @adcp/sdk’s example seller', () => {
  it(
    'reads back with the start it was placed at, and as booked when the seller stops answering',
    { timeout: 120_000 },
    async () => {
      const { h, base } = world;
      const seller = await startSdkSeller();
      const sf = await storefrontWith(h, [
        { sourceId: 'sdk', url: seller.url, token: seller.token },
      ]);
      const buyer = await createCustomer(h, { role: 'BUYER', domain: account.operator });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const found = await agent.call('get_products', { buying_mode: 'wholesale', account });
        const product = found.products[0];
        const asked = Date.now();
        const bought = await agent.call('create_media_buy', buyOf(product, account, 15_000));
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
        const packageId = bought.packages[0].package_id;
        const asBooked = expect.objectContaining({
          package_id: packageId,
          product_id: product.product_id,
          budget: 15_000,
        });

        // The seller was sent a date for "asap" (when the storefront placed the buy) and answers
        // its own read of the buy with it.
        const live = await agent.call('get_media_buys', { media_buy_ids: [bought.media_buy_id] });
        expect(live.isError, JSON.stringify(live)).toBe(false);
        expect(live.errors).toBeUndefined();
        const start = Date.parse(live.media_buys[0].start_time);
        expect(start).toBeGreaterThanOrEqual(asked - 5_000);
        expect(start).toBeLessThanOrEqual(Date.now());
        expect(live.media_buys[0].total_budget).toBe(15_000);
        expect(live.media_buys[0].packages).toEqual([asBooked]);

        await seller.close();
        const read = await agent.call('get_media_buys', { media_buy_ids: [bought.media_buy_id] });
        expect(read.isError, JSON.stringify(read)).toBe(false);
        expect(read.errors?.length).toBeGreaterThan(0);
        const [buy] = read.media_buys;
        expect(buy.total_budget).toBe(15_000);
        expect(buy.packages).toEqual([asBooked]);
      } finally {
        await agent.close();
        await seller.close();
      }
    },
  );
});

/** The part of a buy the storefront placed at its one source, as that source knows it. */
async function placedPart(mediaBuyId: string) {
  const { rows } = await world.h.database.queryable.query(
    'select forward_result from storefront_media_buys where media_buy_id = $1',
    [mediaBuyId],
  );
  const [leg] = rows[0]!.forward_result as Array<{
    upstreamMediaBuyId: string;
    packages: Array<{ upstreamPackageId: string }>;
  }>;
  return leg!;
}

describe('a source that answers a buy’s start back as "asap"', () => {
  it('is read with the start the storefront placed the buy at', async () => {
    const { h, base } = world;
    const seller = await startSeller('mcp');
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const product = products[0];
      const bought = await agent.call('create_media_buy', buyOf(product, demoAccount, 5_000));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const read = () => agent.call('get_media_buys', { media_buy_ids: [bought.media_buy_id] });
      const dated = (await read()).media_buys[0];
      expect(Date.parse(dated.start_time)).toBeGreaterThan(0);
      // A seller sent "asap" (before the storefront sent dates) may keep the buyer's word.
      const part = await placedPart(bought.media_buy_id);
      seller.answerInstead!('get_media_buys', {
        data: {
          media_buys: [
            {
              media_buy_id: part.upstreamMediaBuyId,
              status: dated.status,
              currency: 'USD',
              total_budget: 5_000,
              start_time: 'asap',
              end_time: dated.end_time,
              packages: part.packages.map((p) => ({
                package_id: p.upstreamPackageId,
                budget: 5_000,
              })),
            },
          ],
        },
      });
      const echoed = await read();
      expect(echoed.isError, JSON.stringify(echoed)).toBe(false);
      expect(echoed.errors).toBeUndefined();
      expect(echoed.media_buys[0].start_time).toBe(dated.start_time);
    } finally {
      await agent.close();
      await seller.close();
    }
  });
});

describe('a 3.1 buyer changing a buy whose source fails its read', () => {
  it('is refused what the recorded buy does not have open, and the source is not asked', async () => {
    const { h, base } = world;
    const seller = await startSeller('mcp');
    const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const v31 = { adcp_version: '3.1' };
    try {
      const { products } = await agent.call('get_products', { ...v31, buying_mode: 'wholesale' });
      const product = products[0];
      const bought = await agent.call('create_media_buy', {
        ...v31,
        ...buyOf(product, demoAccount, 5_000),
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      // No creative yet: the buy waits for one, and AdCP opens no pause before it runs.
      expect(bought.media_buy_status).toBe('pending_creatives');
      seller.answerInstead!('get_media_buys', {
        error: { code: 'SERVICE_UNAVAILABLE', message: 'The order desk is down for maintenance' },
      });
      const read = await agent.call('get_media_buys', {
        ...v31,
        media_buy_ids: [bought.media_buy_id],
      });
      expect(read.errors?.length).toBeGreaterThan(0);
      const open = read.media_buys[0].available_actions;
      const updates = callsOf(seller, 'update_media_buy').length;

      const pause = await agent.call('update_media_buy', {
        ...v31,
        idempotency_key: randomUUID(),
        account: demoAccount,
        media_buy_id: bought.media_buy_id,
        paused: true,
      });
      expect(pause).toMatchObject({
        status: 'failed',
        adcp_error: {
          code: 'ACTION_NOT_ALLOWED',
          details: {
            attempted_action: 'pause',
            reason: 'wrong_status',
            currently_available_actions: open,
          },
        },
      });
      expect(callsOf(seller, 'update_media_buy')).toHaveLength(updates);

      // What the record leaves open is the source's to take: a budget raise reaches it.
      const raise = await agent.call('update_media_buy', {
        ...v31,
        idempotency_key: randomUUID(),
        account: demoAccount,
        media_buy_id: bought.media_buy_id,
        packages: [{ package_id: bought.packages[0].package_id, budget: 6_000 }],
      });
      expect(raise.isError, JSON.stringify(raise)).toBe(false);
      expect(callsOf(seller, 'update_media_buy')).toHaveLength(updates + 1);
    } finally {
      await agent.close();
      await seller.close();
    }
  });
});
