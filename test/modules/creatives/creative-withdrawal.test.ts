import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { eventually, type Json } from '../buying/buying-support.js';
import {
  agentOf,
  campaignOn,
  imageCreative,
  medrecOf,
  type Sf,
  readyCreativeStorefronts,
} from './creatives-support.js';

let h: Harness;
let base: string;
let demo: RunningSeller;
let stalling: RunningSeller;
let refusing: RunningSeller;
let sdk: SdkSeller;
let sf: { library: Sf; inline: Sf; stalling: Sf; refusing: Sf };

beforeAll(async () => {
  // A buyer waits this long for a storefront agent; the stalling seller answers later. Short
  // enough to keep the stall's case brief, long enough for the SDK's example seller to answer an
  // update on a loaded machine (at 6 s, under load 15, its update_media_buy ran out).
  h = await createHarness({
    INTERCHANGE_SOURCE_BUDGET_MS: '14000',
    INTERCHANGE_EXECUTE_AGENT_BUDGET_MS: '12000',
  });
  base = await listen(h);
  [demo, stalling, refusing, sdk] = await Promise.all([
    startSeller('mcp'),
    startSeller('mcp'),
    startSeller('mcp'),
    startSdkSeller(),
  ]);
  sf = {
    library: await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]),
    inline: await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]),
    stalling: await storefrontWith(h, [{ sourceId: 'demo', url: stalling.url }]),
    refusing: await storefrontWith(h, [{ sourceId: 'demo', url: refusing.url }]),
  };
  await readyCreativeStorefronts(h, [sf.inline.id, sf.stalling.id, sf.refusing.id], sf.library);
}, 90_000);
afterAll(async () => {
  await Promise.all([demo?.close(), stalling?.close(), refusing?.close(), sdk?.close()]);
  await h?.close();
});

/** A buyer's executed campaign on `storefronts` with the given medrec creatives on each. */
async function liveCampaign(storefronts: Array<{ sf: Sf; names: string[] }>) {
  const { buyer, advertiserId, campaignId } = await campaignOn(
    h,
    storefronts.map((s) => s.sf),
  );
  const ids: string[][] = [];
  for (const { sf: s, names } of storefronts) {
    const format = await medrecOf(h, buyer.key, s);
    const made = [];
    for (const name of names) {
      const created = await imageCreative(h, buyer.key, campaignId, format, name);
      expect(created.status, created.text).toBe(201);
      made.push(created.body.data.creative_id as string);
    }
    ids.push(made);
  }
  const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
    key: buyer.key,
  });
  expect(executed.body.data, executed.text).toMatchObject({ success: true });
  return { buyer, advertiserId, campaignId, ids };
}

/** What the storefront agent reports each package of the buyer's buys carries. */
async function carriedAt(s: Sf, key: string): Promise<string[][]> {
  const agent = await agentClient(base, s.platformId, key);
  try {
    const { media_buys } = await agent.call('get_media_buys', {});
    return (media_buys as Json[]).flatMap((b) =>
      (b.packages as Json[]).map((p) =>
        ((p.creative_approvals ?? []) as Json[]).map((c) => c.creative_id as string).sort(),
      ),
    );
  } finally {
    await agent.close();
  }
}

const del = (key: string, campaignId: string, creativeId: string) =>
  h.call('DELETE', `/api/v2/buyer/campaigns/${campaignId}/creatives/${creativeId}`, { key });

describe('deleting a creative withdraws it from the sellers that carry it', () => {
  it('takes the creative off the live buy’s packages and archives it at the storefront', async () => {
    const { buyer, campaignId, ids } = await liveCampaign([
      { sf: sf.inline, names: ['Recalled banner', 'Kept banner'] },
    ]);
    const [recalled, kept] = ids[0]!;
    expect(await carriedAt(sf.inline, buyer.key)).toEqual([[recalled, kept].sort()]);
    const before = demo.toolCalls().length;

    const deleted = await del(buyer.key, campaignId, recalled!);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.data).toEqual({ creative_id: recalled, deleted: true });

    // The seller's package now carries only the creative that was kept.
    expect(await carriedAt(sf.inline, buyer.key)).toEqual([[kept]]);
    const update = demo
      .toolCalls()
      .slice(before)
      .find((c) => c.tool === 'update_media_buy');
    expect(update?.args['packages']).toEqual([
      expect.objectContaining({ creative_assignments: [{ creative_id: kept }] }),
    ]);
    // The storefront lists it archived, no longer among the buyer's active creatives.
    const agent = await agentClient(base, sf.inline.platformId, buyer.key);
    try {
      const active = await agent.call('list_creatives', {});
      expect(active.creatives.map((c: Json) => c.creative_id)).toEqual([kept]);
      const archived = await agent.call('list_creatives', { filters: { statuses: ['archived'] } });
      expect(archived.creatives).toEqual([
        expect.objectContaining({ creative_id: recalled, status: 'archived' }),
      ]);
    } finally {
      await agent.close();
    }
    const gone = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${campaignId}/creatives/${recalled}`,
      {
        key: buyer.key,
      },
    );
    expect(gone.status).toBe(404);
  }, 90_000);

  it('archives a deleted creative at the SDK’s example seller through the storefront', async () => {
    const { buyer, campaignId, ids } = await liveCampaign([
      { sf: sf.library, names: ['Library banner'] },
    ]);
    const [recalled] = ids[0]!;
    // The example seller reports no per-package creatives, so the storefront's own record of
    // what its packages carry shows the creative leaving them: every package it had is now
    // recorded with an assignment list (replaced at the source), none holding the creative.
    const recorded = async () =>
      (
        await h.database.queryable.query(
          `select creative_assignments as assignments from storefront_media_buys
           where storefront_id = $1 and buyer_customer_id = $2`,
          [sf.library.id, buyer.id],
        )
      ).rows.map((r) => (r as { assignments: Record<string, string[]> }).assignments);
    expect(await recorded()).toEqual([{}]);
    const deleted = await del(buyer.key, campaignId, recalled!);
    expect(deleted.status, deleted.text).toBe(200);
    const after = await recorded();
    expect(after).toHaveLength(1);
    expect(Object.keys(after[0]!).length).toBeGreaterThan(0);
    expect(Object.values(after[0]!).flat()).not.toContain(recalled);
    // The storefront recorded the creative archived and sent the archive on to its library
    // source, @adcp/sdk's example seller, which took it.
    const reviews = await h.call('GET', '/api/v2/storefront/creative-reviews?status=archived', {
      key: sf.library.seller.key,
    });
    expect(reviews.body.data.items).toEqual([
      expect.objectContaining({
        creativeId: recalled,
        status: 'archived',
        submittedPayload: expect.objectContaining({ status: 'archived' }),
        forwardResult: [expect.objectContaining({ sourceId: 'sdk', status: 'completed' })],
      }),
    ]);
  }, 90_000);

  it('refuses the delete while a seller does not answer, keeps the creative, and completes on retry', async () => {
    const { buyer, campaignId, ids } = await liveCampaign([
      { sf: sf.stalling, names: ['Stuck banner'] },
    ]);
    const [creativeId] = ids[0]!;
    stalling.setDelay(20_000);
    let refused;
    try {
      refused = await del(buyer.key, campaignId, creativeId!);
    } finally {
      stalling.setDelay(0);
    }
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT' });
    expect(refused.body.error.message).toContain('was not deleted');
    expect(refused.body.error.details.sellers).toContainEqual(
      expect.objectContaining({ agent_id: agentOf(sf.stalling), media_buy_id: expect.any(String) }),
    );
    // The creative is kept, marked as being withdrawn, and cannot be changed meanwhile.
    const path = `/api/v2/buyer/campaigns/${campaignId}/creatives/${creativeId}`;
    const kept = await h.call('GET', path, { key: buyer.key });
    expect(kept.status).toBe(200);
    expect(kept.body.data.withdrawing_since).toEqual(expect.any(String));
    const changed = await h.call('PUT', path, { key: buyer.key, body: { name: 'Still here' } });
    expect(changed.status, changed.text).toBe(409);

    // Deleting again once the seller answers completes it (the calls the stalled seller was
    // still working on may first have to finish).
    const retried = await eventually(
      () => del(buyer.key, campaignId, creativeId!),
      (res) => res.status !== 409,
      45_000,
    );
    expect(retried.status, retried.text).toBe(200);
    expect(await carriedAt(sf.stalling, buyer.key)).toEqual([[]]);
  }, 90_000);

  it('asks a seller again that refused to take the creative off its buy, though it would archive it', async () => {
    const { buyer, campaignId, ids } = await liveCampaign([
      { sf: sf.refusing, names: ['Locked banner'] },
    ]);
    const [creativeId] = ids[0]!;
    // The seller refuses the next update_media_buy but takes sync_creatives as ever.
    refusing.answerInstead!(
      'update_media_buy',
      { error: { code: 'INVALID_STATE', message: 'Buy locked for trafficking' } },
      1,
    );
    const refused = await del(buyer.key, campaignId, creativeId!);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.error.details.sellers).toEqual([
      expect.objectContaining({ agent_id: agentOf(sf.refusing), media_buy_id: expect.any(String) }),
    ]);
    // Its package still carries the creative, so the seller is not recorded as having archived
    // it (a retry skips a seller recorded archived).
    const path = `/api/v2/buyer/campaigns/${campaignId}/creatives/${creativeId}`;
    const kept = await h.call('GET', path, { key: buyer.key });
    expect(kept.body.data.platform_links).toEqual([
      expect.objectContaining({ agent_id: agentOf(sf.refusing) }),
    ]);
    expect(kept.body.data.platform_links[0].approval_status).not.toBe('archived');
    expect(await carriedAt(sf.refusing, buyer.key)).toEqual([[creativeId]]);

    const before = refusing.toolCalls().length;
    const retried = await del(buyer.key, campaignId, creativeId!);
    expect(retried.status, retried.text).toBe(200);
    expect(
      refusing
        .toolCalls()
        .slice(before)
        .filter((c) => c.tool === 'update_media_buy'),
    ).toHaveLength(1);
    expect(await carriedAt(sf.refusing, buyer.key)).toEqual([[]]);
  }, 90_000);

  it('settles two deletes of the same creative at once: one asks the sellers, both answer deleted', async () => {
    const { buyer, campaignId, ids } = await liveCampaign([
      { sf: sf.stalling, names: ['Twice deleted banner'] },
    ]);
    const [creativeId] = ids[0]!;
    const before = stalling.toolCalls().length;
    // A slow seller keeps the first delete asking while the second arrives.
    stalling.setDelay(1500);
    let answers;
    try {
      answers = await Promise.all([
        del(buyer.key, campaignId, creativeId!),
        del(buyer.key, campaignId, creativeId!),
      ]);
    } finally {
      stalling.setDelay(0);
    }
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.data).toEqual({ creative_id: creativeId, deleted: true });
    }
    // The seller was asked once to take it off its buy.
    expect(
      stalling
        .toolCalls()
        .slice(before)
        .filter((c) => c.tool === 'update_media_buy'),
    ).toHaveLength(1);
    expect(await carriedAt(sf.stalling, buyer.key)).toEqual([[]]);
  }, 90_000);

  it('answers 404 for another customer’s creative and sends nothing', async () => {
    const owner = await liveCampaign([{ sf: sf.inline, names: ['Owner banner'] }]);
    const [creativeId] = owner.ids[0]!;
    const other = await campaignOn(h, [sf.inline]);
    const before = demo.toolCalls().length;
    for (const campaignId of [owner.campaignId, other.campaignId]) {
      const refused = await del(other.buyer.key, campaignId, creativeId!);
      expect(refused.status, refused.text).toBe(404);
      expect(refused.body.error.code).toBe('NOT_FOUND');
    }
    expect(demo.toolCalls().slice(before)).toEqual([]);
    expect(await carriedAt(sf.inline, owner.buyer.key)).toEqual([[creativeId]]);
    const still = await h.call(
      'GET',
      `/api/v2/buyer/campaigns/${owner.campaignId}/creatives/${creativeId}`,
      { key: owner.buyer.key },
    );
    expect(still.status).toBe(200);
  }, 90_000);
});
