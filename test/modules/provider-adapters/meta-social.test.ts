import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import { connectMeta, liveBuyerAgent, metaEnv, metaStorefront } from './support.js';

/*
 * A Meta-backed storefront offers AdCP's sales-social tools: a buyer's audiences become Custom
 * Audiences and its event sources Meta Pixels in the connected ad account, events reach the
 * Conversions API, and get_account_financials tells the buyer its own spend. The fake Meta is
 * the judge of what was made; every object belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let meta: FakeMeta;
let sf: Awaited<ReturnType<typeof metaStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const emails = Array.from({ length: 120 }, (_, i) => `shopper${i}@example.com`);

beforeAll(async () => {
  meta = await startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' });
  h = await createHarness(metaEnv(meta));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  meta.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await metaStorefront(h);
  await connectMeta(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await meta?.close();
});

const audiences = () => meta.state.ofKind('customaudience');
const membersOf = (id: string) => meta.state.audienceMembers.get(id)?.size;

describe('a storefront selling through Meta, for sales-social', () => {
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

  it("makes a buyer's audience a Custom Audience of hashed members, updates and deletes it", async () => {
    const synced = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'loyal',
          name: 'Loyal customers',
          audience_type: 'crm',
          add: emails.map((e, i) => ({ external_id: `m${i}`, hashed_email: sha(e) })),
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [made] = audiences();
    expect(made!.account).toBe('act_1001');
    expect(made!.fields.name).toMatch(/^Loyal customers \[ix-[0-9a-f]{16}\]$/);
    expect(membersOf(made!.id)).toBe(120);
    expect(synced.audiences[0]).toMatchObject({
      audience_id: 'loyal',
      seller_id: made!.id,
      action: 'created',
      status: 'ready',
      uploaded_count: 120,
      matched_count: 120,
    });

    const trimmed = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        { audience_id: 'loyal', remove: [{ external_id: 'm0', hashed_email: sha(emails[0]!) }] },
      ],
    });
    expect(trimmed.audiences[0]).toMatchObject({ action: 'updated', seller_id: made!.id });
    expect(membersOf(made!.id)).toBe(119);
    expect(audiences()).toHaveLength(1);

    // A raw address is refused before it leaves us: Meta and our logs never see it.
    const raw = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        { audience_id: 'loyal', add: [{ external_id: 'x', hashed_email: 'jane@example.com' }] },
      ],
    });
    // (The SDK's own request validation answers first outside production; without it, ours.)
    const refused = raw.isError
      ? raw.adcp_error?.code === 'VALIDATION_ERROR'
      : raw.audiences[0].action === 'failed' &&
        raw.audiences[0].errors[0].code === 'INVALID_REQUEST';
    expect(refused, JSON.stringify(raw)).toBe(true);
    expect(membersOf(made!.id)).toBe(119);
    expect(h.rawLogs()).not.toContain('jane@example.com');

    const listed = await agent.call('sync_audiences', { idempotency_key: randomUUID(), account });
    expect(listed.audiences).toEqual([
      expect.objectContaining({ audience_id: 'loyal', action: 'unchanged', seller_id: made!.id }),
    ]);

    const deleted = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [{ audience_id: 'loyal', delete: true }],
    });
    expect(deleted.audiences[0]).toMatchObject({ audience_id: 'loyal', action: 'deleted' });
    expect(audiences()).toHaveLength(0);
  });

  it('sends events to a Meta Pixel once per event id, and names what it could not send', async () => {
    const synced = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'web', name: 'Web shop', event_types: ['purchase'] }],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [pixel] = meta.state.ofKind('adspixel');
    expect(synced.event_sources[0]).toMatchObject({
      event_source_id: 'web',
      seller_id: pixel!.id,
      action: 'created',
    });
    const events = [
      {
        event_id: 'order-1',
        event_type: 'purchase',
        event_time: new Date().toISOString(),
        user_match: { hashed_email: sha('jane@example.com'), client_ip: '203.0.113.9' },
        custom_data: { value: 42.5, currency: 'USD', order_id: 'order-1' },
      },
      {
        event_id: 'order-2',
        event_type: 'purchase',
        event_time: new Date(Date.now() - 10 * 86_400_000).toISOString(),
        user_match: { hashed_email: sha('old@example.com') },
      },
    ];
    for (let i = 0; i < 2; i++) {
      const logged = await agent.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'web',
        events,
      });
      expect(logged.isError, JSON.stringify(logged)).toBe(false);
      expect(logged).toMatchObject({ events_received: 2, events_processed: 1 });
      expect(logged.partial_failures).toEqual([
        expect.objectContaining({ event_id: 'order-2', code: 'INVALID_REQUEST' }),
      ]);
    }
    const kept = meta.state.pixelEvents.get(pixel!.id)!;
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      event_name: 'Purchase',
      event_id: 'order-1',
      action_source: 'website',
      user_data: { em: [sha('jane@example.com')], client_ip_address: '203.0.113.9' },
      custom_data: { value: 42.5, currency: 'usd', order_id: 'order-1' },
    });
  });

  it("keeps each buyer's audiences and event sources its own", async () => {
    const mine = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'shared-name',
          add: [{ external_id: 'a', hashed_email: sha('a@x.example') }],
        },
      ],
    });
    expect(mine.isError, JSON.stringify(mine)).toBe(false);
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const theirs = await other.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account,
        audiences: [
          {
            audience_id: 'shared-name',
            add: [{ external_id: 'b', hashed_email: sha('b@x.example') }],
          },
        ],
      });
      expect(theirs.isError, JSON.stringify(theirs)).toBe(false);
      // Two Custom Audiences at Meta, one member each: the same id named two lists.
      expect(theirs.audiences[0].seller_id).not.toBe(mine.audiences[0].seller_id);
      expect(membersOf(mine.audiences[0].seller_id)).toBe(1);
      expect(membersOf(theirs.audiences[0].seller_id)).toBe(1);
      const listed = await other.call('sync_audiences', { idempotency_key: randomUUID(), account });
      expect(listed.audiences.map((a: { seller_id: string }) => a.seller_id)).toEqual([
        theirs.audiences[0].seller_id,
      ]);
      // The first buyer's event source is not theirs to send to.
      const intruding = await other.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'web',
        events: [
          {
            event_id: 'spoof',
            event_type: 'purchase',
            event_time: new Date().toISOString(),
            user_match: { hashed_email: sha('x@x.example') },
          },
        ],
      });
      expect(intruding.isError).toBe(true);
      expect(JSON.stringify(intruding)).toContain('REFERENCE_NOT_FOUND');
      const [pixel] = meta.state.ofKind('adspixel');
      expect(meta.state.pixelEvents.get(pixel!.id)!.map((e) => e.event_id)).not.toContain('spoof');
    } finally {
      await other.close();
    }
  });

  it("tells a buyer its own spend at this source, never the operator's account balance", async () => {
    const found = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'Instagram stories',
      brand: { domain: 'acmeoutdoor.example' },
    });
    const product = found.products[0];
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
          budget: 900,
          bid_price: 6,
          targeting_overlay: { geo_countries: ['GB'] },
          creatives: [
            {
              creative_id: 'c1',
              name: 'Hero',
              format_id: {
                agent_url: 'https://creative.adcontextprotocol.org',
                id: 'display_image',
              },
              assets: {
                image: {
                  asset_type: 'image',
                  url: 'https://cdn.acmeoutdoor.example/a.jpg',
                  width: 1080,
                  height: 1920,
                },
                click_url: {
                  asset_type: 'url',
                  url_type: 'clickthrough',
                  url: 'https://acmeoutdoor.example/',
                },
              },
            },
          ],
        },
      ],
    });
    expect(bought.isError, JSON.stringify(bought)).toBe(false);
    const adSet = meta.state.ofKind('adset').find((a) => a.fields.lifetime_budget === 90_000)!;
    meta.state.deliver(adSet.id, { impressions: 10_000, clicks: 80, spend: 123.45 });

    const financials = await agent.call('get_account_financials', { account });
    expect(financials.isError, JSON.stringify(financials)).toBe(false);
    expect(financials).toMatchObject({
      currency: 'USD',
      timezone: 'UTC',
      spend: { total_spend: 123.45, media_buy_count: 1 },
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

  it("reports Meta's outage and throttling as AdCP errors, after one retry", async () => {
    meta.state.failNext(500, { message: 'An unknown error occurred', code: 1 });
    meta.state.failNext(500, { message: 'An unknown error occurred', code: 1 });
    const down = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'app', name: 'App' }],
    });
    expect(down.isError).toBe(true);
    expect(JSON.stringify(down)).toContain('SERVICE_UNAVAILABLE');

    meta.state.failNext(400, { message: 'User request limit reached', code: 17 });
    const throttled = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'app', name: 'App' }],
    });
    expect(throttled.isError).toBe(true);
    expect(JSON.stringify(throttled)).toContain('RATE_LIMITED');

    // Once Meta answers again the same event source is made, once.
    const made = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'app', name: 'App' }],
    });
    expect(made.isError, JSON.stringify(made)).toBe(false);
    expect(
      meta.state.ofKind('adspixel').filter((p) => String(p.fields.name).startsWith('App [')),
    ).toHaveLength(1);

    // No token Meta issued is in any answer or log line.
    for (const token of meta.state.tokens.keys()) {
      expect(h.rawLogs()).not.toContain(token);
      expect(JSON.stringify(made)).not.toContain(token);
    }
  });
});
