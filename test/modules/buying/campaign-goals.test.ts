import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSeller } from '../../fixtures/sellers.js';
import type { Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { mcpClient } from '../../mcp/mcp-support.js';
import { buyerWithAdvertiser, type Json } from './buying-support.js';
import {
  flightDates,
  selectedOnBoth,
  startTwoSellers,
  threeWeighted,
  type TwoSellers,
} from './two-sellers.js';

let env: TwoSellers;
let h: Harness;
let demo: RunningSeller;
let sf: TwoSellers['sf'];
beforeAll(async () => {
  env = await startTwoSellers();
  ({ h, demo, sf } = env);
}, 60_000);
afterAll(() => env?.close());

/** Clicks at $2 first, purchases at $20, then completed views: the demo's display takes clicks only. */
const performanceConfig = {
  optimizationGoals: [
    { kind: 'metric', metric: 'clicks', target: { kind: 'cost_per', value: 2 }, priority: 1 },
    {
      kind: 'event',
      eventSources: [{ eventSourceId: 'site_pixel', eventType: 'purchase' }],
      target: { kind: 'cost_per', value: 20 },
      attributionWindow: { postClick: { interval: 7, unit: 'days' } },
      priority: 2,
    },
    { kind: 'metric', metric: 'completed_views', priority: 3 },
  ],
};

/** A buyer's discovery over both storefronts with one display product of each selected. */
const selected = () => selectedOnBoth(env, [12_000, 16_000], 'display');

const toolCallsSince = (from: number, tool: string) =>
  demo
    .toolCalls()
    .slice(from)
    .filter((c) => c.tool === tool);

describe('performance goals', () => {
  it('reach each seller as AdCP optimization goals on the packages whose products take them; the rest are named', async () => {
    const { buyer, advertiserId, discoveryId } = await selected();
    const created = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiserId),
        name: 'Goals',
        flightDates,
        budget: { total: 40_000 },
        discoveryId,
        pacingPeriods: threeWeighted,
        performanceConfig,
      },
    });
    expect(created.status, created.text).toBe(201);
    const campaign = created.body.data.campaign;
    expect(campaign.performanceConfig).toEqual(performanceConfig);
    expect(campaign.optimizationApplyMode).toBe('MANUAL');

    const before = demo.toolCalls().length;
    const executed = await h.call(
      'POST',
      `/api/v2/buyer/campaigns/${campaign.campaignId}/execute`,
      { key: buyer.key, body: {} },
    );
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data).toMatchObject({ success: true, mediaBuysExecuted: 2 });

    // The demo seller's display product optimises for clicks (cost_per) but tracks no
    // conversions and no completions: each of its three period packages carries clicks alone.
    const [sent] = toolCallsSince(before, 'create_media_buy');
    const packages = sent!.args['packages'] as Json[];
    expect(packages).toHaveLength(3);
    for (const p of packages) {
      expect(p.optimization_goals).toEqual([
        { kind: 'metric', metric: 'clicks', target: { kind: 'cost_per', value: 2 }, priority: 1 },
      ]);
    }
    // What neither seller could take is told, naming the seller and the goal.
    const notSent = (executed.body.data.warnings as Json[]).filter(
      (w) => w.type === 'optimization_goals_not_supported',
    );
    const hints = notSent.map((w) => w.hint as string);
    expect(hints).toContainEqual(
      expect.stringMatching(
        new RegExp(`storefront-${sf.demo.platformId}.*event purchase: it declares no conversion`),
      ),
    );
    expect(hints).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `storefront-${sf.demo.platformId}.*metric completed_views: it does not optimise`,
        ),
      ),
    );
    // The SDK's example seller declares no goal support at all: all three are named for it.
    expect(hints.filter((hint) => hint.includes(`storefront-${sf.sdk.platformId}`))).toHaveLength(
      3,
    );

    // Each package shows the goals it carries.
    const detail = await h.call('GET', `/api/v2/buyer/campaigns/${campaign.campaignId}`, {
      key: buyer.key,
    });
    const demoBuy = (detail.body.data.campaign.mediaBuys as Json[]).find(
      (b) => b.salesAgentId === `storefront-${sf.demo.platformId}`,
    );
    expect(demoBuy.packages.map((p: Json) => p.optimizationGoals[0]?.metric)).toEqual([
      'clicks',
      'clicks',
      'clicks',
    ]);
    const sdkBuy = (detail.body.data.campaign.mediaBuys as Json[]).find(
      (b) => b.salesAgentId === `storefront-${sf.sdk.platformId}`,
    );
    expect(sdkBuy.packages.every((p: Json) => p.optimizationGoals.length === 0)).toBe(true);

    // updateMediaBuy replaces the buy's goals at the seller, on every package.
    const updatesBefore = demo.toolCalls().length;
    const patched = await h.call('PATCH', `/api/v2/buyer/media-buys/${demoBuy.mediaBuyId}`, {
      key: buyer.key,
      body: {
        optimization_goals: [
          { kind: 'metric', metric: 'views', target: { kind: 'threshold_rate', value: 0.7 } },
          { kind: 'metric', metric: 'reach', reach_unit: 'households' },
        ],
      },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.warnings).toEqual([
      expect.stringMatching(/metric reach: it does not optimise for reach/),
    ]);
    const [update] = toolCallsSince(updatesBefore, 'update_media_buy');
    const updated = update!.args['packages'] as Json[];
    // Every package (the storefront names them by source: `demo__…` is the seller's `…`).
    expect(updated.map((p) => `demo__${p.package_id}`)).toEqual(
      demoBuy.packages.map((p: Json) => p.packageId),
    );
    for (const p of updated) {
      expect(p.optimization_goals).toEqual([
        { kind: 'metric', metric: 'views', target: { kind: 'threshold_rate', value: 0.7 } },
      ]);
    }
    expect(patched.body.data.mediaBuy.packages[0].optimizationGoals[0].metric).toBe('views');

    // AdCP has no empty goals list: [] cannot reach a placed package, and the buyer is told so.
    const calls = demo.toolCalls().length;
    const cleared = await h.call('PATCH', `/api/v2/buyer/media-buys/${demoBuy.mediaBuyId}`, {
      key: buyer.key,
      body: { optimization_goals: [] },
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.data.warnings).toEqual([
      expect.stringContaining("AdCP cannot clear a placed package's goals"),
    ]);
    expect(toolCallsSince(calls, 'update_media_buy')).toHaveLength(0);
    expect(cleared.body.data.mediaBuy.packages[0].optimizationGoals[0].metric).toBe('views');
  });

  it('takes the apply mode from the advertiser unless the campaign sets its own', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    await h.call('PUT', `/api/v2/buyer/advertisers/${advertiserId}`, {
      key: buyer.key,
      body: { optimizationApplyMode: 'AUTO' },
    });
    const created = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiserId),
        name: 'Auto',
        flightDates,
        budget: { total: 1000 },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.data.campaign.optimizationApplyMode).toBe('AUTO');
    const id = created.body.data.campaign.campaignId;
    const manual = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { optimizationApplyMode: 'MANUAL', performanceConfig },
    });
    expect(manual.status, manual.text).toBe(200);
    expect(manual.body.data.campaign).toMatchObject({
      optimizationApplyMode: 'MANUAL',
      performanceConfig,
    });
    const inherited = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: { optimizationApplyMode: null, performanceConfig: null },
    });
    expect(inherited.body.data.campaign.optimizationApplyMode).toBe('AUTO');
    expect(inherited.body.data.campaign.performanceConfig).toBeUndefined();
  });

  it('are taken and checked the same through MCP api_call', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const agent = await mcpClient(await listen(h), 'buyer', buyer.key);
    try {
      const body = {
        advertiserId: Number(advertiserId),
        name: 'Over MCP',
        flightDates,
        budget: { total: 1000 },
        optimizationApplyMode: 'AUTO',
      };
      const created = await agent.call('api_call', {
        method: 'POST',
        path: '/api/v2/buyer/campaigns',
        body: { ...body, performanceConfig },
      });
      expect(created.status, JSON.stringify(created)).toBe(201);
      expect(created.data.campaign).toMatchObject({
        optimizationApplyMode: 'AUTO',
        performanceConfig,
      });
      const refused = await agent.call('api_call', {
        method: 'POST',
        path: '/api/v2/buyer/campaigns',
        body: {
          ...body,
          performanceConfig: { optimizationGoals: [{ kind: 'metric', metric: 'reach' }] },
        },
      });
      expect(refused.status).toBe(400);
      expect(refused.error.field).toBe('performanceConfig.optimizationGoals.0.reachUnit');
    } finally {
      await agent.close();
    }
  });

  it('validates goals with a 400 naming the field', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const goal = (g: Json) => ({ performanceConfig: { optimizationGoals: [g] } });
    const cases: Array<[Json, string]> = [
      [{ performanceConfig: { optimizationGoals: [] } }, 'performanceConfig.optimizationGoals'],
      [goal({ kind: 'metric', metric: 'likes' }), 'performanceConfig.optimizationGoals.0.metric'],
      [
        goal({ kind: 'metric', metric: 'clicks', target: { kind: 'cost_per', value: 0 } }),
        'performanceConfig.optimizationGoals.0.target.value',
      ],
      [
        goal({ kind: 'metric', metric: 'clicks', viewDurationSeconds: 6 }),
        'performanceConfig.optimizationGoals.0.viewDurationSeconds',
      ],
      [
        goal({ kind: 'metric', metric: 'reach' }),
        'performanceConfig.optimizationGoals.0.reachUnit',
      ],
      [
        goal({ kind: 'event', eventSources: [{ eventSourceId: 'px', eventType: 'custom' }] }),
        'performanceConfig.optimizationGoals.0.eventSources.0.customEventName',
      ],
      [
        goal({
          kind: 'event',
          eventSources: [{ eventSourceId: 'px', eventType: 'purchase' }],
          target: { kind: 'per_ad_spend', value: 4 },
        }),
        'performanceConfig.optimizationGoals.0.eventSources.0.valueField',
      ],
      [{ optimizationApplyMode: 'SOMETIMES' }, 'optimizationApplyMode'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call('POST', '/api/v2/buyer/campaigns', {
        key: buyer.key,
        body: {
          advertiserId: Number(advertiserId),
          name: 'Bad',
          flightDates,
          budget: { total: 1000 },
          ...body,
        },
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
  });
});

describe('packages of pacing periods', () => {
  it('are told apart before the seller assigns ids: a failed buy’s period package changes alone', async () => {
    const { buyer, advertiserId, discoveryId } = await selected();
    const created = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiserId),
        name: 'Periods',
        flightDates,
        budget: { total: 40_000 },
        discoveryId,
        pacingPeriods: threeWeighted,
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.data.campaign.campaignId;
    // The demo seller refuses the buy: it stays with us, no seller package ids assigned.
    demo.answerInstead!(
      'create_media_buy',
      { error: { code: 'INVALID_REQUEST', message: 'inventory held for review' } },
      1,
    );
    await h.call('POST', `/api/v2/buyer/campaigns/${id}/execute`, { key: buyer.key, body: {} });
    const detail = await h.call('GET', `/api/v2/buyer/campaigns/${id}`, { key: buyer.key });
    const failed = (detail.body.data.campaign.mediaBuys as Json[]).find(
      (b) => b.status === 'FAILED',
    );
    expect(failed, detail.text).toBeDefined();
    const ids = failed.packages.map((p: Json) => p.packageId);
    expect(new Set(ids).size).toBe(3);

    const heavyUp = failed.packages[1];
    const patched = await h.call('PATCH', `/api/v2/buyer/media-buys/${failed.mediaBuyId}`, {
      key: buyer.key,
      body: { packages: [{ packageId: heavyUp.packageId, budget: 5_000 }] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.mediaBuy.packages.map((p: Json) => p.budget)).toEqual([
      failed.packages[0].budget,
      5_000,
      failed.packages[2].budget,
    ]);
    const canceled = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: buyer.key,
      body: {
        mediaBuys: [{ action: 'cancel', mediaBuyId: failed.mediaBuyId, packageIds: [ids[2]] }],
      },
    });
    expect(canceled.status, canceled.text).toBe(200);
    const after = (canceled.body.data.campaign.mediaBuys as Json[]).find(
      (b) => b.mediaBuyId === failed.mediaBuyId,
    );
    expect(after.packages.map((p: Json) => p.status)).toEqual(['active', 'active', 'canceled']);
  });
});

describe('a seller refusing the frequency cap', () => {
  /** A campaign with a cap over a demo product, executed with the demo's one answer replaced. */
  async function executedWithRefusal(refusal: { code: string; message: string; field: string }) {
    const { buyer, advertiserId, discoveryId } = await selected();
    const created = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiserId),
        name: 'Capped',
        flightDates,
        budget: { total: 40_000 },
        discoveryId,
        frequencyCaps: [{ max_impressions: 4, window: { interval: 1, unit: 'days' } }],
      },
    });
    expect(created.status, created.text).toBe(201);
    demo.answerInstead!('create_media_buy', { error: refusal }, 1);
    const before = demo.toolCalls().length;
    const executed = await h.call(
      'POST',
      `/api/v2/buyer/campaigns/${created.body.data.campaign.campaignId}/execute`,
      { key: buyer.key, body: {} },
    );
    expect(executed.status, executed.text).toBe(200);
    return { executed: executed.body.data, creates: toolCallsSince(before, 'create_media_buy') };
  }

  it('is known by the field its refusal names, through the storefront, whatever its words', async () => {
    const { executed, creates } = await executedWithRefusal({
      code: 'INVALID_REQUEST',
      message: 'this targeting is not available on the requested inventory',
      field: 'packages[0].targeting_overlay.frequency_cap',
    });
    expect(executed).toMatchObject({ success: true, mediaBuysExecuted: 2 });
    expect(executed.warnings).toContainEqual(
      expect.objectContaining({
        type: 'frequency_cap_not_supported',
        hint: expect.stringContaining(`storefront-${sf.demo.platformId}`),
      }),
    );
    expect(creates).toHaveLength(2);
    expect((creates[1]!.args['packages'] as Json[])[0].targeting_overlay).toBeUndefined();
  });

  it('is not read into a refusal whose field names something else, though its words mention the cap', async () => {
    const { executed, creates } = await executedWithRefusal({
      code: 'BUDGET_TOO_LOW',
      message: 'with a frequency cap this tight the budget is too low to deliver',
      field: 'packages[0].budget',
    });
    // Booked once, refused: no second attempt without the cap, no cap warning.
    expect(creates).toHaveLength(1);
    expect(executed.success).toBe(false);
    expect(executed.errors[0].message).toContain('budget is too low');
    expect(
      (executed.warnings as Json[]).filter((w) => w.type === 'frequency_cap_not_supported'),
    ).toEqual([]);
  });
});
