import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agentClient, listen } from '../../agents/storefront-agent-support.js';
import { commitCsv, day, header, modularStorefront } from '../modular-sources/support.js';
import { buyerWithAdvertiser, discover, type Json } from '../buying/buying-support.js';

/**
 * Seller proposal codes (issue 47, item 4; hosted createStorefrontProposal and discoverProducts
 * proposalCode): a seller saves a proposal its storefront answered as a code for one buyer; that
 * buyer discovers it by the code and books it with its proposal_id; nobody else can.
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

const codes = '/api/v2/storefront/proposals';
const isoDate = (n: number) => day(n).slice(0, 10);
const brief = `Display MPU and leaderboard on news and sports, budget of 30000 USD, ${isoDate(2)} to ${isoDate(20)}`;
const row = (id: string, name: string, cpm: number) =>
  `${id},${name},homepage,display,${day(-1)},${day(60)},5000000,${cpm},USD,display_300x250,news.example`;

/** A storefront over three display avails, and a proposal it answered to some buyer. */
async function storefrontWithProposal() {
  const sf = await modularStorefront(h);
  await commitCsv(
    h,
    sf.seller.key,
    sf.sourceId,
    [
      header,
      row('sports-mpu', 'Sports section MPU', 10),
      row('news-leaderboard', 'News leaderboard', 20),
    ].join('\n'),
  );
  const { buyer } = await buyerWithAdvertiser(h, 'planner.example');
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const answer = await agent.call('get_products', {
      buying_mode: 'brief',
      brief,
      brand: { domain: 'planner.example' },
    });
    expect(answer.proposals, JSON.stringify(answer)).toHaveLength(2);
    return { sf, proposal: answer.proposals[0] as Json };
  } finally {
    await agent.close();
  }
}

describe('a proposal code', () => {
  it('is discovered and booked by the buyer it was issued to, and by no other', async () => {
    const { sf, proposal } = await storefrontWithProposal();
    const created = await h.call('POST', codes, {
      key: sf.seller.key,
      body: {
        operatorId: { domain: 'brandb.example' },
        label: 'RFP from Brand B',
        expiresAt: day(3),
        discoveryId: 'offline-rfp-1',
        proposalId: proposal.proposal_id,
      },
    });
    expect(created.status, created.text).toBe(201);
    const code: string = created.body.data.proposalCode;
    expect(created.body.data.status).toBe('active');

    // The buyer it names finds it through discovery: only that storefront, the saved proposal.
    const b = await buyerWithAdvertiser(h, 'brandb.example');
    const found = await discover(h, b.buyer.key, {
      advertiserId: Number(b.advertiserId),
      proposalCode: code,
    });
    expect(found.status, found.text).toBe(200);
    const page: Json = found.body.data;
    expect(page.proposals.map((p: Json) => p.proposalId ?? p.proposal_id)).toContain(
      proposal.proposal_id,
    );

    // ... and books it by its proposal_id; the code reads redeemed in that buy.
    const agent = await agentClient(base, sf.platformId, b.buyer.key);
    try {
      const booked = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'brandb_media' },
        brand: { domain: 'brandb.example' },
        start_time: day(2),
        end_time: day(20),
        proposal_id: proposal.proposal_id,
        total_budget: { amount: 30_000, currency: 'USD' },
      });
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      expect(booked.packages.map((p: Json) => p.product_id).sort()).toEqual(
        proposal.allocations.map((a: Json) => a.product_id).sort(),
      );
      const read = await h.call('GET', `${codes}/${created.body.data.id}`, {
        key: sf.seller.key,
      });
      expect(read.body.data.status).toBe('redeemed');
      expect(read.body.data.redeemedInMediaBuyId).toBe(booked.media_buy_id);
      expect(read.body.data.firstViewedAt).not.toBeNull();
    } finally {
      await agent.close();
    }

    // Another buyer with the code, or anyone with an unknown one: not found alike.
    const c = await buyerWithAdvertiser(h, 'brandc.example');
    for (const proposalCode of [code, 'PRP-NOPE99']) {
      const refused = await discover(h, c.buyer.key, {
        advertiserId: Number(c.advertiserId),
        proposalCode,
      });
      expect(refused.status, refused.text).toBe(404);
      expect(refused.body.error.field).toBe('proposalCode');
    }
    // Nor can that buyer book the proposal.
    const intruder = await agentClient(base, sf.platformId, c.buyer.key);
    try {
      const refused = await intruder.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { account_id: 'brandc_media' },
        brand: { domain: 'brandc.example' },
        start_time: day(2),
        end_time: day(20),
        proposal_id: proposal.proposal_id,
        total_budget: { amount: 30_000, currency: 'USD' },
      });
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(JSON.stringify(refused)).toContain('PROPOSAL_NOT_FOUND');
    } finally {
      await intruder.close();
    }
  }, 120_000);

  it('belongs to the buyer it was issued to: another buyer naming the same brand finds nothing', async () => {
    const { sf, proposal } = await storefrontWithProposal();
    const created = await h.call('POST', codes, {
      key: sf.seller.key,
      body: {
        operatorId: { domain: 'brandz.example' },
        label: 'RFP from Brand Z',
        expiresAt: day(3),
        discoveryId: 'offline-rfp-3',
        proposalId: proposal.proposal_id,
      },
    });
    expect(created.status, created.text).toBe(201);
    const code: string = created.body.data.proposalCode;
    const booking = (account: string) => ({
      idempotency_key: randomUUID(),
      account: { account_id: account },
      brand: { domain: 'brandz.example' },
      start_time: day(2),
      end_time: day(20),
      proposal_id: proposal.proposal_id,
      total_budget: { amount: 30_000, currency: 'USD' },
    });
    // Someone who only claims the brand, without ever holding the code: not found, nothing booked.
    const claimant = await createCustomer(h, { role: 'BUYER' });
    const early = await agentClient(base, sf.platformId, claimant.key);
    try {
      const refused = await early.call('create_media_buy', booking('claimant_media'));
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(JSON.stringify(refused)).toContain('PROPOSAL_NOT_FOUND');
    } finally {
      await early.close();
    }

    // The buyer the seller gave the code to opens it: from then on it is that buyer's.
    const z = await buyerWithAdvertiser(h, 'brandz.example');
    const found = await discover(h, z.buyer.key, {
      advertiserId: Number(z.advertiserId),
      proposalCode: code,
    });
    expect(found.status, found.text).toBe(200);

    // A second buyer with an advertiser for the same brand, even holding the code: not found,
    // by discovery, by get_products, by booking the proposal and by accepting its IO.
    const y = await buyerWithAdvertiser(h, 'brandz.example');
    const stolen = await discover(h, y.buyer.key, {
      advertiserId: Number(y.advertiserId),
      proposalCode: code,
    });
    expect(stolen.status, stolen.text).toBe(404);
    const intruder = await agentClient(base, sf.platformId, y.buyer.key);
    try {
      const opened = await intruder.call('get_products', {
        buying_mode: 'brief',
        brief: 'the saved proposal',
        brand: { domain: 'brandz.example' },
        ext: { interchange: { proposal_code: code } },
      });
      expect(opened.isError, JSON.stringify(opened)).toBe(true);
      expect(JSON.stringify(opened)).toContain('PROPOSAL_NOT_FOUND');
      const finalized = await intruder.call('get_products', {
        buying_mode: 'refine',
        refine: [{ scope: 'proposal', proposal_id: proposal.proposal_id, action: 'finalize' }],
        brand: { domain: 'brandz.example' },
      });
      expect(JSON.stringify(finalized)).toContain('PROPOSAL_NOT_FOUND');
      const refused = await intruder.call('create_media_buy', booking('intruder_media'));
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(JSON.stringify(refused)).toContain('PROPOSAL_NOT_FOUND');
    } finally {
      await intruder.close();
    }
    // The buyer it was given to books it.
    const owner = await agentClient(base, sf.platformId, z.buyer.key);
    try {
      const booked = await owner.call('create_media_buy', booking('brandz_media'));
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
    } finally {
      await owner.close();
    }
    const read = await h.call('GET', `${codes}/${created.body.data.id}`, { key: sf.seller.key });
    expect(read.body.data).toMatchObject({ status: 'redeemed', holderCustomerId: z.buyer.id });
  }, 120_000);

  it('once revoked is refused at discovery, and another seller cannot read it', async () => {
    const { sf, proposal } = await storefrontWithProposal();
    const created = await h.call('POST', codes, {
      key: sf.seller.key,
      body: {
        operatorId: 'brandd.example',
        label: 'RFP from Brand D',
        expiresAt: day(3),
        discoveryId: 'offline-rfp-2',
        proposalId: proposal.proposal_id,
      },
    });
    expect(created.status, created.text).toBe(201);
    const other = await modularStorefront(h);
    const peek = await h.call('GET', `${codes}/${created.body.data.id}`, {
      key: other.seller.key,
    });
    expect(peek.status, peek.text).toBe(404);
    const revoked = await h.call('POST', `${codes}/${created.body.data.id}/revoke`, {
      key: sf.seller.key,
    });
    expect(revoked.status, revoked.text).toBe(200);
    const d = await buyerWithAdvertiser(h, 'brandd.example');
    const refused = await discover(h, d.buyer.key, {
      advertiserId: Number(d.advertiserId),
      proposalCode: created.body.data.proposalCode,
    });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.code).toBe('PROPOSAL_EXPIRED');
  }, 60_000);
});
