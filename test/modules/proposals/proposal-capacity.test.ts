import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agentClient, listen } from '../../agents/storefront-agent-support.js';
import { commitCsv, day, header, modularStorefront, sources } from '../modular-sources/support.js';

/*
 * Issue 68, item 2 at a spreadsheet source, over MCP with the official client: a proposal is
 * bookable as offered. Its allocations never ask more impressions than the product has (the
 * rest of the budget goes to the other products, or the proposal says the budget is more than
 * the inventory), stay within the brief's channels and formats, and booking it holds exactly
 * its allocations at the ledger.
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
const isoDate = (n: number) => day(n).slice(0, 10);
const row = (
  id: string,
  name: string,
  channel: string,
  impressions: number,
  cpm: number,
  format: string,
) =>
  `${id},${name},sports,${channel},${day(-1)},${day(60)},${impressions},${cpm},USD,${format},sports.example`;

/**
 * Two video avails (pre-roll: 250,000 at CPM 30; mid-roll: `midroll` at CPM 25) and a cheap
 * display banner the brief does not ask for.
 */
async function videoStorefront(midroll = 1_000_000) {
  const sf = await modularStorefront(h);
  await commitCsv(
    h,
    sf.seller.key,
    sf.sourceId,
    [
      header,
      row('preroll', 'Sports video pre-roll', 'olv', 250_000, 30, 'video_vast'),
      row('midroll', 'Sports video mid-roll', 'olv', midroll, 25, 'video_vast'),
      row('banner', 'Sports display banner', 'display', 5_000_000, 5, 'display_300x250'),
    ].join('\n'),
  );
  return sf;
}

const availableOf = new Map([
  ['preroll', 250_000],
  ['banner', 5_000_000],
]);
const availIdOf = (productId: string) => productId.split('__').pop()!;
const impressionsOf = (a: Json): number => a.forecast.points[0].metrics.impressions.mid;
const budgetOf = (a: Json): number => a.forecast.points[0].budget;

async function proposalsFor(agent: Json, budget: number) {
  const answer = await agent.call('get_products', {
    buying_mode: 'brief',
    brief: `Sports video pre-roll, budget $${budget.toLocaleString('en-US')}, ${isoDate(2)} to ${isoDate(20)}`,
    brand: { domain: 'acme.example' },
  });
  expect(answer.isError, JSON.stringify(answer)).toBe(false);
  expect(answer.proposals?.length, JSON.stringify(answer)).toBeGreaterThan(0);
  return answer.proposals as Json[];
}

const bookingOf = (proposalId: string, amount: number) => ({
  idempotency_key: randomUUID(),
  account: { account_id: 'acme_media' },
  brand: { domain: 'acme.example' },
  start_time: day(2),
  end_time: day(20),
  proposal_id: proposalId,
  total_budget: { amount, currency: 'USD' },
});

async function ledgerOf(sf: { seller: { key: string }; sourceId: string }) {
  const ledger = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
    key: sf.seller.key,
  });
  expect(ledger.status, ledger.text).toBe(200);
  return new Map<string, number>(
    ledger.body.data.avails.map((a: { availId: string; held: number; booked: number }) => [
      a.availId,
      a.held + a.booked,
    ]),
  );
}

describe('a proposal at a spreadsheet source', () => {
  it('never allocates more impressions than a product has, spilling the rest, within the brief’s channel and format', async () => {
    const sf = await videoStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const proposals = await proposalsFor(agent, 20_000);
      for (const proposal of proposals) {
        const ids = proposal.allocations.map((a: Json) => availIdOf(a.product_id));
        // A video brief is never moved into display banners, whatever they cost.
        expect(ids, JSON.stringify(proposal)).not.toContain('banner');
        for (const allocation of proposal.allocations) {
          const available = availableOf.get(availIdOf(allocation.product_id));
          if (available !== undefined)
            expect(impressionsOf(allocation)).toBeLessThanOrEqual(available);
        }
        // The whole budget is spent: what the pre-roll cannot take went to the mid-roll.
        const spent = proposal.allocations.reduce((s: number, a: Json) => s + budgetOf(a), 0);
        expect(spent).toBeCloseTo(20_000, 2);
        const shares = proposal.allocations.reduce(
          (s: number, a: Json) => s + a.allocation_percentage,
          0,
        );
        expect(shares).toBeCloseTo(100, 6);
      }
      // Booked as offered: the ledger holds exactly each allocation's impressions.
      const [first] = proposals;
      const created = await agent.call('create_media_buy', bookingOf(first.proposal_id, 20_000));
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const taken = await ledgerOf(sf);
      for (const allocation of first.allocations) {
        expect(taken.get(availIdOf(allocation.product_id))).toBe(impressionsOf(allocation));
      }
      expect(taken.get('banner')).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('says when the budget is more than the inventory, and offers what the inventory takes', async () => {
    const sf = await videoStorefront(200_000);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const [proposal] = await proposalsFor(agent, 50_000);
      // 250,000 at 30 and 200,000 at 25: 12,500 of the 50,000 can be spent.
      const spent = proposal.allocations.reduce((s: number, a: Json) => s + budgetOf(a), 0);
      expect(spent).toBeCloseTo(12_500, 2);
      expect(proposal.total_budget_guidance).toMatchObject({ max: 12_500, currency: 'USD' });
      expect(proposal.brief_alignment).toMatch(/50,000.*more than.*12,500/);
      // More budget than the proposal's inventory takes is refused before anything is booked.
      const refused = await agent.call('create_media_buy', bookingOf(proposal.proposal_id, 50_000));
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(JSON.stringify(refused)).toContain('total_budget.amount');
      expect([...(await ledgerOf(sf)).values()]).toEqual([0, 0, 0]);
      const created = await agent.call('create_media_buy', bookingOf(proposal.proposal_id, 12_500));
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const taken = await ledgerOf(sf);
      expect(taken.get('preroll')).toBe(250_000);
      expect(taken.get('midroll')).toBe(200_000);
    } finally {
      await agent.close();
    }
  });

  it('books its allocations or names the one that changed since it was offered', async () => {
    const sf = await videoStorefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const other = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const rival = await agentClient(base, sf.platformId, other.key);
    try {
      const [proposal] = await proposalsFor(agent, 20_000);
      // Another buyer takes most of the pre-roll meanwhile.
      const [theirs] = await proposalsFor(rival, 20_000);
      const booked = await rival.call('create_media_buy', {
        ...bookingOf(theirs.proposal_id, 20_000),
        account: { account_id: 'rival_media' },
      });
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const refused = await agent.call('create_media_buy', bookingOf(proposal.proposal_id, 20_000));
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      const said = JSON.stringify(refused);
      expect(said).toContain('PRODUCT_UNAVAILABLE');
      expect(said).toContain('proposal_id');
      const changed = proposal.allocations.find((a: Json) => availIdOf(a.product_id) === 'preroll');
      expect(said).toContain(changed.product_id);
      expect(said).toMatch(/allocation \d/i);
    } finally {
      await agent.close();
      await rival.close();
    }
  });
});
