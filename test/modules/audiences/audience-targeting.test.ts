import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { mcpClient } from '../../mcp/mcp-support.js';
import {
  buyerWithAdvertiser,
  discover,
  type Json,
  productsOfAgent,
  remoteAgent,
  selectionOf,
} from '../buying/buying-support.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const brief = 'Outdoor display for a spring launch';

/**
 * audienceConfig on campaigns: checked against the advertiser's audiences, and carried into each
 * package's AdCP targeting overlay at the sellers that hold them. The seller that takes audiences
 * is our demo seller registered as the buyer's remote agent, answering get_adcp_capabilities with
 * audience_targeting and sync_audiences as a seller that took them (the demo implements neither);
 * the one that does not is a storefront over another demo seller. What each seller booked is read
 * from its own record of the calls it received.
 */
describe('campaign audienceConfig', () => {
  let h: Harness;
  let base: string;
  let taker: RunningSeller;
  let plain: RunningSeller;
  let storefront: { id: number; platformId: string };

  beforeAll(async () => {
    h = await createHarness();
    base = await listen(h);
    await h.services.jobs.start();
    [taker, plain] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
    storefront = await storefrontWith(h, [{ sourceId: 'plain', url: plain.url }]);
    const client = new Client({ name: 'caps', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(taker.url)));
    const caps = (await client.callTool({ name: 'get_adcp_capabilities', arguments: {} }))
      .structuredContent as Json;
    await client.close();
    taker.answerInstead?.('get_adcp_capabilities', {
      data: {
        ...caps,
        media_buy: {
          ...caps.media_buy,
          audience_targeting: {
            supported_identifier_types: ['hashed_email'],
            minimum_audience_size: 100,
          },
        },
      },
    });
    taker.answerInstead?.('sync_audiences', {
      data: {
        audiences: [
          { audience_id: 'aud_loyal', action: 'created', status: 'ready', matched_count: 1200 },
        ],
      },
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([taker?.close(), plain?.close()]);
    await h?.close();
  });

  async function settled(key: string, taskId: string): Promise<Json> {
    for (let i = 0; i < 100; i++) {
      const res = await h.call('GET', `/api/v2/buyer/tasks/${taskId}`, { key });
      if (['completed', 'failed'].includes(res.body.data.task.status)) return res.body.data.task;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the task did not settle');
  }

  /** A buyer whose remote agent is the audience-taking seller, with two audiences synced. */
  async function buyerWithAudiences() {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const agentId = await remoteAgent(h, buyer.key, {
      name: 'Audience seller',
      endpointUrl: taker.url,
      protocol: 'mcp',
    });
    const synced = await h.call(
      'POST',
      `/api/v2/buyer/advertisers/${advertiserId}/audiences/sync`,
      {
        key: buyer.key,
        body: {
          audiences: ['aud_loyal', 'aud_lapsed'].map((audienceId) => ({
            audienceId,
            name: audienceId,
            add: [{ externalId: `${audienceId}-1`, hashedEmail: sha(`${audienceId}@example.com`) }],
          })),
        },
      },
    );
    expect(synced.status, synced.text).toBe(202);
    const task = await settled(buyer.key, synced.body.data.taskId);
    expect(task.status, JSON.stringify(task)).toBe('completed');
    return { buyer, advertiserId, agentId };
  }

  const flight = () => {
    const start = new Date(Date.now() + 86_400_000);
    return {
      startDate: start.toISOString(),
      endDate: new Date(start.getTime() + 14 * 86_400_000).toISOString(),
    };
  };

  it('targets and suppresses at the seller that holds the audiences, and names the one that takes none', async () => {
    const { buyer, advertiserId, agentId } = await buyerWithAudiences();
    const found = await discover(h, buyer.key, { advertiserId: Number(advertiserId), brief });
    expect(found.status, found.text).toBe(200);
    const page = found.body.data;
    const picks = [
      productsOfAgent(page, agentId)[0],
      productsOfAgent(page, `storefront-${storefront.platformId}`)[0],
    ];
    expect(picks.every(Boolean), found.text).toBe(true);
    const selected = await h.call('POST', `/api/v2/buyer/discovery/${page.discoveryId}/products`, {
      key: buyer.key,
      body: { products: picks.map((p) => selectionOf(p)) },
    });
    expect(selected.status, selected.text).toBe(200);
    const created = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiserId),
        name: 'Loyalty push',
        flightDates: flight(),
        budget: { total: 40_000, currency: 'USD' },
        discoveryId: page.discoveryId,
        audienceConfig: { targetAudienceIds: ['aud_loyal'], suppressAudienceIds: ['aud_lapsed'] },
      },
    });
    expect(created.status, created.text).toBe(201);
    const campaign = created.body.data.campaign;
    expect(campaign.audiences).toEqual([
      expect.objectContaining({ audienceId: 'aud_lapsed', type: 'SUPPRESS', status: 'READY' }),
      expect.objectContaining({ audienceId: 'aud_loyal', type: 'TARGET', status: 'READY' }),
    ]);

    const takerFrom = taker.toolCalls().length;
    const plainFrom = plain.toolCalls().length;
    const executed = await h.call(
      'POST',
      `/api/v2/buyer/campaigns/${campaign.campaignId}/execute`,
      {
        key: buyer.key,
        body: {},
      },
    );
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data.mediaBuysExecuted, executed.text).toBe(2);

    const creates = (seller: RunningSeller, from: number) =>
      seller
        .toolCalls()
        .slice(from)
        .filter((c) => c.tool === 'create_media_buy');
    const [atTaker] = creates(taker, takerFrom);
    expect((atTaker!.args.packages as Json[])[0].targeting_overlay).toMatchObject({
      audience_include: ['aud_loyal'],
      audience_exclude: ['aud_lapsed'],
    });
    const [atPlain] = creates(plain, plainFrom);
    const plainOverlay = (atPlain!.args.packages as Json[])[0].targeting_overlay ?? {};
    expect(plainOverlay.audience_include).toBeUndefined();
    expect(plainOverlay.audience_exclude).toBeUndefined();
    const warning = (executed.body.data.warnings as Json[]).find(
      (w) => w.type === 'audience_targeting_not_supported',
    );
    expect(warning?.hint).toContain(`storefront-${storefront.platformId}`);
    expect(warning?.hint).toContain('aud_loyal');
  });

  it("validates audienceConfig with a 4xx naming the field: another advertiser's audience is not found", async () => {
    const owner = await buyerWithAudiences();
    const other = await buyerWithAdvertiser(h);
    const body = (audienceConfig: Json, advertiserId = owner.advertiserId) => ({
      advertiserId: Number(advertiserId),
      name: 'Checked',
      flightDates: flight(),
      budget: { total: 1000 },
      audienceConfig,
    });
    const cases: Array<[Json, number, string]> = [
      [{ targetAudienceIds: ['aud_unknown'] }, 404, 'audienceConfig.targetAudienceIds.0'],
      [
        { targetAudienceIds: ['aud_loyal'], suppressAudienceIds: ['aud_loyal'] },
        400,
        'audienceConfig.suppressAudienceIds.0',
      ],
      [{ targetAudienceIds: [''] }, 400, 'audienceConfig.targetAudienceIds.0'],
    ];
    for (const [config, status, field] of cases) {
      const res = await h.call('POST', '/api/v2/buyer/campaigns', {
        key: owner.buyer.key,
        body: body(config),
      });
      expect(res.status, res.text).toBe(status);
      expect(res.body.error.field).toBe(field);
    }
    // Another buyer naming the owner's audience on its own advertiser: not found.
    const stolen = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: other.buyer.key,
      body: body({ suppressAudienceIds: ['aud_loyal'] }, other.advertiserId),
    });
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.field).toBe('audienceConfig.suppressAudienceIds.0');

    // Update adds to the lists; deleteMissing replaces them.
    const created = await h.call('POST', '/api/v2/buyer/campaigns', {
      key: owner.buyer.key,
      body: body({ targetAudienceIds: ['aud_loyal'] }),
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.data.campaign.campaignId;
    const added = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: owner.buyer.key,
      body: { audienceConfig: { suppressAudienceIds: ['aud_lapsed'] } },
    });
    expect(added.body.data.campaign.audiences.map((a: Json) => a.audienceId)).toEqual([
      'aud_lapsed',
      'aud_loyal',
    ]);
    const replaced = await h.call('PUT', `/api/v2/buyer/campaigns/${id}`, {
      key: owner.buyer.key,
      body: { audienceConfig: { targetAudienceIds: [], deleteMissing: true } },
    });
    expect(replaced.body.data.campaign.audiences).toEqual([]);
  });

  it('is taken and checked the same through MCP api_call', async () => {
    const { buyer, advertiserId } = await buyerWithAudiences();
    const agent = await mcpClient(base, 'buyer', buyer.key);
    try {
      const body = {
        advertiserId: Number(advertiserId),
        name: 'Over MCP',
        flightDates: flight(),
        budget: { total: 1000 },
      };
      const created = await agent.call('api_call', {
        method: 'POST',
        path: '/api/v2/buyer/campaigns',
        body: { ...body, audienceConfig: { targetAudienceIds: ['aud_loyal'] } },
      });
      expect(created.status, JSON.stringify(created)).toBe(201);
      expect(created.data.campaign.audiences).toEqual([
        expect.objectContaining({ audienceId: 'aud_loyal', type: 'TARGET' }),
      ]);
      const refused = await agent.call('api_call', {
        method: 'POST',
        path: '/api/v2/buyer/campaigns',
        body: { ...body, audienceConfig: { targetAudienceIds: ['aud_nobody'] } },
      });
      expect(refused.status).toBe(404);
      expect(refused.error.field).toBe('audienceConfig.targetAudienceIds.0');
    } finally {
      await agent.close();
    }
  });
});
