import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startFakeTikTok, type FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import { liveBuyerAgent } from './support.js';
import { connectTikTok, tiktokEnv, tiktokStorefront } from './tiktok-support.js';

/*
 * A TikTok-backed storefront offers AdCP's sales-social tools: a buyer's audience becomes a
 * customer-file custom audience (digests uploaded as files, the audience made from them), an
 * event source a TikTok Pixel, and events reach it through the Events API. The fake TikTok
 * judges what was made; every object belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let tiktok: FakeTikTok;
let sf: Awaited<ReturnType<typeof tiktokStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const emails = Array.from({ length: 1200 }, (_, i) => `dancer${i}@example.com`);

beforeAll(async () => {
  tiktok = await startFakeTikTok({ appId: 'tt-app-1', secret: 'tt-secret-123456' });
  h = await createHarness(tiktokEnv(tiktok));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  tiktok.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await tiktokStorefront(h);
  await connectTikTok(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await tiktok?.close();
});

const membersOf = (id: string) => tiktok.state.audienceMembers.get(id)?.size;
const uploads = () =>
  tiktok.state.calls.filter((c) => c.path === '/dmp/custom_audience/file/upload').length;

describe('a storefront selling through TikTok, for sales-social', () => {
  it('offers audiences, event sources and events, and says it sells sales-social', async () => {
    const { tools } = await agent.client.listTools();
    const names = tools.map((t) => t.name);
    for (const tool of ['sync_audiences', 'sync_event_sources', 'log_event']) {
      expect(names).toContain(tool);
    }
    const caps = await agent.call('get_adcp_capabilities');
    expect(caps.specialisms).toContain('sales-social');
  });

  it("makes a buyer's audience a customer-file audience, updates and deletes it", async () => {
    const empty = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [{ audience_id: 'empty', name: 'Nobody yet' }],
    });
    expect(JSON.stringify(empty)).toContain('first members');
    expect(tiktok.state.ofKind('audience')).toHaveLength(0);

    const synced = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'dancers',
          name: 'Dancers',
          audience_type: 'crm',
          add: emails.map((e, i) => ({ external_id: `d${i}`, hashed_email: sha(e) })),
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [audience] = tiktok.state.ofKind('audience');
    expect(audience!.advertiserId).toBe('7001');
    expect(audience!.fields).toMatchObject({ calculate_type: 'EMAIL_SHA256' });
    expect(audience!.fields.custom_audience_name).toMatch(/^Dancers \[ix-[0-9a-f]{16}\]$/);
    expect(membersOf(audience!.id)).toBe(1200);
    // One file made the audience; nothing was appended after it.
    expect(uploads()).toBe(1);
    expect(synced.audiences[0]).toMatchObject({
      audience_id: 'dancers',
      seller_id: audience!.id,
      action: 'created',
      status: 'ready',
      matched_count: 1200,
    });

    const trimmed = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'dancers',
          remove: emails
            .slice(0, 300)
            .map((e, i) => ({ external_id: `d${i}`, hashed_email: sha(e) })),
        },
      ],
    });
    // Under 1,000 matched people TikTok cannot target it.
    expect(trimmed.audiences[0]).toMatchObject({
      action: 'updated',
      status: 'too_small',
      matched_count: 900,
    });

    const deleted = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [{ audience_id: 'dancers', delete: true }],
    });
    expect(deleted.audiences[0]).toMatchObject({ audience_id: 'dancers', action: 'deleted' });
    expect(tiktok.state.ofKind('audience')).toHaveLength(0);
  });

  it('sends events to a TikTok Pixel through the Events API, once per event id', async () => {
    const synced = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'shop', name: 'Dance shop', event_types: ['purchase'] }],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [pixel] = tiktok.state.ofKind('pixel');
    const code = `C${pixel!.id}`;
    expect(synced.event_sources[0]).toMatchObject({ event_source_id: 'shop', seller_id: code });
    const events = [
      {
        event_id: 'order-9',
        event_type: 'purchase',
        event_time: new Date().toISOString(),
        user_match: { hashed_email: sha('jane@example.com'), client_ip: '203.0.113.9' },
        custom_data: { value: 19.9, currency: 'EUR', order_id: 'order-9' },
      },
    ];
    for (let i = 0; i < 2; i++) {
      const logged = await agent.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
        events,
      });
      expect(logged.isError, JSON.stringify(logged)).toBe(false);
      expect(logged).toMatchObject({ events_received: 1 });
    }
    const kept = tiktok.state.pixelEvents.get(code)!;
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      event: 'CompletePayment',
      event_id: 'order-9',
      user: { email: sha('jane@example.com'), ip: '203.0.113.9' },
      properties: { value: 19.9, currency: 'EUR', order_id: 'order-9' },
    });
  });

  it("keeps each buyer's audiences and event sources its own", async () => {
    const other = await agentClient(
      base,
      sf.platformId,
      await sponsoredBuyerKey(h, sf.seller, sf.id),
    );
    try {
      const intruding = await other.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
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
      const all = [...tiktok.state.pixelEvents.values()].flat();
      expect(all.map((e) => e.event_id)).not.toContain('spoof');
      const listed = await other.call('sync_audiences', { idempotency_key: randomUUID(), account });
      expect(listed.audiences ?? []).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
