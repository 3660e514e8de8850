import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  executedCampaign,
  type Json,
} from './buying-support.js';

/**
 * The campaign list as a hosted client reads it: the default lens (campaigns that could still
 * spend), `ALL`, the media-buy status filter, mode/management, and cursor paging.
 */
let h: Harness;
let demo: RunningSeller;
let buyerKey: string;
let otherKey: string;
let booked: string;
let drafts: string[];
let completed: string;

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '20000',
    INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '30000',
    INTERCHANGE_SOURCE_BUDGET_MS: '15000',
  });
  demo = await startSeller('mcp');
  const manual = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }], {
    mediaBuyApproval: 'manual',
  });
  const { buyer, advertiserId } = await buyerWithAdvertiser(h);
  buyerKey = buyer.key;
  // One campaign executed on a storefront whose operator approves by hand: its buy waits.
  booked = (await executedCampaign(h, buyer.key, advertiserId, [manual])).campaignId;
  const found = await discover(h, buyer.key, { advertiserId: Number(advertiserId), brief: 'x' });
  const discoveryId = found.body.data.discoveryId as string;
  drafts = [];
  for (const name of ['Draft one', 'Draft two', 'Draft three']) {
    drafts.push(await campaignOver(h, buyer.key, advertiserId, discoveryId, name));
  }
  completed = await campaignOver(h, buyer.key, advertiserId, discoveryId, 'Over');
  // A flight that has run its course (status refresh would set this from the sellers' answers).
  await h.database.db.execute(
    sql`update campaigns set status = 'COMPLETED' where id = ${completed}`,
  );
  const other = await buyerWithAdvertiser(h);
  otherKey = other.buyer.key;
  const theirs = await discover(h, otherKey, {
    advertiserId: Number(other.advertiserId),
    brief: 'x',
  });
  await campaignOver(h, otherKey, other.advertiserId, theirs.body.data.discoveryId, 'Theirs');
}, 120_000);
afterAll(async () => {
  await demo?.close();
  await h?.close();
});

const list = async (query: string, key = buyerKey) => {
  const res = await h.call('GET', `/api/v2/buyer/campaigns${query}`, { key });
  return res;
};
const idsOf = (body: Json) =>
  (body.data.campaigns as Json[]).map((c) => c.campaignId as string).sort();

describe('GET /api/v2/buyer/campaigns', () => {
  it('shows by default only campaigns that could still spend, and every status on ALL', async () => {
    const lens = await list('');
    expect(lens.status).toBe(200);
    expect(idsOf(lens.body)).toEqual([booked, ...drafts].sort());
    expect(lens.body.data).toMatchObject({ total: 4, hasMore: false, v3Enabled: false });
    expect(lens.body.data).not.toHaveProperty('nextCursor');

    const all = await list('?status=ALL');
    expect(idsOf(all.body)).toEqual([booked, ...drafts, completed].sort());
    const done = await list('?status=COMPLETED');
    expect(idsOf(done.body)).toEqual([completed]);
  });

  it('filters by the statuses of the campaigns media buys', async () => {
    const waiting = await list('?mediaBuyStatus=PENDING_APPROVAL&status=ALL');
    expect(waiting.status).toBe(200);
    expect(idsOf(waiting.body)).toEqual([booked]);
    const live = await list('?mediaBuyStatus=ACTIVE&mediaBuyStatus=PAUSED&status=ALL');
    expect(idsOf(live.body)).toEqual([]);
  });

  it('answers managed, brief-driven campaigns only: other modes and tracked ones find none', async () => {
    expect(idsOf((await list('?management=managed')).body)).toHaveLength(4);
    expect(idsOf((await list('?mode=discovery')).body)).toHaveLength(4);
    expect((await list('?mode=performance')).body.data).toMatchObject({ total: 0 });
    expect((await list('?management=tracked')).body.data).toMatchObject({ total: 0 });
  });

  it('pages with an opaque cursor until the last page, which has none', async () => {
    const seen: string[] = [];
    let query = '?status=ALL&take=2';
    for (let page = 0; page < 5; page++) {
      const res = await list(query);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res.body));
      const next = res.body.data.nextCursor as string | undefined;
      expect(res.body.data.hasMore).toBe(next !== undefined);
      if (!next) break;
      query = `?status=ALL&take=2&cursor=${encodeURIComponent(next)}`;
    }
    expect(seen.sort()).toEqual([booked, ...drafts, completed].sort());
  });

  it('refuses a cursor it did not issue with 400 naming cursor', async () => {
    const res = await list('?cursor=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'cursor' });
  });

  it('never lists another buyer’s campaigns', async () => {
    const theirs = await list('?status=ALL', otherKey);
    expect(idsOf(theirs.body)).not.toContain(booked);
    expect(idsOf(theirs.body)).not.toContain(completed);
  });
});

describe('GET /api/v2/buyer/campaigns/{campaignId}', () => {
  it('narrows the embedded media buys to mediaBuyId, leaving the campaign as it is', async () => {
    const whole = await h.call('GET', `/api/v2/buyer/campaigns/${booked}`, { key: buyerKey });
    expect(whole.status).toBe(200);
    const [buy] = whole.body.data.campaign.mediaBuys as Json[];
    expect(buy).toBeDefined();
    const one = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${booked}?mediaBuyId=${buy.mediaBuyId}&includeProductDetails=false&fresh=true`,
      { key: buyerKey },
    );
    expect(one.status).toBe(200);
    expect(one.body.data.campaign.mediaBuys).toEqual([buy]);
    const none = await h.call('GET', `/api/v2/buyer/campaigns/${booked}?mediaBuyId=mb_elsewhere`, {
      key: buyerKey,
    });
    expect(none.body.data.campaign.mediaBuys).toEqual([]);
    const { mediaBuys: _all, ...campaign } = whole.body.data.campaign;
    const { mediaBuys: _none, ...same } = none.body.data.campaign;
    expect(same).toEqual(campaign);
  });
});
