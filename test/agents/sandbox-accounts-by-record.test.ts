import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * Sandbox as AdCP models it (issue 70, item 1), over MCP and A2A with the official clients: an
 * account is a sandbox account by its stored record (sync_accounts / list_accounts `sandbox`, or
 * the natural key's own `sandbox`), the test controller acts only on sandbox accounts, and a
 * live account never sees or buys a fixture the buyer seeded. A seed on a live account and a
 * fixture id on a live buy are each a clear AdCP error, with nothing seeded or booked.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let platformId: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
  ({ platformId } = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]));
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

/**
 * A buyer agency of its own and its two accounts for one brand: the live one and the sandbox
 * one (the natural key's `sandbox`). Its domain is its own, so no other test holds the pair at
 * the shared seller.
 */
async function agency() {
  const domain = `agency-${randomUUID().slice(0, 8)}.example`;
  const customer = await createCustomer(h, { role: 'BUYER', domain });
  const live = { brand: { domain: 'acmeoutdoor.example' }, operator: domain };
  return { customer, live, sandbox: { ...live, sandbox: true } };
}
const fixture = (id: string) => ({
  scenario: 'seed_product',
  params: {
    product_id: id,
    fixture: { delivery_type: 'non_guaranteed', channels: ['display'] },
  },
});
const buyOf = (productId: string, account: Record<string, unknown>) => ({
  idempotency_key: randomUUID(),
  account,
  brand: { domain: 'acmeoutdoor.example' },
  start_time: 'asap',
  end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  packages: [{ product_id: productId, pricing_option_id: `${productId}_cpm`, budget: 1000 }],
});
const idsOf = (answer: { products?: Array<{ product_id: string }> }) =>
  (answer.products ?? []).map((p) => p.product_id);
const createsAtSeller = () => seller.toolCalls().filter((c) => c.tool === 'create_media_buy');

describe('sandbox accounts by their stored record (MCP)', () => {
  it('shows and sells a fixture to the sandbox account only, never to a live one', async () => {
    const { customer, live, sandbox } = await agency();
    const agent = await agentClient(base, platformId, customer.key);
    try {
      const seeded = await agent.call('comply_test_controller', {
        ...fixture('mine_q2'),
        account: sandbox,
      });
      expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      // The sandbox account sees it; the same brand's live account, by key or by its synced
      // id, does not (and its answer claims no simulated data).
      expect(
        idsOf(await agent.call('get_products', { buying_mode: 'wholesale', account: sandbox })),
      ).toContain('mine_q2');
      const liveAnswer = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: live,
      });
      expect(idsOf(liveAnswer).length).toBeGreaterThan(0);
      expect(idsOf(liveAnswer)).not.toContain('mine_q2');
      expect(liveAnswer).not.toHaveProperty('sandbox');
      const synced = await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveId = synced.accounts[0].account_id as string;
      expect(
        idsOf(
          await agent.call('get_products', {
            buying_mode: 'wholesale',
            account: { account_id: liveId },
          }),
        ),
      ).not.toContain('mine_q2');

      // A fixture id on a live buy: PRODUCT_NOT_FOUND at the package, nothing booked anywhere.
      const before = createsAtSeller().length;
      const refused = await agent.call('create_media_buy', buyOf('mine_q2', live));
      expect(refused.isError).toBe(true);
      expect(refused.adcp_error ?? refused.errors?.[0]).toMatchObject({
        code: 'PRODUCT_NOT_FOUND',
        field: 'packages[0].product_id',
      });
      expect(createsAtSeller()).toHaveLength(before);
      expect((await agent.call('get_media_buys', { account: live })).media_buys).toEqual([]);

      // The sandbox account buys it, on the storefront's own book (no source took the fixture).
      const bought = await agent.call('create_media_buy', buyOf('mine_q2', sandbox));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(createsAtSeller()).toHaveLength(before);
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('refuses a seed on a live account, whatever the request asserts, and seeds nothing', async () => {
    const { customer, live, sandbox } = await agency();
    const agent = await agentClient(base, platformId, customer.key);
    try {
      const synced = await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveId = synced.accounts[0].account_id as string;
      // `sandbox: true` beside a live account's id is the caller's say-so: the record decides.
      const asserted = await agent.call('comply_test_controller', {
        ...fixture('sneaky'),
        account: { account_id: liveId, sandbox: true },
      });
      expect(asserted).toMatchObject({ success: false, error: 'FORBIDDEN' });
      const byKey = await agent.call('comply_test_controller', {
        ...fixture('sneaky'),
        account: live,
      });
      expect(byKey).toMatchObject({ success: false, error: 'FORBIDDEN' });
      // An id shaped like a sandbox one, with no record, is a live account too.
      const madeUp = await agent.call('comply_test_controller', {
        ...fixture('sneaky'),
        account: { account_id: 'sandbox_acct_made_up' },
      });
      expect(madeUp).toMatchObject({ success: false, error: 'FORBIDDEN' });
      // A buyer holding live accounts only has no sandbox to name with `{sandbox: true}`.
      const bare = await agent.call('comply_test_controller', {
        ...fixture('sneaky'),
        account: { sandbox: true },
      });
      expect(bare).toMatchObject({ success: false, error: 'FORBIDDEN' });
      const wholesale = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: sandbox,
      });
      expect(idsOf(wholesale)).not.toContain('sneaky');

      // Once it holds a sandbox account (synced as such), that account's id is admitted.
      const mine = await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...sandbox, billing: 'operator' }],
      });
      const sandboxId = mine.accounts[0].account_id as string;
      const listed = await agent.call('list_accounts', { sandbox: true });
      expect(listed.accounts.map((a: { account_id: string }) => a.account_id)).toEqual([sandboxId]);
      const admitted = await agent.call('comply_test_controller', {
        ...fixture('proper'),
        account: { account_id: sandboxId, sandbox: true },
      });
      expect(admitted.success, JSON.stringify(admitted)).toBe(true);
      expect(
        (
          await agent.call('comply_test_controller', {
            ...fixture('proper_bare'),
            account: { sandbox: true },
          })
        ).success,
      ).toBe(true);
      expect(
        idsOf(
          await agent.call('get_products', {
            buying_mode: 'wholesale',
            account: { account_id: sandboxId },
          }),
        ),
      ).toEqual(expect.arrayContaining(['proper', 'proper_bare']));
    } finally {
      await agent.close();
    }
  }, 60_000);
});

describe('sandbox accounts by their stored record (A2A)', () => {
  it('keeps fixtures from a live account and refuses a seed or a fixture buy on it', async () => {
    const { customer, live, sandbox } = await agency();
    const agent = await a2aBuyer(base, platformId, customer.key);
    const seeded = await agent.call('comply_test_controller', {
      ...fixture('a2a_q2'),
      account: sandbox,
    });
    expect(seeded.success, JSON.stringify(seeded)).toBe(true);
    const onLive = await agent.call('comply_test_controller', {
      ...fixture('a2a_live'),
      account: live,
    });
    expect(onLive).toMatchObject({ success: false, error: 'FORBIDDEN' });
    expect(
      idsOf(await agent.call('get_products', { buying_mode: 'wholesale', account: sandbox })),
    ).toEqual(expect.arrayContaining(['a2a_q2']));
    const liveAnswer = await agent.call('get_products', {
      buying_mode: 'wholesale',
      account: live,
    });
    expect(idsOf(liveAnswer)).not.toContain('a2a_q2');
    expect(idsOf(liveAnswer)).not.toContain('a2a_live');
    const before = createsAtSeller().length;
    const refused = await agent.call('create_media_buy', buyOf('a2a_q2', live));
    expect(refused.state).toBe('failed');
    expect(refused.adcp_error).toMatchObject({
      code: 'PRODUCT_NOT_FOUND',
      field: 'packages[0].product_id',
    });
    expect(createsAtSeller()).toHaveLength(before);
    const bought = await agent.call('create_media_buy', buyOf('a2a_q2', sandbox));
    expect(bought.state, JSON.stringify(bought)).toBe('completed');
  }, 60_000);
});

describe('a sandbox key (MCP)', () => {
  it("takes every account it names as the pair's sandbox account; the live key sees none of it", async () => {
    const { customer, live } = await agency();
    // The same buyer's sandbox key (AdCP's sandbox principal, as the storyboards play it).
    const minted = await h.call('POST', `/api/v2/admin/customers/${customer.id}/api-keys`, {
      key: h.adminKey,
      body: { name: 'sandbox', sandbox: true },
    });
    expect(minted.status, minted.text).toBe(201);
    expect(minted.body.data.sandbox).toBe(true);
    const test = await agentClient(base, platformId, minted.body.data.key);
    const prod = await agentClient(base, platformId, customer.key);
    try {
      // `{sandbox: true}` naming no account seeds the sandbox key's own sandbox; the storyboards
      // then name the pair without `sandbox`, as the sandbox principal they play does.
      const seeded = await test.call('comply_test_controller', {
        ...fixture('keyed_q2'),
        account: { sandbox: true },
      });
      expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      const synced = await test.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      expect(synced.accounts[0]).toMatchObject({ sandbox: true });
      const listed = await test.call('list_accounts', {});
      expect(listed.accounts).toEqual([
        expect.objectContaining({ account_id: synced.accounts[0].account_id, sandbox: true }),
      ]);
      expect(
        idsOf(await test.call('get_products', { buying_mode: 'wholesale', account: live })),
      ).toContain('keyed_q2');
      const bought = await test.call('create_media_buy', buyOf('keyed_q2', live));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);

      // The live key naming the very same pair: its live account, no fixture shown or sold.
      expect(
        idsOf(await prod.call('get_products', { buying_mode: 'wholesale', account: live })),
      ).not.toContain('keyed_q2');
      const before = createsAtSeller().length;
      const refused = await prod.call('create_media_buy', buyOf('keyed_q2', live));
      expect(refused.adcp_error ?? refused.errors?.[0]).toMatchObject({
        code: 'PRODUCT_NOT_FOUND',
        field: 'packages[0].product_id',
      });
      expect(createsAtSeller()).toHaveLength(before);
      expect((await prod.call('get_media_buys', { account: live })).media_buys).toEqual([]);

      // A live account of record, named by id with the sandbox key: never reached.
      const liveSynced = await prod.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...live, billing: 'operator' }],
      });
      const liveId = liveSynced.accounts[0].account_id as string;
      const reached = await test.call('get_media_buys', { account: { account_id: liveId } });
      expect(reached.adcp_error ?? reached.errors?.[0]).toMatchObject({
        code: 'ACCOUNT_NOT_FOUND',
      });
    } finally {
      await test.close();
      await prod.close();
    }
  }, 60_000);
});
