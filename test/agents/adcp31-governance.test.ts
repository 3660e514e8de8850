import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { type FakeGovernanceAgent, startFakeGovernanceAgent } from '../fakes/governance-agent.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1 governance on a storefront agent (governance-aware-seller): a buyer registers its
 * governance agent on an account with sync_governance, and every create_media_buy on that
 * account is checked by the agent's check_governance first. The agent is a fake written from
 * the spec's governance schemas, on a real socket; the source is @adcp/sdk's demo seller, whose
 * received tool calls show whether anything was booked.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let governor: FakeGovernanceAgent;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
  governor = await startFakeGovernanceAgent();
}, 120_000);
afterAll(async () => {
  await governor?.close();
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
type Agent = Awaited<ReturnType<typeof agentClient>>;
/** The buys a storefront recorded for a buyer, and the writes to sources recorded for them. */
async function recorded(storefrontId: number, customerId: number) {
  const count = async (query: string, params: number[]) =>
    Number((await h.database.queryable.query(query, params)).rows[0]?.n);
  return {
    buys: await count(
      'select count(*) as n from storefront_media_buys where storefront_id = $1 and buyer_customer_id = $2',
      [storefrontId, customerId],
    ),
    writes: await count('select count(*) as n from seller_write_intents where customer_id = $1', [
      customerId,
    ]),
  };
}
const createsAtSeller = () => seller.toolCalls().filter((c) => c.tool === 'create_media_buy');

function registration(account: Record<string, unknown>, agent = governor) {
  return {
    ...v31,
    idempotency_key: randomUUID(),
    accounts: [
      {
        account,
        governance_agents: [
          { url: agent.url, authentication: { schemes: ['Bearer'], credentials: agent.token } },
        ],
      },
    ],
  };
}

async function setting() {
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }]);
  const [mine, theirs] = await Promise.all([
    createCustomer(h, { role: 'BUYER' }),
    createCustomer(h, { role: 'BUYER' }),
  ]);
  const agent = await agentClient(base, sf.platformId, mine.key);
  const stranger = await agentClient(base, sf.platformId, theirs.key);
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  return { sf, mine, agent, stranger, product: products[0] };
}

async function buy(agent: Agent, product: Parameters<typeof buyOf>[0], account: string) {
  return agent.call('create_media_buy', {
    ...v31,
    ...buyOf(product, { account_id: account }),
    plan_id: 'plan-q2',
  });
}

describe('sync_governance', () => {
  it('registers the agent per account, answers its URL only, and refuses two agents', async () => {
    const { agent } = await setting();
    const synced = await agent.call('sync_governance', {
      ...registration({ account_id: 'acme_media' }),
      context: { correlation_id: 'c1' },
    });
    expect(synced).toMatchObject({
      isError: false,
      status: 'completed',
      context: { correlation_id: 'c1' },
      accounts: [
        {
          account: { account_id: 'acme_media' },
          status: 'synced',
          governance_agents: [{ url: governor.url }],
        },
      ],
    });
    expect(JSON.stringify(synced)).not.toContain(governor.token);

    const two = registration({ account_id: 'acme_media' });
    two.accounts[0]!.governance_agents.push({ ...two.accounts[0]!.governance_agents[0]! });
    const refused = await agent.call('sync_governance', {
      ...two,
      context: { correlation_id: 'c2' },
    });
    expect(refused).toMatchObject({
      isError: true,
      status: 'failed',
      adcp_error: { code: 'VALIDATION_ERROR', field: 'accounts[0].governance_agents' },
      context: { correlation_id: 'c2' },
    });
  });
});

describe('governance before create_media_buy', () => {
  it('approved: the buy is booked and carries the agent’s governance_context', async () => {
    const { agent, product } = await setting();
    await agent.call('sync_governance', registration({ account_id: 'gov_ok' }));
    governor.decide('approved');
    const checksBefore = governor.checks().length;
    const answer = await buy(agent, product, 'gov_ok');
    expect(answer, JSON.stringify(answer)).toMatchObject({ isError: false });
    expect(answer.media_buy_id).toBeTruthy();
    const check = governor.checks().slice(checksBefore);
    expect(check).toHaveLength(1);
    expect(check[0]).toMatchObject({
      authorization: `Bearer ${governor.token}`,
      args: { plan_id: 'plan-q2', tool: 'create_media_buy', phase: 'purchase' },
    });
    expect(answer.governance_context).toMatch(/^gc\./);
    expect(answer.ext.governance).toMatchObject({ verdict: 'approved' });
  });

  it('conditions: the buy is booked and the conditions are shown to the buyer', async () => {
    const { agent, product } = await setting();
    await agent.call('sync_governance', registration({ account_id: 'gov_cond' }));
    governor.decide('conditions');
    const answer = await buy(agent, product, 'gov_cond');
    expect(answer, JSON.stringify(answer)).toMatchObject({ isError: false });
    expect(answer.ext.governance).toMatchObject({
      verdict: 'conditions',
      conditions: [{ field: 'packages[0].frequency_cap.max_impressions', required_value: 3 }],
    });
  });

  it('denied: GOVERNANCE_DENIED with the findings, nothing recorded or booked; the key books once approved', async () => {
    const { sf, mine, agent, product } = await setting();
    await agent.call('sync_governance', registration({ account_id: 'gov_no' }));
    governor.decide('denied');
    const creates = createsAtSeller().length;
    const request = { ...v31, ...buyOf(product, { account_id: 'gov_no' }), plan_id: 'plan-q2' };
    try {
      const answer = await agent.call('create_media_buy', request);
      expect(answer).toMatchObject({
        isError: true,
        adcp_error: {
          code: 'GOVERNANCE_DENIED',
          details: { findings: [{ category_id: 'budget_compliance' }] },
        },
      });
      expect(createsAtSeller()).toHaveLength(creates);
      const buys = await agent.call('get_media_buys', { account: { account_id: 'gov_no' } });
      expect(buys.media_buys ?? []).toHaveLength(0);
      // A late step's refusal (issue 68, item 5: governance runs after the packages are described
      // and quoted) leaves no buy and no write to a source recorded.
      expect(await recorded(sf.id, mine.id)).toEqual({ buys: 0, writes: 0 });
      // So the same key, resent once the agent approves, is a new buy, booked once.
      governor.decide('approved');
      const again = await agent.call('create_media_buy', request);
      expect(again.media_buy_id).toBeTruthy();
      expect(createsAtSeller()).toHaveLength(creates + 1);
      expect(await recorded(sf.id, mine.id)).toEqual({ buys: 1, writes: 1 });
    } finally {
      governor.decide('approved');
    }
  });

  it('unreachable agent: GOVERNANCE_UNAVAILABLE, nothing booked (fail closed)', async () => {
    const { agent, product } = await setting();
    await agent.call('sync_governance', registration({ account_id: 'gov_down' }));
    governor.decide('hang');
    const creates = createsAtSeller().length;
    try {
      const answer = await buy(agent, product, 'gov_down');
      expect(answer).toMatchObject({
        isError: true,
        adcp_error: { code: 'GOVERNANCE_UNAVAILABLE' },
      });
      expect(createsAtSeller()).toHaveLength(creates);
    } finally {
      governor.decide('approved');
    }
  }, 60_000);

  it('another buyer cannot overwrite the registration nor see it; an account without one is unchecked', async () => {
    const { agent, stranger, product } = await setting();
    await agent.call('sync_governance', registration({ account_id: 'shared_name' }));
    governor.decide('denied');
    // The stranger's account of the same name is its own: registering there leaves ours alone,
    const other = await startFakeGovernanceAgent('approved');
    try {
      const theirs = await stranger.call(
        'sync_governance',
        registration({ account_id: 'shared_name' }, other),
      );
      expect(theirs).toMatchObject({ isError: false, accounts: [{ status: 'synced' }] });
      const mine = await buy(agent, product, 'shared_name');
      expect(mine).toMatchObject({ isError: true, adcp_error: { code: 'GOVERNANCE_DENIED' } });
      expect(other.checks()).toHaveLength(0);
      // and its buys are checked by its own agent, not ours.
      const before = governor.checks().length;
      const theirBuy = await buy(stranger, product, 'shared_name');
      expect(theirBuy, JSON.stringify(theirBuy)).toMatchObject({ isError: false });
      expect(other.checks()).toHaveLength(1);
      expect(governor.checks()).toHaveLength(before);
    } finally {
      await other.close();
      governor.decide('approved');
    }
  });

  it('a 3.0 buyer without a registration books as before, no governance asked', async () => {
    const { agent, product } = await setting();
    const before = governor.checks().length;
    const answer = await agent.call('create_media_buy', buyOf(product, { account_id: 'plain' }));
    expect(answer, JSON.stringify(answer)).toMatchObject({ isError: false });
    expect(answer).not.toHaveProperty('governance_context');
    expect(answer).not.toHaveProperty('adcp_version');
    expect(governor.checks()).toHaveLength(before);
  });

  it('over A2A: a denial refuses the buy the same way', async () => {
    const { sf, mine, agent, product } = await setting();
    const a2a = await a2aBuyer(base, sf.platformId, mine.key);
    const synced = await a2a.call('sync_governance', registration({ account_id: 'gov_a2a' }));
    expect(synced).toMatchObject({ accounts: [{ status: 'synced' }] });
    governor.decide('denied');
    const creates = createsAtSeller().length;
    try {
      const answer = await a2a.call('create_media_buy', {
        ...v31,
        ...buyOf(product, { account_id: 'gov_a2a' }),
        plan_id: 'plan-q2',
      });
      expect(answer.state).toBe('failed');
      expect(JSON.stringify(answer)).toContain('GOVERNANCE_DENIED');
      expect(createsAtSeller()).toHaveLength(creates);
    } finally {
      governor.decide('approved');
      await agent.close();
    }
  });
});

describe('governance on update_media_buy and in capabilities', () => {
  it('a flight change of a governed buy is checked with its governance_context; denied changes nothing', async () => {
    const { agent, product } = await setting();
    await agent.call('sync_governance', registration({ account_id: 'gov_upd' }));
    governor.decide('approved');
    const created = await buy(agent, product, 'gov_upd');
    expect(created, JSON.stringify(created)).toMatchObject({ isError: false });
    const updatesAt = () => seller.toolCalls().filter((c) => c.tool === 'update_media_buy').length;
    try {
      governor.decide('denied');
      const updates = updatesAt();
      const refused = await agent.call('update_media_buy', {
        ...v31,
        idempotency_key: randomUUID(),
        account: { account_id: 'gov_upd' },
        media_buy_id: created.media_buy_id,
        end_time: new Date(Date.now() + 40 * 86_400_000).toISOString(),
      });
      expect(refused).toMatchObject({ isError: true, adcp_error: { code: 'GOVERNANCE_DENIED' } });
      expect(updatesAt()).toBe(updates);
      expect(governor.checks().at(-1)).toMatchObject({
        args: {
          plan_id: 'plan-q2',
          tool: 'update_media_buy',
          phase: 'modification',
          governance_context: created.governance_context,
        },
      });
      // A cancellation moves no money: not asked, and it goes through.
      const checks = governor.checks().length;
      const canceled = await agent.call('update_media_buy', {
        ...v31,
        idempotency_key: randomUUID(),
        account: { account_id: 'gov_upd' },
        media_buy_id: created.media_buy_id,
        canceled: true,
      });
      expect(canceled, JSON.stringify(canceled)).toMatchObject({ isError: false });
      expect(governor.checks()).toHaveLength(checks);
    } finally {
      governor.decide('approved');
    }
  });

  it('a 3.1 caller is told the storefront is governance-aware; a 3.0 caller’s answer is unchanged', async () => {
    const { agent } = await setting();
    const v31caps = await agent.call('get_adcp_capabilities', v31);
    expect(v31caps.specialisms).toContain('governance-aware-seller');
    expect(v31caps.media_buy).toMatchObject({ governance_aware: true });
    const v30caps = await agent.call('get_adcp_capabilities', {});
    expect(v30caps.specialisms ?? []).not.toContain('governance-aware-seller');
    expect(v30caps.media_buy?.governance_aware).toBeUndefined();
  });
});
