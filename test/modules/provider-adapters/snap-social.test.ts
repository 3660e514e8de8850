import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeSnap, type FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import { liveBuyerAgent } from './support.js';
import { connectSnap, snapCreative, snapEnv, snapStorefront } from './snap-support.js';

/*
 * A Snap-backed storefront offers AdCP's sales-social tools: a buyer's audience becomes a
 * customer-list segment of hashed identifiers in the connected ad account, its event source is
 * the account's Snap Pixel, events reach the Conversions API, and get_account_financials tells
 * the buyer its own spend. The fake Snap judges what it receives; every object on our side
 * belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let snap: FakeSnap;
let images: ImageHost;
let sf: Awaited<ReturnType<typeof snapStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const active = '8adc3db7-8148-4fbf-999c-8d2266369d74';
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const emails = Array.from({ length: 1200 }, (_, i) => `hiker${i}@example.com`);
const maid = 'AEBE52E7-03EE-455A-B3C4-E57283966239';

beforeAll(async () => {
  snap = await startFakeSnap({ clientId: 'snap-client-7', clientSecret: 'snap-secret-soc1al' });
  images = await startImageHost();
  h = await createHarness(snapEnv(snap));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  snap.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await snapStorefront(h);
  await connectSnap(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await snap?.close();
  await images?.close();
});

const segments = () => snap.state.ofKind('segment', active).filter((s) => !s.deleted);
const usersOf = (segmentId: string, schema: string) =>
  snap.state.segmentUsers.get(segmentId)?.get(schema);
const callsTo = (method: string, path: string) =>
  snap.state.calls.filter((c) => c.method === method && c.path === path);
const pixel = () => snap.state.ofKind('pixel', active)[0]!;
const sync = (client: typeof agent, audiences: unknown[]) =>
  client.call('sync_audiences', { idempotency_key: randomUUID(), account, audiences });
const purchase = (eventId: string, extra: Record<string, unknown> = {}) => ({
  event_id: eventId,
  event_type: 'purchase',
  event_time: new Date().toISOString(),
  event_source_url: 'https://acmeoutdoor.example/checkout',
  user_match: { hashed_email: sha('jane@example.com'), client_ip: '203.0.113.9' },
  custom_data: { value: 64.2, currency: 'GBP', order_id: eventId },
  ...extra,
});

describe('a storefront selling through Snap, for sales-social', () => {
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

  it("makes a buyer's audience a customer-list segment of digests, changes, reads and deletes it", async () => {
    // Anything that is not a SHA-256 digest is refused before Snap hears of it: by AdCP's schema,
    // or by us where the schema leaves it open (a uid).
    const raw = await sync(agent, [
      { audience_id: 'raw', add: [{ external_id: 'j', hashed_email: 'jane@example.com' }] },
    ]);
    expect(JSON.stringify(raw)).toContain('VALIDATION_ERROR');
    const rawUid = await sync(agent, [
      {
        audience_id: 'raw',
        add: [{ external_id: 'j', uids: [{ type: 'hashed_email', value: 'jane@example.com' }] }],
      },
    ]);
    expect(rawUid.audiences[0], JSON.stringify(rawUid)).toMatchObject({
      audience_id: 'raw',
      action: 'failed',
    });
    expect(segments()).toHaveLength(0);
    expect(JSON.stringify(snap.state.calls)).not.toContain('segments');

    const synced = await sync(agent, [
      {
        audience_id: 'hikers',
        name: 'Hikers',
        audience_type: 'crm',
        add: [
          ...emails.map((e, i) => ({ external_id: `h${i}`, hashed_email: sha(e) })),
          { external_id: 'device', uids: [{ type: 'maid', value: maid }] },
        ],
      },
    ]);
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [segment, ...more] = segments();
    expect(more).toHaveLength(0);
    expect(segment!.fields).toMatchObject({
      ad_account_id: active,
      source_type: 'FIRST_PARTY',
      retention_in_days: 9999,
    });
    expect(segment!.fields.name).toMatch(/^Hikers \[ix-[0-9a-f]{16}\]$/);
    expect(usersOf(segment!.id, 'EMAIL_SHA256')?.size).toBe(1200);
    // The device id left us as Snap's digest of it, lower-cased; never as it is.
    expect([...usersOf(segment!.id, 'MOBILE_AD_ID_SHA256')!]).toEqual([sha(maid.toLowerCase())]);
    expect(JSON.stringify(synced)).not.toContain(maid);
    // One users request per identifier type, each under Snap's 100,000 a request.
    expect(callsTo('POST', `/segments/${segment!.id}/users`)).toHaveLength(2);
    expect(synced.audiences[0]).toMatchObject({
      audience_id: 'hikers',
      seller_id: segment!.id,
      action: 'created',
      status: 'ready',
      uploaded_count: 1201,
      matched_count: 1201,
    });

    const trimmed = await sync(agent, [
      {
        audience_id: 'hikers',
        remove: emails
          .slice(0, 300)
          .map((e, i) => ({ external_id: `h${i}`, hashed_email: sha(e) })),
      },
    ]);
    expect(trimmed.audiences[0], JSON.stringify(trimmed)).toMatchObject({
      action: 'updated',
      seller_id: segment!.id,
      // Snap targets a customer list from 1,000 people.
      status: 'too_small',
      matched_count: 901,
    });
    expect(callsTo('DELETE', `/segments/${segment!.id}/users`)).toHaveLength(1);
    expect(segments()).toHaveLength(1);

    // Without audiences: the buyer's own, as Snap reports them now.
    const listed = await agent.call('sync_audiences', { idempotency_key: randomUUID(), account });
    expect(listed.audiences).toEqual([
      expect.objectContaining({ audience_id: 'hikers', status: 'too_small', matched_count: 901 }),
    ]);

    const deleted = await sync(agent, [{ audience_id: 'hikers', delete: true }]);
    expect(deleted.audiences[0]).toMatchObject({ audience_id: 'hikers', action: 'deleted' });
    expect(segment!.deleted).toBe(true);
    expect(segments()).toHaveLength(0);
  });

  it('finds a segment whose answer was lost by its name on the next sync, instead of making two', async () => {
    const audience = {
      audience_id: 'lost-once',
      name: 'Lost once',
      add: [{ external_id: 'a', hashed_email: sha('a@example.com') }],
    };
    snap.state.loseAnswerOf = 'segment';
    const lost = await sync(agent, [audience]);
    expect(JSON.stringify(lost)).toContain('SERVICE_UNAVAILABLE');
    const named = () => segments().filter((s) => String(s.fields.name).startsWith('Lost once ['));
    // Made at Snap all the same, and not sent again by us.
    expect(named()).toHaveLength(1);

    const again = await sync(agent, [audience]);
    expect(again.isError, JSON.stringify(again)).toBe(false);
    expect(named()).toHaveLength(1);
    expect(again.audiences[0].seller_id).toBe(named()[0]!.id);
    expect(usersOf(named()[0]!.id, 'EMAIL_SHA256')?.size).toBe(1);
  });

  it("sends events to the account's pixel through the Conversions API, once per event id", async () => {
    const synced = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'shop', name: 'Trail shop', event_types: ['purchase'] }],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    // Snap makes pixels in Ads Manager only: the event source is the account's one pixel.
    expect(synced.event_sources[0]).toMatchObject({
      event_source_id: 'shop',
      seller_id: pixel().id,
      action: 'created',
    });

    for (let i = 0; i < 2; i++) {
      const logged = await agent.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
        events: [
          purchase('order-88', {
            user_match: { hashed_email: sha('jane@example.com'), click_id: 'sc-click-1' },
          }),
        ],
      });
      expect(logged.isError, JSON.stringify(logged)).toBe(false);
      expect(logged).toMatchObject({ events_received: 1, events_processed: 1 });
    }
    const counted = () => snap.state.events.filter((e) => !e.test);
    expect(counted()).toHaveLength(1);
    expect(counted()[0]).toMatchObject({
      pixelId: pixel().id,
      event: {
        event_name: 'PURCHASE',
        event_id: 'order-88',
        action_source: 'WEB',
        event_source_url: 'https://acmeoutdoor.example/checkout',
        user_data: { em: [sha('jane@example.com')], sc_click_id: 'sc-click-1' },
        custom_data: { value: '64.2', currency: 'GBP', order_id: 'order-88' },
      },
    });

    // Events Snap would refuse (and with them their whole batch) are reported apart.
    const mixed = await agent.call('log_event', {
      idempotency_key: randomUUID(),
      event_source_id: 'shop',
      events: [
        purchase('no-value', { custom_data: {} }),
        purchase('in-app', { action_source: 'app' }),
        purchase('a-lead', { event_type: 'lead' }),
        purchase('loyalty', { event_type: 'custom', custom_event_name: 'custom_event_2' }),
        purchase('store', { action_source: 'in_store', event_source_url: undefined }),
      ],
    });
    expect(mixed.isError, JSON.stringify(mixed)).toBe(false);
    expect(mixed).toMatchObject({ events_received: 5, events_processed: 2 });
    const failed = Object.fromEntries(
      mixed.partial_failures.map((f: { event_id: string; message: string }) => [
        f.event_id,
        f.message,
      ]),
    );
    expect(failed['no-value']).toContain('value and custom_data.currency');
    expect(failed['in-app']).toContain('Snap App ID');
    expect(failed['a-lead']).toContain('CUSTOM_EVENT_1');
    expect(
      counted().map((e) => [e.event.event_id, e.event.event_name, e.event.action_source]),
    ).toEqual([
      ['order-88', 'PURCHASE', 'WEB'],
      ['loyalty', 'CUSTOM_EVENT_2', 'WEB'],
      ['store', 'PURCHASE', 'OFFLINE'],
    ]);

    // A test code sends to Snap's Test Event Tool: checked there, not counted.
    const tested = await agent.call('log_event', {
      idempotency_key: randomUUID(),
      event_source_id: 'shop',
      test_event_code: 'TEST123',
      events: [purchase('trial-1')],
    });
    expect(tested).toMatchObject({ events_processed: 1 });
    expect(snap.state.events.filter((e) => e.test).map((e) => e.event.event_id)).toEqual([
      'trial-1',
    ]);
    expect(counted()).toHaveLength(3);
    expect(snap.state.calls.map((c) => c.path)).toContain(`/v3/${pixel().id}/events/validate`);
  });

  it('tells the buyer the ad account has no pixel yet, and what its operator must do', async () => {
    pixel().deleted = true;
    try {
      const refused = await agent.call('sync_event_sources', {
        idempotency_key: randomUUID(),
        account,
        event_sources: [{ event_source_id: 'app-shop', name: 'App shop' }],
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused)).toContain('ACCOUNT_SETUP_REQUIRED');
      expect(JSON.stringify(refused)).toContain('Ads Manager');
    } finally {
      pixel().deleted = false;
    }
  });

  it("keeps each buyer's audiences and event sources its own", async () => {
    const mine = await sync(agent, [
      { audience_id: 'same-id', add: [{ external_id: 'a', hashed_email: sha('a@x.example') }] },
    ]);
    expect(mine.isError, JSON.stringify(mine)).toBe(false);
    const mineId = mine.audiences[0].seller_id as string;
    await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'shop', name: 'Trail shop' }],
    });
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await sync(other, [
        { audience_id: 'same-id', add: [{ external_id: 'b', hashed_email: sha('b@x.example') }] },
      ]);
      expect(theirs.isError, JSON.stringify(theirs)).toBe(false);
      const theirsId = theirs.audiences[0].seller_id as string;
      expect(theirsId).not.toBe(mineId);
      expect(usersOf(mineId, 'EMAIL_SHA256')).toEqual(new Set([sha('a@x.example')]));
      expect(usersOf(theirsId, 'EMAIL_SHA256')).toEqual(new Set([sha('b@x.example')]));

      // The other buyer reads, deletes and prunes only its own.
      const listed = await other.call('sync_audiences', { idempotency_key: randomUUID(), account });
      expect(listed.audiences.map((a: { seller_id: string }) => a.seller_id)).toEqual([theirsId]);
      await sync(other, [{ audience_id: 'same-id', delete: true }]);
      const pruned = await other.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account,
        audiences: [{ audience_id: 'kept', add: [{ external_id: 'c', hashed_email: sha('c@x') }] }],
        delete_missing: true,
      });
      expect(pruned.isError, JSON.stringify(pruned)).toBe(false);
      expect(snap.state.objects.get(theirsId)!.deleted).toBe(true);
      expect(snap.state.objects.get(mineId)!.deleted).toBe(false);
      expect(usersOf(mineId, 'EMAIL_SHA256')?.size).toBe(1);

      const intruding = await other.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
        events: [purchase('spoof')],
      });
      expect(intruding.isError).toBe(true);
      expect(JSON.stringify(intruding)).toContain('REFERENCE_NOT_FOUND');
      expect(snap.state.events.map((e) => e.event.event_id)).not.toContain('spoof');
    } finally {
      await other.close();
    }
  });

  it("tells a buyer its own spend through the source, never the operator's balance", async () => {
    const found = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'Snapchat stories',
      brand: { domain: 'acmeoutdoor.example' },
    });
    const [product] = found.products;
    const bought = await agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account,
      brand: { domain: 'acmeoutdoor.example' },
      start_time: 'asap',
      end_time: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      packages: [
        {
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget: 700,
          targeting_overlay: { geo_countries: ['GB'] },
          creatives: [snapCreative(images.url)],
        },
      ],
    });
    expect(bought.isError, JSON.stringify(bought)).toBe(false);
    const squad = snap.state.ofKind('adsquad').find((s) => s.fields.lifetime_budget_micro === 7e8);
    snap.state.deliver(squad!.id, { impressions: 20_000, swipes: 150, spend: 212.5 });

    const financials = await agent.call('get_account_financials', { account });
    expect(financials.isError, JSON.stringify(financials)).toBe(false);
    expect(financials).toMatchObject({
      currency: 'GBP',
      timezone: 'UTC',
      spend: { total_spend: 212.5, media_buy_count: 1 },
    });
    expect(financials.balance).toBeUndefined();
    expect(financials.credit).toBeUndefined();

    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await other.call('get_account_financials', { account });
      expect(theirs.spend).toMatchObject({ total_spend: 0, media_buy_count: 0 });
    } finally {
      await other.close();
    }
  });

  it("reports Snap's outage and throttling as AdCP errors, after one retry, and shows no token", async () => {
    await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'shop', name: 'Trail shop' }],
    });
    const outage = { request_status: 'ERROR', error_code: 'E5000', debug_message: 'down' };
    snap.state.failNext(503, outage);
    snap.state.failNext(503, outage);
    const down = await sync(agent, [{ audience_id: 'later', name: 'Later' }]);
    expect(down.isError).toBe(true);
    expect(JSON.stringify(down)).toContain('SERVICE_UNAVAILABLE');

    const limited = { request_status: 'ERROR', error_code: 'E1008', debug_message: 'slow down' };
    snap.state.failNext(429, limited);
    snap.state.failNext(429, limited);
    const throttled = await sync(agent, [{ audience_id: 'later', name: 'Later' }]);
    expect(throttled.isError).toBe(true);
    expect(JSON.stringify(throttled)).toContain('RATE_LIMITED');

    // The Conversions API's throttle too.
    snap.state.failNext(429, { status: 'INVALID', reason: 'Too many requests' }, '/v3/');
    snap.state.failNext(429, { status: 'INVALID', reason: 'Too many requests' }, '/v3/');
    const slowed = await agent.call('log_event', {
      idempotency_key: randomUUID(),
      event_source_id: 'shop',
      events: [purchase('order-throttled')],
    });
    expect(slowed.isError).toBe(true);
    expect(JSON.stringify(slowed)).toContain('RATE_LIMITED');

    // Once Snap answers again the audience is made, once; an empty segment is Snap's to hold.
    const made = await sync(agent, [{ audience_id: 'later', name: 'Later' }]);
    expect(made.isError, JSON.stringify(made)).toBe(false);
    expect(made.audiences[0]).toMatchObject({ audience_id: 'later', status: 'processing' });
    expect(segments().filter((s) => String(s.fields.name).startsWith('Later ['))).toHaveLength(1);

    // No token Snap issued is in any answer or log line (the Conversions API's rides in a URL).
    expect(snap.state.tokens.size).toBeGreaterThan(0);
    for (const token of snap.state.tokens.keys()) {
      expect(h.rawLogs()).not.toContain(token);
      for (const answer of [down, throttled, slowed, made]) {
        expect(JSON.stringify(answer)).not.toContain(token);
      }
    }
  });
});
