import { randomUUID } from 'node:crypto';
import {
  InMemoryReplayStore,
  InMemoryRevocationStore,
  StaticJwksResolver,
  verifyWebhookSignature,
} from '@adcp/sdk/signing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import { agentClient, listen } from './storefront-agent-support.js';
import { type ReceivedWebhook, startWebhookReceiver } from './webhook-receiver.js';

/*
 * AdCP 3.1 feed webhooks (issue 49 item 6, second part) through the official MCP client and a
 * real HTTP receiver: a buyer registers an account-level notification config with sync_accounts,
 * its receiver proves control, a spreadsheet product's price changes, and the receiver gets the
 * signed product.priced event once; another buyer's subscriber of the same storefront hears
 * nothing of the first buyer's account; the spec's rejections answer per account.
 */

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  await h.services.jobs.start();
  h.services.feedWebhooks.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const key = () => `sync-${randomUUID()}`;
const account = (domain: string) => ({
  brand: { domain },
  operator: 'pinnacle-agency.example',
  billing: 'operator',
});
const config = (url: string, extra: Record<string, unknown> = {}) => ({
  subscriber_id: 'feed-mirror',
  url,
  event_types: ['product.created', 'product.priced', 'product.removed'],
  ...extra,
});

/** The feed scan took the subscriber's starting point (its first scan ran). */
async function baselined(storefrontId: number, subscribers: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rows } = await h.database.queryable.query(
      'select count(*)::int as n from account_notification_configs where storefront_id = $1 and feed_version is not null',
      [storefrontId],
    );
    if (rows[0]?.['n'] === subscribers) return;
    if (Date.now() > deadline) throw new Error('no baseline scan');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function verified(hook: ReceivedWebhook, port: string) {
  return verifyWebhookSignature(
    {
      method: 'POST',
      url: `http://127.0.0.1:${port}${hook.path}`,
      headers: hook.headers as Record<string, string>,
      body: hook.raw,
    },
    {
      jwks: new StaticJwksResolver(
        h.services.merchandising.jwks.keys.map((k) => ({ ...k, kty: k.kty ?? 'OKP' })),
      ),
      replayStore: new InMemoryReplayStore(),
      revocationStore: new InMemoryRevocationStore(),
    },
  );
}

describe('feed webhooks for a 3.1 buyer', () => {
  it(
    'proves the receiver, then delivers a spreadsheet price change signed, once, to its buyer only',
    { timeout: 120_000 },
    async () => {
      const sf = await modularStorefront(h);
      await commitCsv(h, sf.seller.key, 'avails', [header, availRow('hp-1', 100_000)].join('\n'));
      const [buyer, other] = [
        await createCustomer(h, { role: 'BUYER' }),
        await createCustomer(h, { role: 'BUYER' }),
      ];
      const agent = await agentClient(base, sf.platformId, buyer.key);
      const otherAgent = await agentClient(base, sf.platformId, other.key);
      const receiver = await startWebhookReceiver({ answerChallenges: true });
      const otherReceiver = await startWebhookReceiver({ answerChallenges: true });
      try {
        const caps = await agent.call('get_adcp_capabilities', { adcp_version: '3.1' });
        expect(caps.wholesale_feed_webhooks.event_types).toContain('product.priced');
        const synced = await agent.call('sync_accounts', {
          adcp_version: '3.1',
          idempotency_key: key(),
          accounts: [
            {
              ...account('acmeoutdoor.example'),
              notification_configs: [
                config(receiver.url, {
                  authentication: { schemes: ['Bearer'], credentials: 'b'.repeat(40) },
                }),
              ],
            },
          ],
          context: { correlation_id: 'register' },
        });
        expect(synced.isError).toBe(false);
        const [row] = synced.accounts;
        expect(row).toMatchObject({ action: 'created', status: 'active' });
        // Echoed as applied, the credential never.
        expect(row.notification_configs).toEqual([
          {
            subscriber_id: 'feed-mirror',
            url: receiver.url,
            event_types: ['product.created', 'product.priced', 'product.removed'],
            authentication: { schemes: ['Bearer'] },
            active: true,
          },
        ]);
        expect(JSON.stringify(synced)).not.toContain('bbbbbbbb');
        const challenge = receiver.received.find((w) => w.body.type === 'webhook.challenge');
        expect(challenge?.body).toMatchObject({
          account_id: row.account_id,
          subscriber_id: 'feed-mirror',
          delivery_auth: { mode: 'Bearer', credential_fingerprint: expect.any(String) },
        });
        const port = new URL(receiver.url).port;
        await expect(verified(challenge!, port)).resolves.toMatchObject({ status: 'verified' });

        // Another buyer subscribes to its own account on the same storefront.
        const otherSync = await otherAgent.call('sync_accounts', {
          adcp_version: '3.1',
          idempotency_key: key(),
          accounts: [
            { ...account('rival.example'), notification_configs: [config(otherReceiver.url)] },
          ],
        });
        expect(otherSync.accounts[0].action).toBe('created');
        await baselined(sf.id, 2);
        const before = receiver.received.length;

        // The seller changes the spreadsheet product's price.
        await commitCsv(
          h,
          sf.seller.key,
          'avails',
          [header, availRow('hp-1', 100_000, 35)].join('\n'),
        );
        const priced = await receiver.next(
          (w) => w.body?.notification_type === 'product.priced',
          30_000,
        );
        expect(priced.body).toMatchObject({
          notification_type: 'product.priced',
          subscriber_id: 'feed-mirror',
          account_id: row.account_id,
          cache_scope: 'public',
          wholesale_feed_version: expect.any(String),
          idempotency_key: expect.any(String),
          event: {
            event_type: 'product.priced',
            entity_type: 'product',
            payload: { applies_to: { scope: 'public' } },
          },
        });
        expect(priced.body.notification_id).toBe(priced.body.event.event_id);
        expect(JSON.stringify(priced.body.event.payload.pricing_options)).toContain('35');
        // Legacy Bearer delivery auth, as the config selected.
        expect(priced.headers['authorization']).toBe(`Bearer ${'b'.repeat(40)}`);
        // The version is the one get_products answers this account now.
        const now = await agent.call('get_products', {
          buying_mode: 'wholesale',
          account: {
            brand: { domain: 'acmeoutdoor.example' },
            operator: 'pinnacle-agency.example',
          },
          adcp_version: '3.1',
          if_wholesale_feed_version: priced.body.wholesale_feed_version,
        });
        if (now.unchanged !== true) {
          // Only when the feed moved again after the event (the storefront's own compliance run
          // books on this source in the background; seen once in a loaded CI run): then the
          // answer is the full one, under a newer version, with the price the event told of.
          expect(now.wholesale_feed_version).not.toBe(priced.body.wholesale_feed_version);
          expect(JSON.stringify(now.products)).toContain('35');
        }

        // Once: nothing more reaches the receiver for that change.
        await new Promise((r) => setTimeout(r, 4_000));
        const events = receiver.received.slice(before).filter((w) => w.body?.event);
        expect(events.map((w) => w.body.notification_type)).toEqual(['product.priced']);
        // The other buyer hears of its own account only, never of the first buyer's.
        const others = otherReceiver.received.filter((w) => w.body?.event);
        expect(others.every((w) => w.body.account_id === otherSync.accounts[0].account_id)).toBe(
          true,
        );
        expect(JSON.stringify(otherReceiver.received)).not.toContain(row.account_id);
      } finally {
        await Promise.all([
          agent.close(),
          otherAgent.close(),
          receiver.close(),
          otherReceiver.close(),
        ]);
      }
    },
  );

  it('refuses media-buy events, a repeated subscriber, an http or unproven URL per account', async () => {
    const sf = await modularStorefront(h);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const silent = await startWebhookReceiver();
    try {
      const sync = (configs: unknown[]) =>
        agent.call('sync_accounts', {
          adcp_version: '3.1',
          idempotency_key: key(),
          accounts: [{ ...account('acmeoutdoor.example'), notification_configs: configs }],
          context: { correlation_id: 'reject' },
        });
      const scheduled = await sync([
        {
          subscriber_id: 'reports',
          url: 'https://example.com/h',
          event_types: ['scheduled'],
          active: false,
        },
      ]);
      expect(scheduled.isError).toBe(false);
      expect(scheduled.context).toEqual({ correlation_id: 'reject' });
      expect(scheduled.accounts[0]).toMatchObject({
        action: 'failed',
        status: 'rejected',
        errors: [{ code: 'VALIDATION_ERROR', field: 'notification_configs[0].event_types[0]' }],
      });
      const twice = await sync([
        config('https://example.com/a', { active: false }),
        config('https://example.com/b', { active: false }),
      ]);
      expect(twice.accounts[0].errors[0].field).toBe('notification_configs[1].subscriber_id');
      // Plain http to a public host (this harness allows private networks, as tests must).
      const metadata = await sync([config('http://example.com/hook', { active: false })]);
      expect(metadata.accounts[0].errors[0]).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'notification_configs[0].url',
      });
      const malformed = await sync([config('not a url', { active: false })]);
      expect(malformed.accounts[0].errors[0]).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'notification_configs[0].url',
      });
      // A receiver that does not echo the challenge is not activated, and nothing is kept.
      const unproven = await sync([config(silent.url)]);
      expect(unproven.accounts[0].errors[0].field).toBe('notification_configs[0].url');
      const { rows } = await h.database.queryable.query(
        'select count(*)::int as n from account_notification_configs where storefront_id = $1',
        [sf.id],
      );
      expect(rows[0]?.['n']).toBe(0);
      // A credential outside authentication.credentials is CREDENTIAL_IN_ARGS, never echoed.
      const leaked = await sync([
        config('https://example.com/a', { active: false, ext: { api_key: 'sk_live_x' } }),
      ]);
      expect(leaked.adcp_error?.code ?? leaked.errors?.[0]?.code).toBe('CREDENTIAL_IN_ARGS');
      expect(JSON.stringify(leaked)).not.toContain('sk_live_x');
      // A 3.0 buyer's sync_accounts is as before 3.1: no notification configs echoed.
      const old = await agent.call('sync_accounts', {
        idempotency_key: key(),
        accounts: [account('acmeoutdoor.example')],
      });
      expect(old.accounts[0]).not.toHaveProperty('notification_configs');
    } finally {
      await Promise.all([agent.close(), silent.close()]);
    }
  });
});
