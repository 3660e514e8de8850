import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen } from '../agents/storefront-agent-support.js';
import { modularStorefront } from '../modules/modular-sources/support.js';

/*
 * Issue 69 item 3: a callback URL carrying credentials is refused at save, naming the field and
 * where secrets go (authentication), on every surface that stores one: sync_accounts'
 * notification_configs, the REST webhook subscriptions, a buy's push_notification_config. On
 * main, sync_accounts and list_accounts echoed the password and the query token back.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(() => h?.close());

const leaky = [
  'http://mirror:hunter2-secret@127.0.0.1:9/hooks',
  'http://127.0.0.1:9/hooks?token=hunter2-secret',
  'http://127.0.0.1:9/hooks?cid=7&api_key=hunter2-secret',
];

describe('a URL carrying credentials is refused where it would be stored', () => {
  it('sync_accounts fails the entry at notification_configs[0].url; nothing is echoed or kept', async () => {
    const sf = await modularStorefront(h);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      for (const url of leaky) {
        const synced = await agent.call('sync_accounts', {
          adcp_version: '3.1',
          idempotency_key: `sync-${randomUUID()}`,
          accounts: [
            {
              brand: { domain: 'acmeoutdoor.example' },
              operator: 'pinnacle-agency.example',
              billing: 'operator',
              notification_configs: [
                { subscriber_id: 'mirror', url, event_types: ['product.priced'], active: false },
              ],
            },
          ],
        });
        const entry = synced.accounts[0];
        expect(entry.action, JSON.stringify(entry)).toBe('failed');
        expect(entry.errors[0]).toMatchObject({ field: 'notification_configs[0].url' });
        expect(entry.errors[0].message).toMatch(/authentication/);
        expect(JSON.stringify(synced)).not.toContain('hunter2');
      }
      const listed = await agent.call('list_accounts', { adcp_version: '3.1' });
      expect(JSON.stringify(listed)).not.toContain('hunter2');
    } finally {
      await agent.close();
    }
  });

  it('a REST webhook subscription answers 400 naming url', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    for (const url of leaky) {
      const res = await h.call('POST', '/api/v2/buyer/webhook-subscriptions', {
        key: buyer.key,
        body: { url, secret: 'whsec_0123456789abcdef0123', eventTypes: ['media_buy.approved'] },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'url' });
      // This body has no authentication field: the refusal says how a receiver checks deliveries.
      expect(res.body.error.message).toMatch(/signed with the subscription’s secret/);
    }
    const kept = await h.call('GET', '/api/v2/buyer/webhook-subscriptions', { key: buyer.key });
    expect(JSON.stringify(kept.body)).not.toContain('hunter2');
  });

  it('a buy’s push_notification_config is refused as INVALID_REQUEST on its url', async () => {
    const sf = await modularStorefront(h);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' },
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        push_notification_config: { url: leaky[0] },
        packages: [{ product_id: 'any', pricing_option_id: 'any', budget: 100 }],
      });
      expect(created.isError, JSON.stringify(created)).toBe(true);
      expect(JSON.stringify(created)).toMatch(/push_notification_config\.url/);
      expect(JSON.stringify(created)).toMatch(/authentication/);
    } finally {
      await agent.close();
    }
  });
});

/*
 * Issue 69 item 3: a callback host name that does not resolve at save is never trusted, as
 * sync_accounts holds one pending. A REST webhook subscription is made by a person who can fix
 * DNS and save again, so it is refused with 400 naming url (on main: 201, kept and trusted). A
 * buy is not refused for its push URL (the storyboards push to example.com, which does not
 * resolve offline): the buy is taken and its push held, posted only once the name resolves.
 */
describe('a callback host name that does not resolve', () => {
  const unresolvable = 'https://hooks.nowhere.invalid/x';

  it('a REST webhook subscription answers 400 naming url, over a socket', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await fetch(`${base}/api/v2/buyer/webhook-subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${buyer.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: unresolvable,
        secret: 'whsec_0123456789abcdef0123',
        eventTypes: ['discovery.revision'],
      }),
    });
    // The envelope of every REST answer.
    const body = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'url' });
    expect(body.error.message).toMatch(/does not resolve/);
    const kept = await fetch(`${base}/api/v2/buyer/webhook-subscriptions`, {
      headers: { authorization: `Bearer ${buyer.key}` },
    });
    const listed = (await kept.json()) as { data: { subscriptions: unknown[] } };
    expect(listed.data.subscriptions).toEqual([]);
  });
});
