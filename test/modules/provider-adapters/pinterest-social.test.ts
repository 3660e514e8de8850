import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import {
  startFakePinterest,
  type FakePinterest,
} from '../../../src/sandbox/fakes/pinterest/server.js';
import { liveBuyerAgent } from './support.js';
import { connectPinterest, pinterestEnv, pinterestStorefront } from './pinterest-support.js';

/*
 * A Pinterest-backed storefront offers AdCP's sales-social tools: a buyer's audience becomes a
 * customer list of hashed members with a CUSTOMER_LIST audience on it, an event source a
 * conversion tag, and events reach the ad account's Conversions API. The fake Pinterest judges
 * what was made; every object belongs to the buyer that made it.
 */

let h: Harness;
let base: string;
let pinterest: FakePinterest;
let sf: Awaited<ReturnType<typeof pinterestStorefront>>;
let agent: Awaited<ReturnType<typeof liveBuyerAgent>>;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const emails = Array.from({ length: 150 }, (_, i) => `gardener${i}@example.com`);

beforeAll(async () => {
  pinterest = await startFakePinterest({ clientId: '1484362', clientSecret: 'pin-secret-abc123' });
  h = await createHarness(pinterestEnv(pinterest));
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  pinterest.state.options.redirectUris = [`${base}/api/v2/storefront/adapters/oauth/callback`];
  sf = await pinterestStorefront(h);
  await connectPinterest(h, sf.seller.key);
  agent = await liveBuyerAgent(h, base, sf);
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await h?.close();
  await pinterest?.close();
});

const lists = () => pinterest.state.ofKind('customer_list');
const recordsOf = (audienceId: string) => {
  const listId = pinterest.state.audiences.get(audienceId)?.listId;
  return listId ? pinterest.state.listRecords.get(listId)?.size : undefined;
};

describe('a storefront selling through Pinterest, for sales-social', () => {
  it('offers audiences, event sources and events, and says it sells sales-social', async () => {
    const { tools } = await agent.client.listTools();
    const names = tools.map((t) => t.name);
    for (const tool of ['sync_audiences', 'sync_event_sources', 'log_event']) {
      expect(names).toContain(tool);
    }
    const caps = await agent.call('get_adcp_capabilities');
    expect(caps.specialisms).toContain('sales-social');
  });

  it("makes a buyer's audience a customer list and audience, updates and removes it", async () => {
    // Pinterest cannot make an empty list: an audience without members is refused, by name.
    const empty = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [{ audience_id: 'empty', name: 'Nobody yet' }],
    });
    expect(JSON.stringify(empty)).toContain('first members');
    expect(lists()).toHaveLength(0);

    const synced = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'gardeners',
          name: 'Gardeners',
          audience_type: 'crm',
          add: emails.map((e, i) => ({ external_id: `g${i}`, hashed_email: sha(e) })),
        },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [list] = lists();
    expect(list!.accountId).toBe('549755885175');
    expect(list!.fields.name).toMatch(/^Gardeners \[ix-[0-9a-f]{16}\]$/);
    const audienceId = synced.audiences[0].seller_id as string;
    expect(pinterest.state.audiences.get(audienceId)).toMatchObject({ listId: list!.id });
    // All 150 digests went with the creating call; none was sent twice.
    expect(recordsOf(audienceId)).toBe(150);
    expect(
      pinterest.state.calls.filter(
        (c) => c.method === 'PATCH' && c.path.includes('customer_lists'),
      ),
    ).toHaveLength(0);
    expect(synced.audiences[0]).toMatchObject({
      audience_id: 'gardeners',
      action: 'created',
      status: 'ready',
      uploaded_count: 150,
      matched_count: 150,
    });

    const trimmed = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [
        {
          audience_id: 'gardeners',
          remove: emails
            .slice(0, 60)
            .map((e, i) => ({ external_id: `g${i}`, hashed_email: sha(e) })),
        },
      ],
    });
    expect(trimmed.audiences[0]).toMatchObject({
      action: 'updated',
      seller_id: audienceId,
      status: 'too_small',
      matched_count: 90,
    });
    expect(lists()).toHaveLength(1);

    const deleted = await agent.call('sync_audiences', {
      idempotency_key: randomUUID(),
      account,
      audiences: [{ audience_id: 'gardeners', delete: true }],
    });
    expect(deleted.audiences[0]).toMatchObject({ audience_id: 'gardeners', action: 'deleted' });
    expect(pinterest.state.audiences.has(audienceId)).toBe(false);
  });

  it('sends events to the Conversions API once per event id, under a conversion tag', async () => {
    const synced = await agent.call('sync_event_sources', {
      idempotency_key: randomUUID(),
      account,
      event_sources: [{ event_source_id: 'shop', name: 'Garden shop', event_types: ['purchase'] }],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    const [tag] = pinterest.state.ofKind('conversion_tag');
    expect(synced.event_sources[0]).toMatchObject({
      event_source_id: 'shop',
      seller_id: tag!.id,
      action: 'created',
    });
    const events = [
      {
        event_id: 'order-77',
        event_type: 'purchase',
        event_time: new Date().toISOString(),
        user_match: { hashed_email: sha('jane@example.com'), client_ip: '203.0.113.9' },
        custom_data: { value: 64.2, currency: 'USD', order_id: 'order-77' },
      },
    ];
    for (let i = 0; i < 2; i++) {
      const logged = await agent.call('log_event', {
        idempotency_key: randomUUID(),
        event_source_id: 'shop',
        events,
      });
      expect(logged.isError, JSON.stringify(logged)).toBe(false);
      expect(logged).toMatchObject({ events_received: 1, events_processed: 1 });
    }
    expect(pinterest.state.events).toHaveLength(1);
    expect(pinterest.state.events[0]).toMatchObject({
      accountId: '549755885175',
      event: {
        event_name: 'checkout',
        event_id: 'order-77',
        action_source: 'web',
        user_data: { em: [sha('jane@example.com')], client_ip_address: '203.0.113.9' },
        custom_data: { value: '64.2', currency: 'USD', order_id: 'order-77' },
      },
    });
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
          { audience_id: 'same-id', add: [{ external_id: 'b', hashed_email: sha('b@x.example') }] },
        ],
      });
      expect(theirs.isError, JSON.stringify(theirs)).toBe(false);
      expect(theirs.audiences[0].seller_id).not.toBe(mine.audiences[0].seller_id);
      expect(recordsOf(mine.audiences[0].seller_id)).toBe(1);
      expect(recordsOf(theirs.audiences[0].seller_id)).toBe(1);
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
      expect(pinterest.state.events.map((e) => e.event.event_id)).not.toContain('spoof');
    } finally {
      await other.close();
    }
  });
});
