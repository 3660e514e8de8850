import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type agentClient,
  controllerBuyer,
  storefrontOverSeller,
} from './storefront-agent-support.js';

/**
 * comply_test_controller's state scenarios (AdCP deterministic_testing) on a storefront, over
 * MCP with the official client: force_media_buy_status, simulate_budget_spend,
 * force_account_status, seed_creative and force_creative_status, each on the caller's own
 * sandbox only (another buyer's object is NOT_FOUND, live state FORBIDDEN).
 */
const at = storefrontOverSeller();

const acme = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acme.example' };
/** Its sandbox account: only a sandbox account buys the buyer's seeded fixtures. */
const acmeSandbox = { ...acme, sandbox: true };

type Agent = Awaited<ReturnType<typeof agentClient>>;

/** A buyer's MCP client, with the controller called as the storyboards call it. */
const buyer = () => controllerBuyer(at);

/** A buy of the caller's seeded `test-product` (a sandbox buy), answering its id. */
async function sandboxBuy(agent: Agent, control: Awaited<ReturnType<typeof buyer>>['control']) {
  const product = { delivery_type: 'non_guaranteed', channels: ['display'] };
  expect(
    (await control('seed_product', { product_id: 'test-product', fixture: product })).success,
  ).toBe(true);
  const price = { pricing_model: 'cpm', currency: 'USD', fixed_price: 10 };
  const priced = await control('seed_pricing_option', {
    product_id: 'test-product',
    pricing_option_id: 'test-pricing',
    fixture: price,
  });
  expect(priced.success).toBe(true);
  const created = await agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account: acmeSandbox,
    brand: { domain: 'acmeoutdoor.example' },
    start_time: 'asap',
    end_time: '2099-06-30T23:59:59Z',
    packages: [{ product_id: 'test-product', pricing_option_id: 'test-pricing', budget: 10_000 }],
  });
  expect(created.isError, JSON.stringify(created)).toBe(false);
  return created.media_buy_id as string;
}

describe('force_media_buy_status and simulate_budget_spend', () => {
  it('moves a sandbox buy through active to completed, which is final', async () => {
    const { agent, control } = await buyer();
    const other = await buyer();
    try {
      const id = await sandboxBuy(agent, control);
      const active = await control('force_media_buy_status', {
        media_buy_id: id,
        status: 'active',
      });
      expect(active).toMatchObject({ success: true, current_state: 'active' });
      expect(active.previous_state).toBe('pending_creatives');
      const read = await agent.call('get_media_buys', {
        account: acmeSandbox,
        media_buy_ids: [id],
      });
      expect(read.media_buys[0].status).toBe('active');

      const done = await control('force_media_buy_status', {
        media_buy_id: id,
        status: 'completed',
      });
      expect(done).toMatchObject({
        success: true,
        previous_state: 'active',
        current_state: 'completed',
      });
      const back = await control('force_media_buy_status', { media_buy_id: id, status: 'active' });
      expect(back).toMatchObject({
        success: false,
        error: 'INVALID_TRANSITION',
        current_state: 'completed',
      });

      // Another buyer's buy does not exist for this one.
      const theirs = await other.control('force_media_buy_status', {
        media_buy_id: id,
        status: 'paused',
      });
      expect(theirs).toMatchObject({ success: false, error: 'NOT_FOUND' });
      const missing = await control('force_media_buy_status', {
        media_buy_id: 'mb_none',
        status: 'active',
      });
      expect(missing).toMatchObject({ success: false, error: 'NOT_FOUND' });
    } finally {
      await agent.close();
      await other.agent.close();
    }
  }, 90_000);

  it("reports 95% of a sandbox buy's budget spent in its delivery", async () => {
    const { agent, control } = await buyer();
    try {
      const id = await sandboxBuy(agent, control);
      const spent = await control('simulate_budget_spend', {
        media_buy_id: id,
        spend_percentage: 95,
      });
      expect(spent).toMatchObject({
        success: true,
        simulated: { media_buy_id: id, spend_percentage: 95 },
      });
      const delivery = await agent.call('get_media_buy_delivery', {
        account: acmeSandbox,
        media_buy_ids: [id],
      });
      expect(delivery.media_buy_deliveries[0].totals.spend).toBe(9_500);
      const wrong = await control('simulate_budget_spend', {
        media_buy_id: id,
        spend_percentage: 140,
      });
      expect(wrong).toMatchObject({ success: false, error: 'INVALID_PARAMS' });
    } finally {
      await agent.close();
    }
  }, 90_000);
});

describe('force_account_status', () => {
  it('suspends a sandbox account, which then takes no buys, and refuses a live one', async () => {
    const { agent, control } = await buyer();
    try {
      await sandboxBuy(agent, control);
      const synced = await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [{ ...acme, billing: 'operator', sandbox: true }],
      });
      const accountId = synced.accounts[0].account_id as string;
      const suspended = await control('force_account_status', {
        account_id: accountId,
        status: 'suspended',
      });
      expect(suspended).toMatchObject({
        success: true,
        previous_state: 'active',
        current_state: 'suspended',
      });

      const refused = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { ...acme, sandbox: true },
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: '2099-06-30T23:59:59Z',
        packages: [
          { product_id: 'test-product', pricing_option_id: 'test-pricing', budget: 10_000 },
        ],
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused)).toContain('ACCOUNT_SUSPENDED');

      const restored = await control('force_account_status', {
        account_id: accountId,
        status: 'active',
      });
      expect(restored).toMatchObject({
        success: true,
        previous_state: 'suspended',
        current_state: 'active',
      });
      const live = await control('force_account_status', {
        account_id: 'acct_live',
        status: 'suspended',
      });
      expect(live).toMatchObject({ success: false, error: 'FORBIDDEN' });
    } finally {
      await agent.close();
    }
  }, 90_000);
});

describe('seed_creative and force_creative_status', () => {
  it('seeds creatives list_creatives pages honestly, and archives one for good', async () => {
    const { agent, control } = await buyer();
    const other = await buyer();
    try {
      const ids = ['pi_creative_1', 'pi_creative_2', 'pi_creative_3'];
      for (const id of ids) {
        const fixture = { status: 'approved', format_id: { id: 'display_static' } };
        expect((await control('seed_creative', { creative_id: id, fixture })).success).toBe(true);
      }
      const ask = { account: { account_id: 'acct_any' }, filters: { creative_ids: ids } };
      const first = await agent.call('list_creatives', { ...ask, pagination: { max_results: 2 } });
      expect(first.creatives).toHaveLength(2);
      expect(first.pagination.has_more).toBe(true);
      expect(first.query_summary).toMatchObject({ total_matching: 3, returned: 2 });
      const rest = await agent.call('list_creatives', {
        ...ask,
        pagination: { max_results: 2, cursor: first.pagination.cursor },
      });
      expect(rest.creatives).toHaveLength(1);
      expect(rest.pagination.has_more).toBe(false);
      expect(rest.pagination.cursor).toBeUndefined();

      const archived = await control('force_creative_status', {
        creative_id: 'pi_creative_1',
        status: 'archived',
      });
      expect(archived).toMatchObject({
        success: true,
        previous_state: 'approved',
        current_state: 'archived',
      });
      const again = await control('force_creative_status', {
        creative_id: 'pi_creative_1',
        status: 'approved',
      });
      expect(again).toMatchObject({ success: false, error: 'INVALID_TRANSITION' });
      const rejected = await control('force_creative_status', {
        creative_id: 'pi_creative_2',
        status: 'rejected',
        rejection_reason: 'Brand safety (test)',
      });
      expect(rejected).toMatchObject({ success: true, current_state: 'rejected' });
      const listed = await agent.call('list_creatives', {
        filters: { creative_ids: ['pi_creative_2'] },
      });
      expect(listed.creatives[0].status).toBe('rejected');

      const theirs = await other.control('force_creative_status', {
        creative_id: 'pi_creative_3',
        status: 'rejected',
      });
      expect(theirs).toMatchObject({ success: false, error: 'NOT_FOUND' });
      const empty = await control('force_creative_status', {});
      expect(empty).toMatchObject({ success: false, error: 'INVALID_PARAMS' });
    } finally {
      await agent.close();
      await other.agent.close();
    }
  }, 90_000);
});
