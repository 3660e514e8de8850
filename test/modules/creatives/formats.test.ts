import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import type { Json } from '../buying/buying-support.js';
import { eventually } from '../../support/eventually.js';

let h: Harness;
let demo: RunningSeller;
let other: RunningSeller;
type Sf = { id: number; platformId: string; seller: { key: string } };
let sf: Sf;
let privateSf: Sf;

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_FORMATS_REFRESH_SECONDS: '2',
    // Generous under a loaded machine: a source past its budget answers no formats.
    INTERCHANGE_SOURCE_BUDGET_MS: '15000',
    INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '20000',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  });
  await h.services.jobs.start();
  [demo, other] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }]);
  privateSf = await storefrontWith(h, [{ sourceId: 'other', url: other.url }]);
  // Taken off the marketplace: only its own organisation's buyers may use its agent.
  await h.call('POST', `/api/v2/admin/storefronts/${privateSf.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'hide' },
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([demo?.close(), other?.close()]);
  await h?.close();
});

const agentId = () => `storefront-${sf.platformId}`;
const formatCalls = (seller: RunningSeller) =>
  seller.toolCalls().filter((c) => c.tool === 'list_creative_formats').length;
const listOn = (key: string, query = '&limit=250', app?: FastifyInstance) =>
  h.call('GET', `/api/v2/buyer/formats?salesAgentId=${agentId()}${query}`, { key, app });
const list = (key: string, query?: string) => listOn(key, query);

describe('GET /api/v2/buyer/formats', () => {
  it('lists the agents’ formats, filtered by channel and agent, from a per-buyer cache', async () => {
    // An instance whose refresh is an hour away: this file's 2 s schedule could otherwise ask
    // the seller between two reads on a loaded machine and pass for a cache miss.
    const steady = await h.buildApp(
      { INTERCHANGE_FORMATS_REFRESH_SECONDS: '3600' },
      { services: true },
    );
    const list = (key: string, query?: string) => listOn(key, query, steady);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const before = formatCalls(demo);
    const all = await list(buyer.key);
    expect(all.status, all.text).toBe(200);
    const items = all.body.data.items as Json[];
    expect(items.length).toBeGreaterThan(5);
    expect(items[0]).toMatchObject({
      salesAgentId: agentId(),
      storefrontId: sf.id,
      format: { format_id: { id: expect.any(String), agent_url: expect.any(String) } },
    });
    expect(new Set(items.map((i) => i.channel))).toEqual(new Set(['display', 'video', 'audio']));
    expect(all.body.data.agents).toEqual([
      expect.objectContaining({ salesAgentId: agentId(), error: null, formatCount: items.length }),
    ]);
    expect(formatCalls(demo)).toBe(before + 1);

    const video = await list(buyer.key, '&channel=video');
    expect(video.body.data.items.length).toBeGreaterThan(0);
    expect(video.body.data.items.every((i: Json) => i.channel === 'video')).toBe(true);
    expect(video.body.data.items.map((i: Json) => i.format.format_id.id)).toContain('video_30s');
    // Read from the cache: the seller was not asked again.
    expect(formatCalls(demo)).toBe(before + 1);

    const paged = await list(buyer.key, '&channel=display&limit=2&offset=1');
    expect(paged.body.data).toMatchObject({ total: 6, hasMore: true, nextOffset: 3 });

    const bad = await list(buyer.key, '&channel=billboard');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toContain('channel');
  });

  it('refreshes a buyer’s cached formats on a schedule, through the job queue', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const first = await list(buyer.key);
    const fetchedAt = Date.parse(first.body.data.agents[0].fetchedAt);
    const calls = formatCalls(demo);
    await eventually(
      async () => formatCalls(demo),
      (n) => n > calls,
    );
    expect(formatCalls(demo)).toBeGreaterThan(calls);
    // The job records the answer just after the seller gave it.
    const later = await eventually(
      async () => Date.parse((await list(buyer.key)).body.data.agents[0].fetchedAt),
      (at) => at !== fetchedAt,
    );
    expect(later).toBeGreaterThan(fetchedAt);
  }, 30_000);

  it('shows a buyer only the agents it may use', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const hidden = await h.call(
      'GET',
      `/api/v2/buyer/formats?salesAgentId=storefront-${privateSf.platformId}`,
      { key: buyer.key },
    );
    expect(hidden.status).toBe(200);
    expect(hidden.body.data).toMatchObject({ items: [], total: 0, agents: [] });
    const everything = await h.call('GET', '/api/v2/buyer/formats?limit=250', { key: buyer.key });
    expect(everything.body.data.agents.map((a: Json) => a.salesAgentId)).not.toContain(
      `storefront-${privateSf.platformId}`,
    );
    expect(formatCalls(other)).toBe(0);
    expect((await h.call('GET', '/api/v2/buyer/formats')).status).toBe(401);
  });
});
