import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * The accounts the 3.1.19 storyboards drive on a storefront, over MCP with the official client:
 * comply_test_controller's seed_account as pagination_integrity_list_accounts sends it (sandbox
 * accounts of the caller, listed by list_accounts, to that buyer only), and list_accounts newest
 * first, so deterministic_testing's accounts[0] is the sandbox account it just synced, which
 * force_account_status can move.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let platformId: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
  ({ platformId } = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]));
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

async function buyer() {
  const customer = await createCustomer(h, { role: 'BUYER' });
  return agentClient(base, platformId, customer.key);
}
type Agent = Awaited<ReturnType<typeof buyer>>;

/** pagination-integrity-list-accounts.yaml's seed step n, as the runner sends it. */
const seed = (agent: Agent, n: number, fixture: Record<string, unknown> = {}) =>
  agent.call('comply_test_controller', {
    account: { sandbox: true, account_id: `acct_pagination_integrity_accounts_${n}` },
    scenario: 'seed_account',
    params: {
      account_id: `acct_pagination_integrity_accounts_${n}`,
      fixture: {
        brand: { domain: `pagination-acme-${n}.example` },
        operator: 'pagination-pinnacle.example',
        billing: 'operator',
        sandbox: true,
        status: 'active',
        ...fixture,
      },
    },
    context: { correlation_id: `seed_${n}` },
  });

const idsOf = (listed: { accounts: Array<{ account_id: string }> }) =>
  listed.accounts.map((a) => a.account_id);

describe('seed_account', () => {
  it('seeds sandbox accounts the caller pages through in list_accounts, and no other buyer sees', async () => {
    const agent = await buyer();
    const other = await buyer();
    try {
      const { scenarios } = await agent.call('comply_test_controller', {
        scenario: 'list_scenarios',
      });
      expect(scenarios).toContain('seed_account');
      for (const n of [1, 2, 3]) {
        const seeded = await seed(agent, n);
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
        expect(seeded.context).toEqual({ correlation_id: `seed_${n}` });
      }
      const first = await agent.call('list_accounts', {
        sandbox: true,
        pagination: { max_results: 2 },
      });
      expect(first.accounts).toHaveLength(2);
      expect(first.pagination).toMatchObject({ has_more: true, total_count: 3 });
      expect(first.accounts[0]).toMatchObject({
        account_id: 'acct_pagination_integrity_accounts_3',
        brand: { domain: 'pagination-acme-3.example' },
        operator: 'pagination-pinnacle.example',
        status: 'active',
        sandbox: true,
      });
      const next = await agent.call('list_accounts', {
        sandbox: true,
        pagination: { max_results: 2, cursor: first.pagination.cursor },
      });
      expect(next.pagination).toEqual({ has_more: false, total_count: 3 });
      expect([...idsOf(first), ...idsOf(next)].sort()).toEqual([
        'acct_pagination_integrity_accounts_1',
        'acct_pagination_integrity_accounts_2',
        'acct_pagination_integrity_accounts_3',
      ]);
      expect((await other.call('list_accounts')).accounts).toEqual([]);

      // A replay with the same fixture is fine; a divergent one is refused.
      expect((await seed(agent, 1)).success).toBe(true);
      const divergent = await seed(agent, 1, { operator: 'someone-else.example' });
      expect(divergent).toMatchObject({ success: false, error: 'INVALID_PARAMS' });
    } finally {
      await Promise.all([agent.close(), other.close()]);
    }
  }, 120_000);

  it('holds the fixture status, moves by force_account_status, and resolves as sandbox', async () => {
    const agent = await buyer();
    try {
      expect((await seed(agent, 7, { status: 'payment_required' })).success).toBe(true);
      const listed = await agent.call('list_accounts', { status: 'payment_required' });
      expect(idsOf(listed)).toEqual(['acct_pagination_integrity_accounts_7']);
      const forced = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'force_account_status',
        params: { account_id: 'acct_pagination_integrity_accounts_7', status: 'active' },
      });
      expect(forced).toMatchObject({
        success: true,
        previous_state: 'payment_required',
        current_state: 'active',
      });
      // Named by id alone, the seeded account is one the controller admits (sandbox only).
      const byId = await agent.call('comply_test_controller', {
        account: { account_id: 'acct_pagination_integrity_accounts_7' },
        scenario: 'force_account_status',
        params: { account_id: 'acct_pagination_integrity_accounts_7', status: 'suspended' },
      });
      expect(byId, JSON.stringify(byId)).toMatchObject({ success: true });
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('refuses to seed over a live account, and a fixture that is not sandbox', async () => {
    const agent = await buyer();
    try {
      const live = await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [
          { brand: { domain: 'live.example' }, operator: 'live.example', billing: 'operator' },
        ],
      });
      const liveId = live.accounts[0].account_id as string;
      const over = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'seed_account',
        params: { account_id: liveId, fixture: { brand: { domain: 'live.example' } } },
      });
      expect(over).toMatchObject({ success: false, error: 'FORBIDDEN' });
      // A buyer holding live accounts only reaches the controller by naming the sandbox account
      // the seed makes (issue 70: a bare `{sandbox: true}` needs a sandbox account of record).
      const notSandbox = await agent.call('comply_test_controller', {
        account: { sandbox: true, account_id: 'acct_not_sandbox' },
        scenario: 'seed_account',
        params: {
          account_id: 'acct_not_sandbox',
          fixture: { brand: { domain: 'x.example' }, sandbox: false },
        },
      });
      expect(notSandbox).toMatchObject({ success: false, error: 'INVALID_PARAMS' });
      const listed = await agent.call('list_accounts');
      expect(listed.accounts).toMatchObject([{ account_id: liveId, sandbox: false }]);
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('list_accounts newest first (deterministic_testing/deterministic_account)', () => {
  it('lists the sandbox account just synced first, which force_account_status suspends', async () => {
    const agent = await buyer();
    try {
      // An earlier storyboard's live account, then the state machine's sandbox one.
      const live = await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [
          {
            brand: { domain: 'aaa-live.example' },
            operator: 'aaa-live.example',
            billing: 'operator',
          },
        ],
      });
      expect(live.accounts[0]).toMatchObject({ action: 'created', status: 'active' });
      await agent.call('sync_accounts', {
        idempotency_key: randomUUID(),
        accounts: [
          {
            brand: { domain: 'test.example' },
            operator: 'test.example',
            billing: 'operator',
            sandbox: true,
          },
        ],
      });
      const listed = await agent.call('list_accounts', { context: { correlation_id: 'l' } });
      expect(listed.accounts).toHaveLength(2);
      const accountId = listed.accounts[0].account_id as string;
      expect(listed.accounts[0]).toMatchObject({
        sandbox: true,
        brand: { domain: 'test.example' },
      });
      const suspended = await agent.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'force_account_status',
        params: { account_id: accountId, status: 'suspended' },
      });
      expect(suspended).toMatchObject({ success: true, current_state: 'suspended' });
    } finally {
      await agent.close();
    }
  }, 120_000);
});
