import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { eventually } from '../../support/eventually.js';
import { startNotificationReceiver } from '../../support/notification-receiver.js';
import { buyerWithAdvertiser } from '../buying/buying-support.js';

/**
 * Hosted's only webhook event type, `discovery.revision` (a discovery session has new results),
 * subscribed to exactly as hosted's POST /webhook-subscriptions documents it, and delivered,
 * signed, to a receiver on a real socket each time a round of the buyer's session is recorded;
 * never shown in the inbox, never told to a buyer who did not subscribe.
 */
let h: Harness;
let seller: RunningSeller;
let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;
let base: string;

beforeAll(async () => {
  [seller, receiver] = await Promise.all([startSeller('mcp'), startNotificationReceiver()]);
  h = await createHarness({
    // The seller is probed once, on a machine that may be busy: no flake on a slow answer.
    INTERCHANGE_PROBE_TIMEOUT_MS: '20000',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
    INTERCHANGE_NOTIFICATIONS_SWEEP_SECONDS: '0',
  });
  await h.services.jobs.start();
  await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await Promise.all([seller?.close(), receiver?.close()]);
});

const secret = 'whsec_0123456789abcdef0123';

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const json: any = await res.json();
  return { status: res.status, body: json };
}

const revisionsOf = (discoveryId: string) =>
  receiver.received.filter((p) => p.body?.data?.discoveryId === discoveryId);

describe('discovery.revision webhooks', () => {
  it('delivers each recorded round of a session to the subscribed buyer, signed', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const created = await call('POST', '/api/v2/buyer/webhook-subscriptions', buyer.key, {
      url: receiver.url,
      secret,
      eventTypes: ['discovery.revision'],
    });
    expect(created.status).toBe(201);
    expect(created.body.data.subscription.eventTypes).toEqual(['discovery.revision']);

    const brief = 'Premium video for a back-to-school campaign';
    const first = await call('POST', '/api/v2/buyer/discovery/discover-products', buyer.key, {
      advertiserId,
      brief,
    });
    expect(first.status).toBe(200);
    const { discoveryId } = first.body.data;
    const again = await call('POST', '/api/v2/buyer/discovery/discover-products', buyer.key, {
      advertiserId,
      discoveryId,
      brief: `${brief}, CTV only`,
    });
    expect(again.body.data.revision).toBe(2);

    await eventually(
      async () => revisionsOf(discoveryId).length,
      (n) => n === 2,
      60_000,
    );
    const posts = revisionsOf(discoveryId).sort(
      (a, b) => a.body.data.revision - b.body.data.revision,
    );
    expect(posts.map((p) => p.body.type)).toEqual(['discovery.revision', 'discovery.revision']);
    expect(posts[1]!.body.data).toMatchObject({
      discoveryId,
      advertiserId: String(advertiserId),
      revision: 2,
      resultsComplete: again.body.data.resultsComplete,
      totalStorefrontCount: again.body.data.progress.totalStorefrontCount,
    });
    const [t, v1] = String(posts[1]!.headers['x-interchange-signature']).split(',');
    const stamp = t!.replace('t=', '');
    expect(v1).toBe(
      `v1=${createHmac('sha256', secret).update(`${stamp}.${posts[1]!.raw}`).digest('hex')}`,
    );
    // Webhook events are not notifications a person reads.
    const inbox = await call('GET', '/api/v2/notifications', buyer.key);
    expect(inbox.body.data).toMatchObject({ totalCount: 0, unreadCount: 0 });
  });

  it('tells a buyer who did not subscribe nothing, and records nothing for it', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const other = await call('POST', '/api/v2/buyer/webhook-subscriptions', buyer.key, {
      url: receiver.url,
      secret,
      eventTypes: ['media_buy.approved'],
    });
    expect(other.status).toBe(201);
    const found = await call('POST', '/api/v2/buyer/discovery/discover-products', buyer.key, {
      advertiserId,
      brief: 'Audio for a summer launch',
    });
    expect(found.status).toBe(200);
    const log = await call(
      'GET',
      `/api/v2/buyer/webhook-subscriptions/${other.body.data.subscription.id}/deliveries`,
      buyer.key,
    );
    expect(log.body.data.deliveries).toEqual([]);
    expect(revisionsOf(found.body.data.discoveryId)).toEqual([]);
  });
});
