import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agentClient, listen } from '../../agents/storefront-agent-support.js';
import { commitCsv, day, header, modularStorefront } from '../modular-sources/support.js';

/**
 * Refine over a storefront's own proposals (AdCP `refine[].scope: "proposal"`), through the
 * official MCP client: include shows the proposal again, omit leaves it out, a written ask is
 * said to be unable (not silently ignored), finalize commits it (and only it: a finalize call
 * finalizes only) with an insertion order create_media_buy must accept (IO_REQUIRED without),
 * several finalize together or not at all, and a proposal that is not the caller's is
 * PROPOSAL_NOT_FOUND by its field.
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

// On sale for a year and a half: the brief's "Q2 flight" (the next Q2) falls inside, and a proposal
// allocates only products that run for the brief's whole flight.
const row = (id: string, name: string, cpm: number) =>
  `${id},${name},homepage,display,${day(-1)},${day(550)},5000000,${cpm},USD,display_300x250,news.example`;

async function storefrontAndBuyer() {
  const sf = await modularStorefront(h);
  await commitCsv(
    h,
    sf.seller.key,
    sf.sourceId,
    [
      header,
      row('sports-mpu', 'Sports section MPU', 10),
      row('news-lb', 'News leaderboard', 20),
    ].join('\n'),
  );
  const buyer = await createCustomer(h, { role: 'BUYER' });
  return { sf, agent: await agentClient(base, sf.platformId, buyer.key) };
}

type Agent = Awaited<ReturnType<typeof agentClient>>;
type Proposal = { proposal_id: string; proposal_status?: string; allocations: unknown[] };

/** The storyboards' own brief: a quarter and a budget in words. */
async function proposalOf(agent: Agent): Promise<Proposal> {
  const answer = await agent.call('get_products', {
    buying_mode: 'brief',
    brief: 'Display MPU and leaderboard on news and sports. Q2 flight, $50K budget.',
    brand: { domain: 'acme.example' },
  });
  expect(answer.isError, JSON.stringify(answer)).toBe(false);
  expect(answer.proposals, JSON.stringify(answer)).toHaveLength(2);
  return answer.proposals[0] as Proposal;
}

const refine = (agent: Agent, entries: unknown[]) =>
  agent.call('get_products', {
    buying_mode: 'refine',
    refine: entries,
    brand: { domain: 'acme.example' },
  });

describe('refine over the storefront’s proposals', () => {
  it('shows, omits and answers written asks honestly, position by position', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const proposal = await proposalOf(agent);
      const id = proposal.proposal_id;
      const answer = await refine(agent, [
        { scope: 'proposal', proposal_id: id, ask: 'Shift 60% of budget to CTV' },
        { scope: 'proposal', proposal_id: id, action: 'include' },
      ]);
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      expect(answer.proposals.map((p: Proposal) => p.proposal_id)).toEqual([id, id]);
      expect(answer.refinement_applied).toEqual([
        expect.objectContaining({ scope: 'proposal', proposal_id: id, status: 'unable' }),
        { scope: 'proposal', proposal_id: id, status: 'applied' },
      ]);
      expect(answer.products.length).toBe(proposal.allocations.length);

      const omitted = await refine(agent, [{ scope: 'proposal', proposal_id: id, action: 'omit' }]);
      expect(omitted.proposals).toEqual([]);
      expect(omitted.refinement_applied[0]).toMatchObject({ status: 'applied' });
    } finally {
      await agent.close();
    }
  });

  it('finalizes to committed, then books it; a finalize call finalizes only', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const proposal = await proposalOf(agent);
      const id = proposal.proposal_id;
      const mixed = await refine(agent, [
        { scope: 'proposal', proposal_id: id, action: 'finalize' },
        { scope: 'request', ask: 'frequency cap 3 a day' },
      ]);
      expect(mixed.isError).toBe(true);
      expect(JSON.stringify(mixed)).toContain('INVALID_REQUEST');
      expect(JSON.stringify(mixed)).toContain('refine[1]');
      // Refused whole: nothing was committed.
      const still = await refine(agent, [{ scope: 'proposal', proposal_id: id }]);
      expect(still.proposals[0]).not.toHaveProperty('proposal_status');

      const finalized = await refine(agent, [
        { scope: 'proposal', proposal_id: id, action: 'finalize' },
      ]);
      expect(finalized.isError, JSON.stringify(finalized)).toBe(false);
      expect(finalized.proposals[0]).toMatchObject({
        proposal_id: id,
        proposal_status: 'committed',
      });
      expect(Date.parse(finalized.proposals[0].expires_at)).toBeGreaterThan(Date.now());
      expect(finalized.refinement_applied).toEqual([
        expect.objectContaining({ scope: 'proposal', proposal_id: id, status: 'applied' }),
      ]);
      // The committed proposal carries the insertion order the buy must accept (AdCP 3.1).
      const io = finalized.proposals[0].insertion_order;
      expect(io).toMatchObject({
        io_id: expect.any(String),
        requires_signature: true,
        terms: { total_budget: { amount: 50_000, currency: 'USD' }, advertiser: 'acme.example' },
      });

      const book = (acceptance?: object) =>
        agent.call('create_media_buy', {
          idempotency_key: randomUUID(),
          account: { account_id: 'acme_media' },
          brand: { domain: 'acme.example' },
          start_time: day(2),
          end_time: day(20),
          proposal_id: id,
          total_budget: { amount: 50_000, currency: 'USD' },
          ...(acceptance && { io_acceptance: acceptance }),
        });
      const accepted = { accepted_at: new Date().toISOString(), signatory: 'ops@acme.example' };
      const unsigned = await book();
      expect(unsigned.isError).toBe(true);
      expect(unsigned.adcp_error).toMatchObject({ code: 'IO_REQUIRED', field: 'io_acceptance' });
      const wrong = await book({ ...accepted, io_id: 'io_someone_else' });
      expect(wrong.isError).toBe(true);
      expect(wrong.adcp_error).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'io_acceptance.io_id',
      });

      const created = await book({ ...accepted, io_id: io.io_id });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      expect(created.packages.length).toBe(proposal.allocations.length);
    } finally {
      await agent.close();
    }
  });

  it('finalizes the proposal and its alternative in one call, both or neither', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const answer = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Display MPU and leaderboard on news and sports. Q2 flight, $50K budget.',
        brand: { domain: 'acme.example' },
      });
      const [first, second] = (answer.proposals as Proposal[]).map((p) => p.proposal_id);
      expect(second, JSON.stringify(answer.proposals)).toBeDefined();
      expect(second).not.toBe(first);
      const both = await refine(agent, [
        { scope: 'proposal', proposal_id: first, action: 'finalize' },
        { scope: 'proposal', proposal_id: second, action: 'finalize' },
      ]);
      expect(both.isError, JSON.stringify(both)).toBe(false);
      for (const id of [first, second]) {
        expect(both.proposals).toContainEqual(
          expect.objectContaining({ proposal_id: id, proposal_status: 'committed' }),
        );
      }
      expect(
        both.refinement_applied.map((r: { proposal_id: string; status: string }) => [
          r.proposal_id,
          r.status,
        ]),
      ).toEqual([
        [first, 'applied'],
        [second, 'applied'],
      ]);
      const ios = both.proposals.map(
        (p: { insertion_order: { io_id: string } }) => p.insertion_order.io_id,
      );
      expect(new Set(ios).size).toBe(2);
    } finally {
      await agent.close();
    }
  });

  it("answers PROPOSAL_NOT_FOUND by field for unknown and another buyer's proposals, committing none", async () => {
    const { sf, agent } = await storefrontAndBuyer();
    const intruder = await createCustomer(h, { role: 'BUYER' });
    const other = await agentClient(base, sf.platformId, intruder.key);
    try {
      const proposal = await proposalOf(agent);
      const id = proposal.proposal_id;
      const theirs = await refine(other, [
        { scope: 'proposal', proposal_id: id, action: 'finalize' },
      ]);
      expect(theirs.isError).toBe(true);
      expect(JSON.stringify(theirs)).toContain('PROPOSAL_NOT_FOUND');
      expect(JSON.stringify(theirs)).toContain('refine[0].proposal_id');

      // Two finalizes, the second unknown: refused whole, the first not committed.
      const both = await refine(agent, [
        { scope: 'proposal', proposal_id: id, action: 'finalize' },
        { scope: 'proposal', proposal_id: 'prop_unknown_proposal_not_found', action: 'finalize' },
      ]);
      expect(both.isError).toBe(true);
      expect(JSON.stringify(both)).toContain('PROPOSAL_NOT_FOUND');
      expect(JSON.stringify(both)).toContain('refine[1].proposal_id');
      const after = await refine(agent, [{ scope: 'proposal', proposal_id: id }]);
      expect(after.proposals[0]).not.toHaveProperty('proposal_status');

      const unknown = await refine(agent, [
        { scope: 'proposal', proposal_id: 'prop_unknown_proposal_not_found', ask: 'more video' },
      ]);
      expect(JSON.stringify(unknown)).toContain('PROPOSAL_NOT_FOUND');
    } finally {
      await agent.close();
      await other.close();
    }
  });
});
