import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agentClient, listen } from '../../agents/storefront-agent-support.js';
import { commitCsv, day, header, modularStorefront, sources } from '../modular-sources/support.js';

/**
 * Proposals over MCP (issue 47, item 4): a brief with a budget and a flight answers a proposal
 * whose allocations split that budget over the best-ranked products, and an alternative for
 * reach (the lowest CPMs taking most), and create_media_buy with a proposal_id books exactly
 * its allocations at the source.
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

const row = (id: string, name: string, cpm: number) =>
  `${id},${name},homepage,display,${day(-1)},${day(60)},5000000,${cpm},USD,display_300x250,news.example`;

/** A storefront over a spreadsheet of three display avails (CPM 10, 20, 25). */
async function proposalStorefront() {
  const sf = await modularStorefront(h);
  await commitCsv(
    h,
    sf.seller.key,
    sf.sourceId,
    [
      header,
      row('sports-mpu', 'Sports section MPU', 10),
      row('news-leaderboard', 'News leaderboard', 20),
      row('finance-mpu', 'Finance MPU', 25),
    ].join('\n'),
  );
  return sf;
}

const isoDate = (n: number) => day(n).slice(0, 10);
const brief = `Display MPU and leaderboard on news and sports, budget of 30000 USD, ${isoDate(2)} to ${isoDate(20)}`;

type Allocation = {
  product_id: string;
  allocation_percentage: number;
  pricing_option_id?: string;
  forecast?: { points: Array<{ budget?: number; metrics: { impressions?: { mid?: number } } }> };
};
type Proposal = { proposal_id: string; allocations: Allocation[]; expires_at?: string };

async function proposalFor(agent: Awaited<ReturnType<typeof agentClient>>) {
  const answer = await agent.call('get_products', {
    buying_mode: 'brief',
    brief,
    brand: { domain: 'acme.example' },
  });
  expect(answer.isError, JSON.stringify(answer)).toBe(false);
  expect(answer.proposals, JSON.stringify(answer)).toHaveLength(2);
  return { answer, proposal: answer.proposals[0] as Proposal };
}

const bookOf = (proposalId: string, amount = 30_000) => ({
  idempotency_key: randomUUID(),
  account: { account_id: 'acme_media' },
  brand: { domain: 'acme.example' },
  start_time: day(2),
  end_time: day(20),
  proposal_id: proposalId,
  total_budget: { amount, currency: 'USD' },
});

describe('get_products answers a proposal for a brief with a budget and a flight', () => {
  it('splits the whole budget over the ranked products, with forecast impressions at their price', async () => {
    const sf = await proposalStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { answer, proposal } = await proposalFor(agent);
      const total = proposal.allocations.reduce((sum, a) => sum + a.allocation_percentage, 0);
      expect(total).toBe(100);
      const budgets = proposal.allocations.map((a) => a.forecast!.points[0]!.budget!);
      expect(budgets.reduce((s, b) => s + b, 0)).toBeCloseTo(30_000, 2);
      const shown = new Map<string, { pricing_options: Array<{ fixed_price?: number }> }>(
        answer.products.map((p: { product_id: string }) => [p.product_id, p]),
      );
      for (const allocation of proposal.allocations) {
        const product = shown.get(allocation.product_id);
        expect(product, allocation.product_id).toBeDefined();
        const cpm = product!.pricing_options[0]!.fixed_price!;
        const point = allocation.forecast!.points[0]!;
        expect(point.metrics.impressions!.mid).toBe(Math.floor((point.budget! / cpm) * 1000));
      }
      expect(Date.parse(proposal.expires_at!)).toBeGreaterThan(Date.now());
    } finally {
      await agent.close();
    }
  });

  it('answers an alternative beside it: the lowest CPMs taking most, for more impressions', async () => {
    const sf = await proposalStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { answer, proposal } = await proposalFor(agent);
      const alternative = answer.proposals[1] as Proposal;
      expect(alternative.proposal_id).not.toBe(proposal.proposal_id);
      const cpmOf = new Map<string, number>(
        answer.products.map(
          (p: { product_id: string; pricing_options: Array<{ fixed_price: number }> }) => [
            p.product_id,
            p.pricing_options[0]!.fixed_price,
          ],
        ),
      );
      // The three display avails cost 10, 20 and 25: cheapest first, taking most (3:2:1).
      expect(alternative.allocations.map((a) => cpmOf.get(a.product_id))).toEqual([10, 20, 25]);
      expect(alternative.allocations.map((a) => a.allocation_percentage)).toEqual([50, 33, 17]);
      const impressions = (p: Proposal) =>
        p.allocations.reduce((sum, a) => sum + a.forecast!.points[0]!.metrics.impressions!.mid!, 0);
      expect(impressions(alternative)).toBeGreaterThan(impressions(proposal));
      // It is booked as its own allocations.
      const created = await agent.call('create_media_buy', bookOf(alternative.proposal_id));
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(created.packages.map((p: { product_id: string }) => p.product_id).sort()).toEqual(
        alternative.allocations.map((a) => a.product_id).sort(),
      );
    } finally {
      await agent.close();
    }
  });

  it('answers no proposal for a brief without a budget', async () => {
    const sf = await proposalStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const answer = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Display MPU on news and sports',
        brand: { domain: 'acme.example' },
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      expect(answer.products.length).toBeGreaterThan(0);
      expect(answer.proposals ?? []).toHaveLength(0);
    } finally {
      await agent.close();
    }
  });
});

describe('create_media_buy with a proposal_id', () => {
  it('books exactly the allocations at the source, once per idempotency key', async () => {
    const sf = await proposalStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { proposal } = await proposalFor(agent);
      const request = bookOf(proposal.proposal_id);
      const created = await agent.call('create_media_buy', request);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(created.packages.map((p: { product_id: string }) => p.product_id).sort()).toEqual(
        proposal.allocations.map((a) => a.product_id).sort(),
      );
      // The same key again answers the same buy; nothing is booked twice.
      const again = await agent.call('create_media_buy', request);
      expect(again.media_buy_id).toBe(created.media_buy_id);

      const ledger = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
        key: sf.seller.key,
      });
      expect(ledger.status, ledger.text).toBe(200);
      const taken = new Map<string, number>(
        ledger.body.data.avails.map((a: { availId: string; held: number; booked: number }) => [
          a.availId,
          a.held + a.booked,
        ]),
      );
      for (const allocation of proposal.allocations) {
        const point = allocation.forecast!.points[0]!;
        const availId = allocation.product_id.split('__').pop()!;
        expect(taken.get(availId), availId).toBe(point.metrics.impressions!.mid);
      }
      const untouched = [...taken.entries()].filter(
        ([id]) => !proposal.allocations.some((a) => a.product_id.endsWith(`__${id}`)),
      );
      for (const [, amount] of untouched) expect(amount).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('refuses packages beside a proposal_id, naming the field', async () => {
    const sf = await proposalStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { proposal } = await proposalFor(agent);
      const allocation = proposal.allocations[0]!;
      const refused = await agent.call('create_media_buy', {
        ...bookOf(proposal.proposal_id),
        packages: [
          {
            product_id: allocation.product_id,
            pricing_option_id: allocation.pricing_option_id,
            budget: 1000,
          },
        ],
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused)).toContain('INVALID_REQUEST');
      expect(JSON.stringify(refused)).toContain('packages');
    } finally {
      await agent.close();
    }
  });

  it("answers PROPOSAL_NOT_FOUND for another storefront's proposal and an unknown id", async () => {
    const first = await proposalStorefront();
    const second = await proposalStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, first.platformId, buyer.key);
    const other = await agentClient(base, second.platformId, buyer.key);
    try {
      const { proposal } = await proposalFor(agent);
      for (const proposalId of [proposal.proposal_id, 'prop_unknown']) {
        const refused = await other.call('create_media_buy', bookOf(proposalId));
        expect(refused.isError, JSON.stringify(refused)).toBe(true);
        expect(JSON.stringify(refused)).toContain('PROPOSAL_NOT_FOUND');
      }
    } finally {
      await agent.close();
      await other.close();
    }
  });

  it("answers PROPOSAL_NOT_FOUND for another buyer's proposal on the same storefront, booking nothing", async () => {
    const sf = await proposalStorefront();
    const owner = await createCustomer(h, { role: 'BUYER' });
    const intruder = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, owner.key);
    const other = await agentClient(base, sf.platformId, intruder.key);
    try {
      const { proposal } = await proposalFor(agent);
      const refused = await other.call('create_media_buy', bookOf(proposal.proposal_id));
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(JSON.stringify(refused)).toContain('PROPOSAL_NOT_FOUND');
      const ledger = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
        key: sf.seller.key,
      });
      expect(ledger.status, ledger.text).toBe(200);
      for (const avail of ledger.body.data.avails as Array<{ held: number; booked: number }>) {
        expect(avail.held + avail.booked).toBe(0);
      }
    } finally {
      await agent.close();
      await other.close();
    }
  });

  it('answers PROPOSAL_EXPIRED once the proposal has expired', async () => {
    const sf = await proposalStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { proposal } = await proposalFor(agent);
      await h.database.db.execute(
        sql`UPDATE storefront_proposals SET expires_at = now() - interval '1 minute' WHERE proposal_id = ${proposal.proposal_id}`,
      );
      const refused = await agent.call('create_media_buy', bookOf(proposal.proposal_id));
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(JSON.stringify(refused)).toContain('PROPOSAL_EXPIRED');
    } finally {
      await agent.close();
    }
  });
});
