import { signWebhook } from '@adcp/sdk/signing/client';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519FromSeed } from '../../../src/platform/crypto/signing-key.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  eventually,
  executedCampaign,
  type Json,
  mediaBuysOf,
  productsOfAgent,
  remoteAgent,
  selectionOf,
} from './buying-support.js';

let h: Harness;
let base: string;
let demo: RunningSeller;
type Sf = Awaited<ReturnType<typeof storefrontWith>>;
let manual: Sf;

beforeAll(async () => {
  // A first look five minutes after a change: whatever moves a buy sooner is a push notification.
  h = await createHarness({
    INTERCHANGE_STATUS_SYNC_MIN_SECONDS: '300',
    // The agents name their URLs (brand.json, cards) on the port this server really listens on.
    INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0',
    // Room for a loaded machine: discovery must find the storefront's products to buy one.
    INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '20000',
    INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '30000',
    INTERCHANGE_SOURCE_BUDGET_MS: '15000',
  });
  base = await listen(h);
  // Push notifications are addressed to where this server really listens.
  h.services.trustOwnOrigin(base);
  await h.services.jobs.start();
  demo = await startSeller('mcp');
  manual = await storefrontWith(h, [{ sourceId: 'demo', url: demo.url }], {
    mediaBuyApproval: 'manual',
  });
}, 60_000);
afterAll(async () => {
  await demo?.close();
  await h?.close();
});

const webhookPath = (mediaBuyId: string) => `/api/v2/buyer/webhooks/adcp/media-buys/${mediaBuyId}`;

/** Posts a notification over real HTTP, signed with `key` unless it is null. */
async function notify(
  mediaBuyId: string,
  payload: Record<string, unknown>,
  key: ReturnType<typeof ed25519FromSeed> | null,
  replayOf?: { headers: Record<string, string>; body: string },
) {
  const url = `${base}${webhookPath(mediaBuyId)}`;
  const body = replayOf?.body ?? JSON.stringify(payload);
  const headers = replayOf?.headers ?? {
    'content-type': 'application/json',
    ...(key &&
      signWebhook(
        { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
        { keyid: key.keyid, alg: 'ed25519', privateKey: key.privateKey as never },
      ).headers),
  };
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Json, sent: { headers, body } };
}

/** A buyer's campaign on the manual storefront, executed: its one buy awaits the operator. */
async function awaitingApproval() {
  const { buyer, advertiserId } = await buyerWithAdvertiser(h);
  const { executed } = await executedCampaign(h, buyer.key, advertiserId, [manual]);
  expect(executed).toMatchObject({ success: true, mediaBuysExecuted: 1 });
  const [buy] = await mediaBuysOf(h, buyer.key, advertiserId);
  return { buyer, advertiserId, buy: buy as Json };
}

async function approve(buy: Json) {
  const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', {
    key: manual.seller.key,
  });
  const entry = (queue.body.data.items as Json[]).find(
    (e) => e.status === 'pending' && JSON.stringify(e.submittedPayload).includes(buy.mediaBuyId),
  );
  expect(entry, JSON.stringify(queue.body.data.items)).toBeTruthy();
  const decided = await h.call(
    'POST',
    `/api/v2/storefront/media-buy-approvals/${entry.mediaBuyId}/decide`,
    { key: manual.seller.key, body: { status: 'approved' } },
  );
  expect(decided.status, decided.text).toBe(200);
}

const getBuy = async (key: string, id: string) =>
  (await h.call('GET', `/api/v2/buyer/media-buys/${id}`, { key })).body.data.mediaBuy as Json;

describe('a buy awaiting the publisher’s approval', () => {
  it('is a task, and reaches ACTIVE through the seller’s signed push notification, then pauses and resumes', async () => {
    const { buyer, buy } = await awaitingApproval();
    expect(buy).toMatchObject({
      status: 'PENDING_APPROVAL',
      pendingReason: 'awaiting_storefront_approval',
      sellerMediaBuyId: null,
      taskId: expect.any(String),
    });
    const task = await h.call('GET', `/api/v2/buyer/tasks/${buy.taskId}`, { key: buyer.key });
    expect(task.status, task.text).toBe(200);
    expect(task.body.data.task).toMatchObject({
      taskId: buy.taskId,
      taskType: 'media_buy_create',
      status: 'submitted',
      resourceType: 'media_buy',
      resourceId: buy.mediaBuyId,
      error: null,
      retryAfterSeconds: 300,
    });

    const looksBefore = demo.toolCalls().filter((c) => c.tool === 'get_media_buys').length;
    await approve(buy);
    // Status sync's first look is minutes away: only the notification can have moved it.
    const active = await eventually(
      () => getBuy(buyer.key, buy.mediaBuyId),
      (b) => b.status === 'ACTIVE',
      30_000,
    );
    expect(active).toMatchObject({
      sellerMediaBuyId: expect.any(String),
      lastSyncedAt: expect.any(String),
    });
    expect(active.packages[0].packageId).not.toBe(active.packages[0].productId);
    expect(demo.toolCalls().filter((c) => c.tool === 'get_media_buys')).toHaveLength(looksBefore);
    const settled = await h.call('GET', `/api/v2/buyer/tasks/${buy.taskId}`, { key: buyer.key });
    expect(settled.body.data.task).toMatchObject({
      status: 'completed',
      retryAfterSeconds: null,
      response: { media_buy_id: expect.any(String) },
    });

    const paused = await h.call('POST', `/api/v2/buyer/media-buys/${buy.mediaBuyId}/pause`, {
      key: buyer.key,
    });
    expect(paused.body.data, paused.text).toMatchObject({ newStatus: 'PAUSED', success: true });
    const resumed = await h.call('POST', `/api/v2/buyer/media-buys/${buy.mediaBuyId}/reactivate`, {
      key: buyer.key,
    });
    expect(resumed.body.data, resumed.text).toMatchObject({ newStatus: 'ACTIVE', success: true });
  }, 60_000);

  it('refuses an unsigned, a forged and a replayed notification, changing nothing', async () => {
    const { buyer, buy } = await awaitingApproval();
    const task = (await h.call('GET', `/api/v2/buyer/tasks/${buy.taskId}`, { key: buyer.key })).body
      .data.task as Json;
    const sellerTaskId = task.metadata.sellerTaskId as string;
    const approved = {
      idempotency_key: randomBytes(8).toString('hex'),
      task_id: sellerTaskId,
      task_type: 'create_media_buy',
      status: 'completed',
      timestamp: new Date().toISOString(),
      result: { media_buy_id: 'mb_forged', status: 'active', packages: [] },
    };
    const unsigned = await notify(buy.mediaBuyId, approved, null);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('UNAUTHORIZED');
    const forger = ed25519FromSeed(randomBytes(32));
    expect((await notify(buy.mediaBuyId, approved, forger)).status).toBe(401);
    const unknownBuy = await notify('mb_nonexistent', approved, forger);
    expect(unknownBuy.status).toBe(401);
    expect(unknownBuy.body.error.message).toBe(unsigned.body.error.message);
    expect(await getBuy(buyer.key, buy.mediaBuyId)).toMatchObject({
      status: 'PENDING_APPROVAL',
      revision: buy.revision,
    });

    // Signed by the storefront agents' own key, but about nothing this buy waits on.
    const agentKey = ed25519FromSeed(h.secrets.derive('interchange webhook signing v1'));
    const stray = await notify(buy.mediaBuyId, { ...approved, task_id: 'task_other' }, agentKey);
    expect(stray.status).toBe(401);

    // A genuine notification (the seller says it is still working) is accepted once.
    const working = await notify(buy.mediaBuyId, { ...approved, status: 'working' }, agentKey);
    expect(working.status, JSON.stringify(working.body)).toBe(200);
    const replayed = await notify(buy.mediaBuyId, {}, null, working.sent);
    expect(replayed.status).toBe(401);
    const after = (await h.call('GET', `/api/v2/buyer/tasks/${buy.taskId}`, { key: buyer.key }))
      .body.data.task;
    expect(after.status).toBe('working');
    expect(await getBuy(buyer.key, buy.mediaBuyId)).toMatchObject({
      status: 'PENDING_APPROVAL',
      sellerMediaBuyId: null,
    });
  });
});

describe('a remote agent that names its signing keys', () => {
  it('is asked for push notifications, and its signed notification is verified through its brand.json', async () => {
    // The manual storefront's agent registered by URL: its capabilities name its brand.json,
    // which lists it with the JWKS its notifications are signed with.
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const endpointUrl = `${base}/adcp/storefront-${manual.platformId}/mcp`;
    const agentId = await remoteAgent(h, buyer.key, {
      name: 'A storefront by URL',
      endpointUrl,
      auth: { type: 'bearer', token: buyer.key },
    });
    const brandJson = (await (
      await fetch(`${base}/adcp/storefront-${manual.platformId}/.well-known/brand.json`)
    ).json()) as Json;
    expect(brandJson.agents).toContainEqual(
      expect.objectContaining({ url: endpointUrl, jwks_uri: `${base}/.well-known/jwks.json` }),
    );

    const found = await discover(h, buyer.key, {
      advertiserId: Number(advertiserId),
      brief: 'Outdoor display for a spring launch',
      salesAgentIds: [agentId],
    });
    const [product] = productsOfAgent(found.body.data, agentId);
    expect(product, found.text).toBeDefined();
    const discoveryId = found.body.data.discoveryId as string;
    await h.call('POST', `/api/v2/buyer/discovery/${discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(product)] },
    });
    const campaignId = await campaignOver(h, buyer.key, advertiserId, discoveryId);
    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
      body: {},
    });
    expect(executed.body.data, executed.text).toMatchObject({ mediaBuysExecuted: 1 });
    const [buy] = await mediaBuysOf(h, buyer.key, advertiserId);
    expect(buy).toMatchObject({ salesAgentId: agentId, status: 'PENDING_APPROVAL' });

    const looksBefore = demo.toolCalls().filter((c) => c.tool === 'get_media_buys').length;
    await approve(buy);
    // Status sync's first look is minutes away: only the verified notification moves it.
    await eventually(
      () => getBuy(buyer.key, buy.mediaBuyId),
      (b) => b.status === 'ACTIVE',
      30_000,
    );
    expect(demo.toolCalls().filter((c) => c.tool === 'get_media_buys')).toHaveLength(looksBefore);
  }, 60_000);
});

describe('delivery reports', () => {
  it('acknowledges a signed delivery notification and leaves the buy as it was', async () => {
    const { buyer, buy } = await awaitingApproval();
    const agentKey = ed25519FromSeed(h.secrets.derive('interchange webhook signing v1'));
    const report = await notify(
      buy.mediaBuyId,
      {
        idempotency_key: randomBytes(8).toString('hex'),
        notification_type: 'scheduled',
        reporting_period: { start: new Date().toISOString(), end: new Date().toISOString() },
        media_buy_deliveries: [],
      },
      agentKey,
    );
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(await getBuy(buyer.key, buy.mediaBuyId)).toMatchObject({
      status: 'PENDING_APPROVAL',
      revision: buy.revision,
    });
    const unsigned = await notify(buy.mediaBuyId, { notification_type: 'final' }, null);
    expect(unsigned.status).toBe(401);
  });

  it('records a signed delivery report of a live buy in the buyer’s reporting, once', async () => {
    const { buyer, buy } = await awaitingApproval();
    await approve(buy);
    const active = await eventually(
      () => getBuy(buyer.key, buy.mediaBuyId),
      (b) => b.status === 'ACTIVE',
      30_000,
    );
    const agentKey = ed25519FromSeed(h.secrets.derive('interchange webhook signing v1'));
    // One moment for the period and the query: a run crossing midnight UTC must not report a
    // day and then ask for the next.
    const at = new Date().toISOString();
    const today = at.slice(0, 10);
    const report = (sellerMediaBuyId: string) => ({
      idempotency_key: randomBytes(8).toString('hex'),
      notification_type: 'scheduled',
      reporting_period: { start: `${today}T00:00:00Z`, end: at },
      currency: 'USD',
      media_buy_deliveries: [
        {
          media_buy_id: sellerMediaBuyId,
          by_package: [{ package_id: 'pkg_pushed', impressions: 1234, clicks: 5, spend: 6.17 }],
        },
      ],
    });
    // Another buy's figures in a notification addressed to this buy count for nothing.
    const stray = await notify(buy.mediaBuyId, report('mb_someone_else'), agentKey);
    expect(stray.status).toBe(200);
    // Sent twice (a seller retrying): the day is replaced, not added to.
    for (let i = 0; i < 2; i++) {
      const sent = await notify(buy.mediaBuyId, report(active.sellerMediaBuyId), agentKey);
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    }
    const metrics = await h.call(
      'GET',
      `/api/v2/buyer/reporting/metrics?mediaBuyId=${buy.mediaBuyId}&startDate=${today}&endDate=${today}`,
      { key: buyer.key },
    );
    expect(metrics.status, metrics.text).toBe(200);
    expect(metrics.body.data.totals).toMatchObject({ impressions: 1234, clicks: 5, spend: 6.17 });
  }, 60_000);
});

describe('tasks', () => {
  it("answers 404 for another buyer's task and 400 for a malformed id", async () => {
    const { buy } = await awaitingApproval();
    const other = await createCustomer(h, { role: 'BUYER' });
    const stranger = await h.call('GET', `/api/v2/buyer/tasks/${buy.taskId}`, { key: other.key });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe('NOT_FOUND');
    const malformed = await h.call('GET', '/api/v2/buyer/tasks/not-a-uuid', { key: other.key });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'taskId' });
    const anonymous = await h.call('GET', `/api/v2/buyer/tasks/${buy.taskId}`);
    expect(anonymous.status).toBe(401);
  });
});
