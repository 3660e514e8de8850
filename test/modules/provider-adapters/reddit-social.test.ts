import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startFakeReddit, type FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import { liveBuyerAgent } from './support.js';
import { connectReddit, postCreative, redditEnv, redditStorefront } from './reddit-support.js';

/*
 * A Reddit-backed storefront offers AdCP's sales-social tools: a buyer's audience becomes a
 * CUSTOMER_LIST custom audience of hashed members, its event source the ad account's pixel (the
 * one Reddit gives the account), and events reach the Conversions API once per event id. The
 * fake Reddit judges what was made; every object belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let reddit: FakeReddit;
let sf: Awaited<ReturnType<typeof redditStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const emails = Array.from({ length: 2600 }, (_, i) => `hiker${i}@example.com`);
const maid = '6D92078A-8246-4BA4-AE5B-76104861E7DC';

beforeAll(async () => {
  reddit = await startFakeReddit({ clientId: 'rd-app-7Qx', clientSecret: 'rd-secret-9f3k2' });
  h = await createHarness(redditEnv(reddit));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  reddit.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await redditStorefront(h);
  await connectReddit(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await reddit?.close();
});

const otherBuyer = async () =>
  agentClient(base, sf.platformId, await sponsoredBuyerKey(h, sf.seller, sf.id));
const membersOf = (id: string) => reddit.state.audiences.get(id)?.members;
const purchase = (eventId: string, extra: Record<string, unknown> = {}) => ({
  event_id: eventId,
  event_type: 'purchase',
  event_time: new Date().toISOString(),
  user_match: { hashed_email: sha('jane@example.com'), client_ip: '203.0.113.9' },
  custom_data: { value: 64.2, currency: 'USD', content_ids: ['tent-2p'] },
  ...extra,
});

describe('a storefront selling through Reddit, for sales-social', () => {
  it('offers audiences, event sources, events and financials, and says it sells sales-social', async () => {
    const { tools } = await agent.client.listTools();
    const names = tools.map((t) => t.name);
    for (const tool of [
      'sync_audiences',
      'sync_event_sources',
      'log_event',
      'get_account_financials',
    ]) {
      expect(names).toContain(tool);
    }
    const caps = await agent.call('get_adcp_capabilities');
    expect(caps.specialisms).toContain('sales-social');
  });

  it("makes a buyer's audience a customer-list custom audience, updates and deletes it", async () => {
    const synced = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'hikers',
          name: 'Hikers',
          audience_type: 'crm',
          add: [
            ...emails.map((e, i) => ({ external_id: `h${i}`, hashed_email: sha(e) })),
            { external_id: 'phone-1', uids: [{ type: 'maid', value: maid }] },
          ],
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const audienceId = synced.audiences[0].seller_id as string;
    const made = reddit.state.audiences.get(audienceId)!;
    expect(made.accountId).toBe('a2_acme1');
    expect(made.name).toMatch(/^Hikers \[ix-[0-9a-f]{16}\]$/);
    // Digests only, at most 2,500 rows a call; the device id hashed here, never sent raw.
    expect(reddit.state.audienceUploads.map((u) => [u.columns, u.rows])).toEqual([
      [['EMAIL_SHA256'], 2500],
      [['EMAIL_SHA256'], 100],
      [['MAID_SHA256'], 1],
    ]);
    expect(membersOf(audienceId)!.has(`MAID_SHA256:${sha(maid.toLowerCase())}`)).toBe(true);
    expect(membersOf(audienceId)!.size).toBe(2601);
    expect(synced.audiences[0]).toMatchObject({
      audience_id: 'hikers',
      action: 'created',
      status: 'ready',
      uploaded_count: 2601,
      matched_count: 2601,
    });

    const trimmed = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'hikers',
          remove: emails
            .slice(0, 1700)
            .map((e, i) => ({ external_id: `h${i}`, hashed_email: sha(e) })),
        },
      ],
    });
    // Reddit targets a customer list from 1,000 matched people.
    expect(trimmed.audiences[0]).toMatchObject({
      action: 'updated',
      seller_id: audienceId,
      status: 'too_small',
      matched_count: 901,
    });
    expect(reddit.state.audiences.size).toBe(1);

    const deleted = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [{ audience_id: 'hikers', delete: true }],
    });
    expect(deleted.audiences[0]).toMatchObject({ audience_id: 'hikers', action: 'deleted' });
    expect(reddit.state.audiences.has(audienceId)).toBe(false);
  });

  it('finds an audience whose create answer was lost by its name, instead of making two', async () => {
    const request = {
      account,
      audiences: [
        {
          audience_id: 'campers',
          name: 'Campers',
          add: [{ external_id: 'c1', hashed_email: sha('camper@example.com') }],
        },
      ],
    };
    reddit.state.loseAnswerOf = '/custom_audiences';
    const lost = await agent.call('sync_audiences', { ...request, idempotency_key: randomUUID() });
    expect(lost.isError).toBe(true);
    expect(JSON.stringify(lost)).toContain('SERVICE_UNAVAILABLE');
    const retried = await agent.call('sync_audiences', {
      ...request,
      idempotency_key: randomUUID(),
    });
    expect(retried.isError, JSON.stringify(retried)).toBe(false);
    const campers = [...reddit.state.audiences.entries()].filter(([, a]) =>
      a.name.startsWith('Campers ['),
    );
    expect(campers).toHaveLength(1);
    expect(retried.audiences[0]).toMatchObject({ seller_id: campers[0]![0], status: 'too_small' });
    expect(campers[0]![1].members.size).toBe(1);
  });

  it("sends events to the account pixel's Conversions API once per event id", async () => {
    const synced = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'shop', name: 'Gear shop', event_types: ['purchase'] }],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    // The account's own pixel, and the buyer's tag for its conversion ids.
    expect(synced.event_sources[0]).toMatchObject({ event_source_id: 'shop', action: 'created' });
    expect(synced.event_sources[0].seller_id).toMatch(/^a2_acme1:ix-[0-9a-f]{16}$/);
    const scope = (synced.event_sources[0].seller_id as string).split(':')[1];

    const events = [
      purchase('order-77'),
      {
        event_id: 'signup-5',
        event_type: 'subscribe',
        event_time: new Date().toISOString(),
        user_match: { click_id: 'rdt-click-1' },
      },
      // Older than Reddit's 7 days: reported, not sent.
      purchase('order-1', { event_time: new Date(Date.now() - 8 * 86_400_000).toISOString() }),
    ];
    for (let i = 0; i < 2; i++) {
      const logged = await agent.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
        events,
      });
      expect(logged.isError, JSON.stringify(logged)).toBe(false);
      expect(logged).toMatchObject({ events_received: 3, events_processed: 2 });
      expect(logged.partial_failures).toMatchObject([{ event_id: 'order-1' }]);
    }
    // The retried call counted nothing twice.
    expect(reddit.state.conversions).toHaveLength(2);
    const [bought, subscribed] = reddit.state.conversions;
    expect(bought).toMatchObject({
      pixelId: 'a2_acme1',
      event: {
        action_source: 'WEBSITE',
        type: { tracking_type: 'PURCHASE' },
        user: { email: sha('jane@example.com'), ip_address: '203.0.113.9' },
        metadata: {
          conversion_id: `${scope}:order-77`,
          value: 64.2,
          currency: 'USD',
          products: [{ id: 'tent-2p' }],
        },
      },
    });
    expect(Math.abs(Number(bought!.event.event_at) - Date.now())).toBeLessThan(120_000);
    expect(subscribed!.event).toMatchObject({
      click_id: 'rdt-click-1',
      type: { tracking_type: 'CUSTOM', custom_event_name: 'subscribe' },
    });

    // A test code goes to Reddit's test view, not into the account's conversions.
    const tested = await agent.call('log_event', {
      idempotency_key: randomUUID(),
      event_source_id: 'shop',
      test_event_code: 'rdt-test-42',
      events: [purchase('order-test')],
    });
    expect(tested.isError, JSON.stringify(tested)).toBe(false);
    expect(reddit.state.testConversions).toMatchObject([{ testId: 'rdt-test-42' }]);
    expect(reddit.state.conversions).toHaveLength(2);
  });

  it("keeps each buyer's audiences and event sources its own", async () => {
    const mine = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        { audience_id: 'same-id', add: [{ external_id: 'a', hashed_email: sha('a@x.example') }] },
      ],
    });
    expect(mine.isError, JSON.stringify(mine)).toBe(false);
    const other = await otherBuyer();
    try {
      const theirs = await other.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account,
        audiences: [
          { audience_id: 'same-id', add: [{ external_id: 'b', hashed_email: sha('b@x.example') }] },
        ],
      });
      expect(theirs.isError, JSON.stringify(theirs)).toBe(false);
      expect(theirs.audiences[0].action).toBe('created');
      expect(theirs.audiences[0].seller_id).not.toBe(mine.audiences[0].seller_id);
      expect(membersOf(mine.audiences[0].seller_id)!.size).toBe(1);
      expect(membersOf(theirs.audiences[0].seller_id)!.size).toBe(1);
      // Deleting "same-id" deletes the other buyer's own audience, not the first one's.
      await other.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account,
        audiences: [{ audience_id: 'same-id', delete: true }],
      });
      expect(reddit.state.audiences.has(mine.audiences[0].seller_id)).toBe(true);

      const intruding = await other.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
        events: [purchase('spoof')],
      });
      expect(intruding.isError).toBe(true);
      expect(JSON.stringify(intruding)).toContain('REFERENCE_NOT_FOUND');
      const sent = () =>
        reddit.state.conversions.map(
          (c) => (c.event.metadata as { conversion_id: string }).conversion_id,
        );
      expect(sent().some((id) => id.endsWith(':spoof'))).toBe(false);

      // Its own event source shares the account's pixel, but not the first buyer's event ids:
      // its "order-77" is its own conversion, not deduplicated away as the first one's.
      const own = await other.call('sync_event_sources', {
        idempotency_key: randomUUID(),
        account,
        event_sources: [{ event_source_id: 'shop', name: 'Other shop' }],
      });
      expect(own.event_sources[0].seller_id).toMatch(/^a2_acme1:ix-/);
      const logged = await other.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
        events: [purchase('order-77')],
      });
      expect(logged).toMatchObject({ events_received: 1, events_processed: 1 });
      expect(sent().filter((id) => id.endsWith(':order-77'))).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it("tells a buyer its own spend at this source, never the operator's account balance", async () => {
    const found = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'Reddit feed',
      brand: { domain: 'acmeoutdoor.example' },
    });
    const product = found.products.find((p: { name: string }) => p.name === 'Reddit feed');
    const bought = await agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account,
      brand: { domain: 'acmeoutdoor.example' },
      start_time: 'asap',
      end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      packages: [
        {
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget: 400,
          targeting_overlay: { geo_countries: ['US'] },
          creatives: [postCreative],
        },
      ],
    });
    expect(bought.isError, JSON.stringify(bought)).toBe(false);
    const [group] = reddit.state.ofKind('ad_group');
    reddit.state.deliver(group!.id, { impressions: 9_000, clicks: 51, spend: 87.65 });

    const financials = await agent.call('get_account_financials', { account });
    expect(financials.isError, JSON.stringify(financials)).toBe(false);
    expect(financials).toMatchObject({
      currency: 'USD',
      timezone: 'UTC',
      spend: { total_spend: 87.65, media_buy_count: 1 },
    });
    expect(financials.balance).toBeUndefined();
    expect(financials.credit).toBeUndefined();

    const other = await otherBuyer();
    try {
      const theirs = await other.call('get_account_financials', { account });
      expect(theirs.spend).toMatchObject({ total_spend: 0, media_buy_count: 0 });
    } finally {
      await other.close();
    }
  });

  it("reports Reddit's throttling and outage as AdCP errors, and keeps tokens to itself", async () => {
    const request = {
      account,
      audiences: [
        {
          audience_id: 'climbers',
          name: 'Climbers',
          add: [{ external_id: 'k1', hashed_email: sha('k1@example.com') }],
        },
      ],
    };
    reddit.state.failNext(429, { error: { code: 429, message: 'Too Many Requests' } });
    const throttled = await agent.call('sync_audiences', {
      ...request,
      idempotency_key: randomUUID(),
    });
    expect(throttled.isError).toBe(true);
    expect(JSON.stringify(throttled)).toContain('RATE_LIMITED');
    // Reddit's windows are a minute long: the buyer is told to wait that long.
    expect(JSON.stringify(throttled)).toMatch(/retry_after\\?":60\b/);

    // A read is tried twice; both failing is an outage.
    reddit.state.failNext(503, { error: { code: 503, message: 'Service Unavailable' } });
    reddit.state.failNext(503, { error: { code: 503, message: 'Service Unavailable' } });
    const down = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'app', name: 'App' }],
    });
    expect(down.isError).toBe(true);
    expect(JSON.stringify(down)).toContain('SERVICE_UNAVAILABLE');

    // Once Reddit answers again the audience is made, once.
    const made = await agent.call('sync_audiences', { ...request, idempotency_key: randomUUID() });
    expect(made.isError, JSON.stringify(made)).toBe(false);
    expect(
      [...reddit.state.audiences.values()].filter((a) => a.name.startsWith('Climbers [')),
    ).toHaveLength(1);

    // No token Reddit issued is in any answer or log line.
    expect(reddit.state.tokens.size).toBeGreaterThan(0);
    for (const token of reddit.state.tokens.keys()) {
      expect(h.rawLogs()).not.toContain(token);
      expect(JSON.stringify(made)).not.toContain(token);
      expect(JSON.stringify(down)).not.toContain(token);
    }
  });
});
