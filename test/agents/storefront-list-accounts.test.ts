import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/*
 * list_accounts on every storefront agent (issue 49 item 9), through the official MCP client and
 * once over A2A: a buyer reads back the accounts it registered with sync_accounts on THAT
 * storefront, never another buyer's nor another storefront's, paged honestly; a 3.1 caller also
 * reads each account's notification configs back, credentials never.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let first: { platformId: string };
let second: { platformId: string };

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
  first = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]);
  second = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]);
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

type Agent = Awaited<ReturnType<typeof agentClient>>;
type Listed = { account_id: string; brand: { domain: string } } & Record<string, unknown>;

const entry = (domain: string, extra: Record<string, unknown> = {}) => ({
  brand: { domain },
  operator: 'pinnacle-agency.example',
  billing: 'operator',
  ...extra,
});

const sync = (agent: Agent, accounts: unknown[], extra: Record<string, unknown> = {}) =>
  agent.call('sync_accounts', { idempotency_key: randomUUID(), accounts, ...extra });

const domainsOf = (listed: { accounts: Listed[] }) => listed.accounts.map((a) => a.brand.domain);

describe('list_accounts on a storefront agent', () => {
  it('lists each buyer its own accounts on that storefront only, as sync_accounts recorded them', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const rival = await createCustomer(h, { role: 'BUYER' });
    const mine = await agentClient(base, first.platformId, buyer.key);
    const theirs = await agentClient(base, first.platformId, rival.key);
    const elsewhere = await agentClient(base, second.platformId, buyer.key);
    try {
      const { tools } = await mine.client.listTools();
      expect(tools.map((t) => t.name)).toContain('list_accounts');
      expect((await mine.call('list_accounts')).accounts).toEqual([]);

      const created = await sync(mine, [entry('acme.example')]);
      const later = await sync(mine, [entry('nova.example', { sandbox: true })]);
      expect([created.accounts[0].action, later.accounts[0].action]).toEqual([
        'created',
        'created',
      ]);
      await sync(theirs, [entry('rival.example')]);
      await sync(elsewhere, [entry('elsewhere.example')]);

      const listed = await mine.call('list_accounts', { context: { correlation_id: 'c-1' } });
      expect(listed.isError).toBe(false);
      expect(listed.context).toEqual({ correlation_id: 'c-1' });
      // Newest first: the account synced last leads (deterministic_testing takes accounts[0]).
      expect(listed.accounts).toEqual([
        {
          account_id: 'sandbox_acct_nova.example_pinnacle-agency.example',
          name: 'nova.example via storefront',
          status: 'active',
          brand: { domain: 'nova.example' },
          operator: 'pinnacle-agency.example',
          sandbox: true,
        },
        {
          account_id: 'acct_acme.example_pinnacle-agency.example',
          name: 'acme.example via storefront',
          status: 'active',
          brand: { domain: 'acme.example' },
          operator: 'pinnacle-agency.example',
          sandbox: false,
        },
      ]);
      expect(listed.pagination).toEqual({ has_more: false, total_count: 2 });
      expect(domainsOf(await theirs.call('list_accounts'))).toEqual(['rival.example']);
      expect(domainsOf(await elsewhere.call('list_accounts'))).toEqual(['elsewhere.example']);

      // Filters: sandbox, and status as the test controller forced it on a sandbox account.
      expect(domainsOf(await mine.call('list_accounts', { sandbox: true }))).toEqual([
        'nova.example',
      ]);
      const forced = await mine.call('comply_test_controller', {
        account: { sandbox: true },
        scenario: 'force_account_status',
        params: { account_id: listed.accounts[0].account_id, status: 'suspended' },
      });
      expect(forced.success).toBe(true);
      expect(domainsOf(await mine.call('list_accounts', { status: 'active' }))).toEqual([
        'acme.example',
      ]);
      const suspended = await mine.call('list_accounts', { status: 'suspended' });
      expect(suspended.accounts).toMatchObject([{ status: 'suspended', sandbox: true }]);

      // Re-syncing the same account changes nothing; new terms update it, and it keeps its place.
      const again = await sync(mine, [entry('acme.example')]);
      expect(again.accounts[0].action).toBe('unchanged');
      const terms = await sync(mine, [entry('acme.example', { payment_terms: 'net_45' })]);
      expect(terms.accounts[0].action).toBe('updated');
      const reread = await mine.call('list_accounts', { sandbox: false });
      expect(reread.accounts).toMatchObject([{ payment_terms: 'net_45' }]);
      expect(domainsOf(await mine.call('list_accounts'))).toEqual(['nova.example', 'acme.example']);
    } finally {
      await Promise.all([mine.close(), theirs.close(), elsewhere.close()]);
    }
  }, 120_000);

  it('pages every account exactly once, by an opaque cursor, and refuses a cursor it did not give', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, first.platformId, buyer.key);
    try {
      const domains = Array.from({ length: 7 }, (_, i) => `brand-${i}.example`);
      await sync(
        agent,
        domains.map((domain) => entry(domain)),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const answer = await agent.call('list_accounts', {
          pagination: { max_results: 3, ...(cursor && { cursor }) },
        });
        expect(answer.isError).toBe(false);
        expect(answer.accounts.length).toBeLessThanOrEqual(3);
        expect(answer.pagination.total_count).toBe(page === 0 ? 7 : 8);
        seen.push(...domainsOf(answer));
        // has_more and the cursor go together: a terminal page names none.
        expect(answer.pagination.has_more).toBe(answer.pagination.cursor !== undefined);
        cursor = answer.pagination.cursor;
        if (!answer.pagination.has_more) break;
        if (page === 0) await sync(agent, [entry('zz-late.example')]);
      }
      // Newest first: an account added mid-walk sorts before the cursor, so this walk lists the
      // seven it began with, each once, and the next walk lists the late one first.
      expect(seen).toHaveLength(7);
      expect([...seen].sort()).toEqual(domains);
      const fresh = await agent.call('list_accounts', { pagination: { max_results: 3 } });
      expect(domainsOf(fresh)[0]).toBe('zz-late.example');

      const forged = await agent.call('list_accounts', {
        pagination: { cursor: 'not-one-of-ours' },
      });
      expect(forged.isError).toBe(true);
      expect(JSON.stringify(forged)).toContain('pagination.cursor');
      const tooMany = await agent.call('list_accounts', { pagination: { max_results: 500 } });
      expect(tooMany.isError).toBe(true);
      expect(JSON.stringify(tooMany)).toContain('VALIDATION_ERROR');
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('reads a 3.1 caller its notification configs back without credentials, and a 3.0 caller the account alone', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, first.platformId, buyer.key);
    const receiver = await startWebhookReceiver({ answerChallenges: true });
    try {
      const registered = await sync(
        agent,
        [
          entry('acmeoutdoor.example', {
            sandbox: true,
            notification_configs: [
              {
                subscriber_id: 'buyer-primary',
                url: receiver.url,
                event_types: ['creative.status_changed', 'creative.purged'],
                authentication: { schemes: ['Bearer'], credentials: 'c'.repeat(40) },
                active: false,
              },
            ],
          }),
          entry('plain.example', { sandbox: true }),
        ],
        { adcp_version: '3.1' },
      );
      expect(registered.isError, JSON.stringify(registered)).toBe(false);
      const accountId = registered.accounts[0].account_id as string;

      const read = await agent.call('list_accounts', {
        adcp_version: '3.1',
        account: { account_id: accountId },
        status: 'active',
        sandbox: true,
        pagination: { max_results: 100 },
      });
      expect(read).toMatchObject({ status: 'completed', adcp_version: '3.1' });
      expect(read.accounts).toEqual([
        expect.objectContaining({
          account_id: accountId,
          sandbox: true,
          notification_configs: [
            {
              subscriber_id: 'buyer-primary',
              url: receiver.url,
              event_types: ['creative.status_changed', 'creative.purged'],
              authentication: { schemes: ['Bearer'] },
              active: false,
            },
          ],
        }),
      ]);
      expect(JSON.stringify(read)).not.toContain('cccccccc');

      // By natural key too; an account without subscribers reads an empty set.
      const byKey = await agent.call('list_accounts', {
        adcp_version: '3.1',
        account: {
          brand: { domain: 'plain.example' },
          operator: 'pinnacle-agency.example',
          sandbox: true,
        },
      });
      expect(byKey.accounts).toMatchObject([
        { brand: { domain: 'plain.example' }, notification_configs: [] },
      ]);

      // A 3.0 caller gets AdCP 3.0.6's account, without 3.1's field.
      const old = await agent.call('list_accounts', { account: { account_id: accountId } });
      expect(old.accounts).toHaveLength(1);
      expect(old.accounts[0]).not.toHaveProperty('notification_configs');
      expect(old).not.toHaveProperty('adcp_version');
    } finally {
      await Promise.all([agent.close(), receiver.close()]);
    }
  }, 120_000);

  it('answers over A2A as over MCP, the caller’s accounts only', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const rival = await createCustomer(h, { role: 'BUYER' });
    const mcp = await agentClient(base, second.platformId, buyer.key);
    try {
      await sync(mcp, [entry('a2a-brand.example')]);
    } finally {
      await mcp.close();
    }
    const a2a = await a2aBuyer(base, second.platformId, buyer.key);
    const listed = await a2a.call('list_accounts', { pagination: { max_results: 10 } });
    expect(listed.state).toBe('completed');
    expect(domainsOf(listed)).toEqual(['a2a-brand.example']);
    expect(listed.pagination).toEqual({ has_more: false, total_count: 1 });
    const other = await a2aBuyer(base, second.platformId, rival.key);
    expect((await other.call('list_accounts')).accounts).toEqual([]);
  }, 120_000);
});
