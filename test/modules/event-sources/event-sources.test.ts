import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Event sources and conversion events through HTTP: AdCP-style sync (created / updated /
 * unchanged / failed / deleted), log-event refusals and idempotency, the hourly and daily
 * summary, the advertiser's nested GET, and isolation between customers.
 */
let h: Harness;
let buyer: TestCustomer;
beforeAll(async () => {
  h = await createHarness();
  buyer = await createCustomer(h, { role: 'BUYER' });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const base = '/api/v2/buyer/advertisers';

async function advertiser(who: TestCustomer = buyer): Promise<string> {
  const res = await h.call('POST', base, {
    key: who.key,
    body: { name: 'Acme', brand: 'acme.example', primaryCurrency: 'USD' },
  });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

const sync = (id: string, body: unknown, who: TestCustomer = buyer) =>
  h.call('POST', `${base}/${id}/event-sources/sync`, { key: who.key, body });
const logEvents = (id: string, body: unknown, who: TestCustomer = buyer) =>
  h.call('POST', `${base}/${id}/log-event`, { key: who.key, body });
const actions = (res: {
  body: { data: { event_sources: { event_source_id: string; action: string }[] } };
}) => Object.fromEntries(res.body.data.event_sources.map((r) => [r.event_source_id, r.action]));

const pixel = {
  event_source_id: 'website_pixel',
  name: 'Website Pixel',
  event_types: ['purchase', 'add_to_cart'],
  allowed_domains: ['shop.example.com'],
};

/** A UTC hour at least two hours back, so its events are in a completed hour. */
const pastHour = (hoursAgo: number) =>
  new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - hoursAgo * 3_600_000);

describe('event sources sync', () => {
  it('creates, leaves unchanged, updates, fails one item alone and archives the missing', async () => {
    const id = await advertiser();
    const first = await sync(id, { account: { account_id: id }, event_sources: [pixel] });
    expect(first.status).toBe(200);
    expect(first.body.data.event_sources[0]).toMatchObject({
      event_source_id: 'website_pixel',
      action: 'created',
      setup: { snippet_type: 'server_only' },
    });
    expect(first.body.data.event_sources[0].setup.instructions).toContain(
      `/advertisers/${id}/log-event`,
    );

    // The same payload again, types in another order: nothing changes.
    const again = await sync(id, {
      event_sources: [{ ...pixel, event_types: ['add_to_cart', 'purchase'] }],
    });
    expect(actions(again)).toEqual({ website_pixel: 'unchanged' });

    const mixed = await sync(id, {
      event_sources: [
        { event_source_id: 'website_pixel', name: 'Renamed pixel' },
        { event_source_id: 'crm', allowed_domains: ['not a domain'] },
        { event_source_id: 'app_sdk', event_types: ['app_install'] },
        { event_source_id: 'app_sdk', event_types: ['purchase'] },
      ],
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body.data.event_sources).toEqual([
      expect.objectContaining({ event_source_id: 'website_pixel', action: 'updated' }),
      expect.objectContaining({
        event_source_id: 'crm',
        action: 'failed',
        error: expect.stringContaining('not a domain'),
      }),
      expect.objectContaining({ event_source_id: 'app_sdk', action: 'created' }),
      expect.objectContaining({ event_source_id: 'app_sdk', action: 'failed' }),
    ]);

    // Fields left out kept their value: the rename kept the types and domains.
    const list = await h.call('GET', `${base}/${id}/event-sources`, { key: buyer.key });
    expect(list.body.data.total).toBe(2);
    const byId = Object.fromEntries(
      list.body.data.eventSources.map((s: { eventSourceId: string }) => [s.eventSourceId, s]),
    );
    expect(byId.website_pixel).toMatchObject({
      name: 'Renamed pixel',
      eventTypes: ['add_to_cart', 'purchase'],
      allowedDomains: ['shop.example.com'],
      health: { status: 'not_seen', lastEventAt: null },
    });

    const pruned = await sync(id, {
      event_sources: [{ event_source_id: 'app_sdk', event_types: ['app_install'] }],
      delete_missing: true,
    });
    expect(actions(pruned)).toEqual({ app_sdk: 'unchanged', website_pixel: 'deleted' });
    const after = await h.call('GET', `${base}/${id}/event-sources`, { key: buyer.key });
    expect(
      after.body.data.eventSources.map((s: { eventSourceId: string }) => s.eventSourceId),
    ).toEqual(['app_sdk']);

    // The advertiser's nested GET carries the live sources.
    const nested = await h.call('GET', `${base}/${id}`, { key: buyer.key });
    expect(nested.body.data.eventSources).toEqual([
      expect.objectContaining({ eventSourceId: 'app_sdk', eventTypes: ['app_install'] }),
    ]);

    // An archived source synced again is back.
    const back = await sync(id, { event_sources: [pixel] });
    expect(actions(back)).toEqual({ website_pixel: 'created' });
  });

  it('refuses a body that is not an AdCP sync with 400 naming the field', async () => {
    const id = await advertiser();
    const badType = await sync(id, {
      event_sources: [{ event_source_id: 'x', event_types: ['bought_something'] }],
    });
    expect(badType.status).toBe(400);
    expect(badType.body.error.code).toBe('VALIDATION_ERROR');
    expect(badType.body.error.field).toContain('event_types');
    const otherAccount = await sync(id, {
      account: { account_id: '999999' },
      event_sources: [pixel],
    });
    expect(otherAccount.status).toBe(400);
    expect(otherAccount.body.error.field).toBe('account.account_id');
    const tooMany = await sync(id, {
      event_sources: Array.from({ length: 51 }, (_, i) => ({ event_source_id: `s${i}` })),
    });
    expect(tooMany.status).toBe(400);
  });

  it('applies concurrent syncs of one advertiser one after the other', async () => {
    const id = await advertiser();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => sync(id, { event_sources: [pixel] })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const created = results.filter((r) => actions(r).website_pixel === 'created');
    expect(created).toHaveLength(1);
    const list = await h.call('GET', `${base}/${id}/event-sources`, { key: buyer.key });
    expect(list.body.data.total).toBe(1);
  });
});

describe('log-event', () => {
  it('refuses an unregistered source and reports each refused event while recording the rest', async () => {
    const id = await advertiser();
    await sync(id, { event_sources: [pixel] });
    const unknown = await logEvents(id, {
      event_source_id: 'nope',
      events: [{ event_id: 'e1', event_type: 'purchase', event_time: pastHour(2).toISOString() }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'EVENT_SOURCE_NOT_FOUND',
      field: 'event_source_id',
    });

    const t = pastHour(3).toISOString();
    const res = await logEvents(id, {
      event_source_id: 'website_pixel',
      events: [
        {
          event_id: 'o-1',
          event_type: 'purchase',
          event_time: t,
          action_source: 'website',
          event_source_url: 'https://shop.example.com/checkout',
          user_match: { hashed_email: 'a'.repeat(64) },
          custom_data: { value: 42.5, currency: 'usd', order_id: 'A1' },
        },
        { event_id: 'o-2', event_type: 'add_to_cart', event_time: t, action_source: 'app' },
        { event_id: 'o-3', event_type: 'lead', event_time: t },
        {
          event_id: 'o-4',
          event_type: 'purchase',
          event_time: t,
          event_source_url: 'https://evil.example.net/x',
        },
        { event_id: 'o-5', event_type: 'purchase', event_time: t, action_source: 'website' },
        {
          event_id: 'o-6',
          event_type: 'purchase',
          event_time: new Date(Date.now() + 86_400_000).toISOString(),
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      events_received: 6,
      events_processed: 2,
      match_quality: 0.5,
    });
    expect(
      res.body.data.partial_failures.map((f: { event_id: string; code: string }) => [
        f.event_id,
        f.code,
      ]),
    ).toEqual([
      ['o-3', 'EVENT_TYPE_NOT_ALLOWED'],
      ['o-4', 'DOMAIN_NOT_ALLOWED'],
      ['o-5', 'EVENT_SOURCE_URL_REQUIRED'],
      ['o-6', 'EVENT_TIME_IN_FUTURE'],
    ]);

    // The same batch again is counted once; the answer says so.
    const retry = await logEvents(id, {
      event_source_id: 'website_pixel',
      events: [
        { event_id: 'o-1', event_type: 'purchase', event_time: t },
        { event_id: 'o-2', event_type: 'add_to_cart', event_time: t },
        { event_id: 'o-2', event_type: 'add_to_cart', event_time: t },
      ],
    });
    expect(retry.body.data.events_processed).toBe(3);
    expect(retry.body.data.warnings.join(' ')).toContain('already logged');

    const summary = await h.call(
      'GET',
      `${base}/${id}/events/summary?startHour=${pastHour(5).toISOString()}&endHour=${pastHour(0).toISOString()}`,
      { key: buyer.key },
    );
    expect(summary.status).toBe(200);
    expect(summary.body.data.totalEventCount).toBe(2);
    expect(summary.body.data.entries).toEqual([
      { eventHour: pastHour(3).toISOString(), eventType: 'conversion', eventCount: 2 },
    ]);
    expect(summary.body.data.daily).toEqual([
      expect.objectContaining({
        eventSourceId: 'website_pixel',
        eventType: 'add_to_cart',
        eventCount: 1,
      }),
      expect.objectContaining({
        eventSourceId: 'website_pixel',
        eventType: 'purchase',
        eventCount: 1,
      }),
    ]);

    // Health: the newest accepted event, and the refusal that came before the retry.
    const list = await h.call('GET', `${base}/${id}/event-sources`, { key: buyer.key });
    expect(list.body.data.eventSources[0].health).toMatchObject({
      status: 'receiving',
      lastEventAt: t,
      lastError: expect.stringContaining('EVENT_TYPE_NOT_ALLOWED'),
    });
  });

  it('takes 10,000 events in one call (over the default body limit) and keeps test events apart', async () => {
    const id = await advertiser();
    await sync(id, { event_sources: [{ event_source_id: 'feed' }] });
    const t = pastHour(2).toISOString();
    const events = Array.from({ length: 10_000 }, (_, i) => ({
      event_id: `bulk-${i}`,
      event_type: 'purchase',
      event_time: t,
      action_source: 'system_generated',
      custom_data: { value: 10, currency: 'EUR', order_id: `order-${i}-${'x'.repeat(60)}` },
    }));
    const res = await logEvents(id, { event_source_id: 'feed', events });
    expect(res.status).toBe(200);
    expect(res.body.data.events_processed).toBe(10_000);
    const test = await logEvents(id, {
      event_source_id: 'feed',
      test_event_code: 'TEST123',
      events: [{ event_id: 'probe', event_type: 'purchase', event_time: t }],
    });
    expect(test.body.data.events_processed).toBe(1);
    const window = `startHour=${pastHour(2).toISOString()}&endHour=${pastHour(1).toISOString()}`;
    const plain = await h.call('GET', `${base}/${id}/events/summary?${window}`, { key: buyer.key });
    expect(plain.body.data.totalEventCount).toBe(10_000);
    const withTest = await h.call(
      'GET',
      `${base}/${id}/events/summary?${window}&includeTestEvents=true`,
      {
        key: buyer.key,
      },
    );
    expect(withTest.body.data.totalEventCount).toBe(10_001);
  }, 60_000);

  it('answers 400 for malformed events and windows, never 500', async () => {
    const id = await advertiser();
    await sync(id, { event_sources: [{ event_source_id: 'feed' }] });
    const badTime = await logEvents(id, {
      event_source_id: 'feed',
      events: [{ event_id: 'x', event_type: 'purchase', event_time: 'yesterday' }],
    });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.field).toContain('event_time');
    const unaligned = await h.call(
      'GET',
      `${base}/${id}/events/summary?startHour=2026-01-01T10:30:00Z&endHour=2026-01-01T12:00:00Z`,
      { key: buyer.key },
    );
    expect(unaligned.status).toBe(400);
    expect(unaligned.body.error.field).toBe('startHour');
    const tooLong = await h.call(
      'GET',
      `${base}/${id}/events/summary?startHour=2025-01-01T00:00:00Z&endHour=2026-01-01T00:00:00Z`,
      { key: buyer.key },
    );
    expect(tooLong.status).toBe(400);
    const noSummaryOfOthers = await h.call(
      'GET',
      `${base}/${id}/events/summary?eventType=impression`,
      {
        key: buyer.key,
      },
    );
    expect(noSummaryOfOthers.body.data).toMatchObject({ entries: [], totalEventCount: 0 });
  });
});

describe('isolation and archived advertisers', () => {
  it("answers NOT_FOUND for another customer's advertiser and 409 on an archived one", async () => {
    const id = await advertiser();
    await sync(id, { event_sources: [pixel] });
    const other = await createCustomer(h, { role: 'BUYER' });
    for (const res of [
      await h.call('GET', `${base}/${id}/event-sources`, { key: other.key }),
      await sync(id, { event_sources: [pixel] }, other),
      await logEvents(
        id,
        {
          event_source_id: 'website_pixel',
          events: [
            { event_id: 'e', event_type: 'purchase', event_time: pastHour(2).toISOString() },
          ],
        },
        other,
      ),
      await h.call('GET', `${base}/${id}/events/summary`, { key: other.key }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    // A same-named source of another customer's advertiser is its own.
    const theirs = await advertiser(other);
    expect(actions(await sync(theirs, { event_sources: [pixel] }, other))).toEqual({
      website_pixel: 'created',
    });

    expect((await h.call('DELETE', `${base}/${id}`, { key: buyer.key })).status).toBeLessThan(300);
    const archived = await logEvents(id, {
      event_source_id: 'website_pixel',
      events: [{ event_id: 'e', event_type: 'purchase', event_time: pastHour(2).toISOString() }],
    });
    expect(archived.status).toBe(409);
    // Reading stays possible on an archived advertiser.
    expect((await h.call('GET', `${base}/${id}/event-sources`, { key: buyer.key })).status).toBe(
      200,
    );
  });

  it('refuses writes until the terms are accepted', async () => {
    const fresh = await createCustomer(h, { role: 'BUYER', acceptTerms: false });
    const res = await h.call('POST', `${base}/10001/event-sources/sync`, {
      key: fresh.key,
      body: { event_sources: [pixel] },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('TOS_ACCEPTANCE_REQUIRED');
  });
});
