import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  eventually,
  executedCampaign,
  type Json,
  mediaBuysOf,
} from './buying-support.js';

let h: Harness;
let demo: RunningSeller;
let sdk: SdkSeller;
type Sf = Awaited<ReturnType<typeof storefrontWith>>;
let manual: Sf;
let auto: Sf;

// Fast looks; a public URL no seller can deliver to, so status sync's polling alone moves buys.
const syncEnv = {
  INTERCHANGE_STATUS_SYNC_MIN_SECONDS: '1',
  INTERCHANGE_STATUS_SYNC_MAX_SECONDS: '2',
  INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  INTERCHANGE_PUBLIC_URL: 'https://interchange.invalid',
  // Room for a loaded machine: discovery must find the storefronts' products to buy them.
  INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '20000',
  INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '30000',
  INTERCHANGE_SOURCE_BUDGET_MS: '15000',
};

beforeAll(async () => {
  h = await createHarness(syncEnv);
  [demo, sdk] = await Promise.all([startSeller('mcp'), startSdkSeller()]);
  manual = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }], {
    mediaBuyApproval: 'manual',
  });
  // @adcp/sdk's reference seller books at once; its buys are followed by polling get_media_buys.
  auto = await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]);
}, 120_000);
afterAll(async () => {
  await Promise.all([demo?.close(), sdk?.close()]);
  await h?.close();
});

/** An instance of the server over the test's database: its own services, listening, working jobs. */
async function instance(): Promise<FastifyInstance> {
  const app = await h.buildApp(syncEnv, { services: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const services = h.servicesOf(app);
  await services.jobs.start();
  await services.mediaBuySync.resume();
  return app;
}

const createsAtDemo = () => demo.toolCalls().filter((c) => c.tool === 'create_media_buy').length;

/** Approves every pending buy in the manual storefront's queue, through `app`. */
async function approveAll(app: FastifyInstance) {
  const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
    key: manual.seller.key,
    app,
  });
  const pending = (queue.body.data.items as Json[]).filter((e) => e.status === 'pending');
  for (const entry of pending) {
    const decided = await h.call(
      'POST',
      `/api/v2/storefront/media-buy-approvals/${entry.mediaBuyId}/decide`,
      { key: manual.seller.key, app, body: { status: 'approved' } },
    );
    expect(decided.status, decided.text).toBe(200);
  }
  return pending.length;
}

/** Buyers with one campaign each over the given storefronts, executed on `app`. */
async function buyersWithBuys(app: FastifyInstance, count: number, stores: Sf[]) {
  const buyers = [];
  for (let i = 0; i < count; i++) {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const { campaignId, executed } = await executedCampaign(
      { ...h, call: (m, u, o = {}) => h.call(m, u, { ...o, app }) },
      buyer.key,
      advertiserId,
      stores,
    );
    expect(executed.errors).toEqual([]);
    buyers.push({ key: buyer.key, advertiserId, campaignId });
  }
  return buyers;
}

const allBuys = async (buyers: Array<{ key: string; advertiserId: string }>) =>
  (await Promise.all(buyers.map((b) => mediaBuysOf(h, b.key, b.advertiserId)))).flat();

describe('status sync across restarts and instances', () => {
  it('picks up after a restart: every buy ends right, none forwarded twice', async () => {
    const first = await instance();
    const buyers = await buyersWithBuys(first, 3, [manual, auto]);
    const before = await allBuys(buyers);
    expect(before.filter((b) => b.status === 'PENDING_APPROVAL')).toHaveLength(3);
    const createsBefore = createsAtDemo();
    // The first instance stops with its looks queued (due within a second or two).
    await first.close();

    // The operator approves while no instance follows the buys; the new one finds out by polling.
    const second = await instance();
    expect(await approveAll(second)).toBe(3);
    const settled = await eventually(
      () => allBuys(buyers),
      (buys) => buys.every((b) => b.status === 'ACTIVE' && b.lastSyncedAt),
      60_000,
    );
    for (const buy of settled) expect(buy.sellerMediaBuyId).toEqual(expect.any(String));
    // Each approved buy reached the source once: on approval, never again from a look or retry.
    expect(createsAtDemo()).toBe(createsBefore + 3);
    for (const buy of settled.filter((b) => b.taskId)) {
      const task = await h.call('GET', `/api/v2/buyer/tasks/${buy.taskId}`, {
        key: buyers.find((x) => x.campaignId === buy.campaignId)!.key,
        app: second,
      });
      expect(task.body.data.task.status).toBe('completed');
    }
    for (const b of buyers) {
      const again = await h.call('POST', `/api/v2/buyer/campaigns/${b.campaignId}/execute`, {
        key: b.key,
        app: second,
        body: {},
      });
      expect(again.body.data.mediaBuysExecuted).toBe(0);
    }
    expect(createsAtDemo()).toBe(createsBefore + 3);
    await second.close();
  }, 150_000);

  it('shares the looks between two instances, each buy moved once', async () => {
    const [one, two] = [await instance(), await instance()];
    const ran = new Map<FastifyInstance, number>();
    for (const app of [one, two]) {
      const campaigns = h.servicesOf(app).campaigns;
      const syncAgent = campaigns.syncAgent;
      campaigns.syncAgent = async (...args) => {
        ran.set(app, (ran.get(app) ?? 0) + 1);
        return syncAgent(...args);
      };
    }
    const buyers = await buyersWithBuys(one, 6, [manual]);
    const pending = await allBuys(buyers);
    expect(pending.every((b) => b.status === 'PENDING_APPROVAL')).toBe(true);
    expect(await approveAll(two)).toBe(6);
    const settled = await eventually(
      () => allBuys(buyers),
      (buys) => buys.every((b) => b.status === 'ACTIVE'),
      60_000,
    );
    // One change applied once: PENDING_APPROVAL → ACTIVE is one revision, whoever looked.
    for (const buy of settled) {
      const was = pending.find((p) => p.mediaBuyId === buy.mediaBuyId)!;
      expect(buy.revision).toBe(was.revision + 1);
    }
    // Both instances ran looks (a few more seconds of the followed buys' backoff at most).
    await eventually(
      async () => [ran.get(one) ?? 0, ran.get(two) ?? 0],
      (counts) => counts.every((n) => n > 0),
      30_000,
    );
    await Promise.all([one.close(), two.close()]);
  }, 150_000);
});
