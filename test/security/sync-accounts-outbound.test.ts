import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen } from '../agents/storefront-agent-support.js';
import { startWebhookReceiver } from '../agents/webhook-receiver.js';
import { modularStorefront } from '../modules/modular-sources/support.js';

/*
 * Issue 69 item 3: outbound on behalf of one sync_accounts call is bounded. On main one call of
 * 100 accounts × 16 active notification_configs sent a signed webhook.challenge per config
 * (1,600 POSTs to a receiver that answers; to one that never answers, 100 POSTs, 5 s each, the
 * server going on long after the client gave up), and a host name that did not resolve failed
 * the whole account. Now a call challenges at most 4 per origin (none after one failed), 16 in
 * all, within 15 s and the buyer's 60 a minute; the rest are kept inactive, pending, shown as
 * such by sync_accounts and list_accounts, and proved later by a durable job.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  await h.services.jobs.start();
}, 120_000);
afterAll(() => h?.close());

/** A receiver that reads every request and never answers. */
async function silentReceiver() {
  let posts = 0;
  const server: Server = createServer((req) => {
    req.on('data', () => undefined);
    req.on('end', () => (posts += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    posts: () => posts,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const configs = (url: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    subscriber_id: `hook-${i}`,
    url: `${url}/${i}`,
    event_types: ['product.priced'],
  }));

const accounts = (n: number, notificationConfigs: unknown[]) =>
  Array.from({ length: n }, (_, i) => ({
    brand: { domain: `brand-${i}.example` },
    operator: 'pinnacle-agency.example',
    billing: 'operator',
    notification_configs: notificationConfigs,
  }));

const sync = (agent: Awaited<ReturnType<typeof agentClient>>, entries: unknown[]) =>
  agent.call('sync_accounts', {
    adcp_version: '3.1',
    idempotency_key: `sync-${randomUUID()}`,
    accounts: entries,
  });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the answer's JSON
type Config = any;
const proofOf = (c: Config) => c.ext?.interchange?.proof;

async function listedConfigs(agent: Awaited<ReturnType<typeof agentClient>>): Promise<Config[]> {
  const listed = await agent.call('list_accounts', { adcp_version: '3.1' });
  return listed.accounts.flatMap((a: { notification_configs: Config[] }) => a.notification_configs);
}

describe('sync_accounts bounds its challenges', () => {
  it('proves what the call may now, holds the rest pending (and an unresolvable host), and a job proves them', async () => {
    const sf = await modularStorefront(h);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const receiver = await startWebhookReceiver({ answerChallenges: true });
    const challenges = () =>
      receiver.received.filter((w) => w.body?.type === 'webhook.challenge').length;
    try {
      const synced = await sync(
        agent,
        accounts(1, [
          ...configs(receiver.url, 6),
          // Never resolves (RFC 6761): held pending, never challenged, never trusted.
          {
            subscriber_id: 'nowhere',
            url: 'https://hooks.nowhere.invalid/x',
            event_types: ['product.priced'],
          },
          // The storyboards' paused subscriber on an example host: kept paused, not refused.
          {
            subscriber_id: 'paused',
            url: 'https://example.com/webhooks/adcp/account-paused',
            event_types: ['product.priced'],
            active: false,
          },
        ]),
      );
      const [entry] = synced.accounts;
      expect(entry.action, JSON.stringify(entry)).toBe('created');
      // The call's own four; the job may already have sent the other two.
      expect(challenges()).toBeGreaterThanOrEqual(4);
      expect(challenges()).toBeLessThanOrEqual(6);
      const echoed: Config[] = entry.notification_configs;
      expect(echoed.filter((c) => c.active && !proofOf(c)).map((c) => c.subscriber_id)).toEqual([
        'hook-0',
        'hook-1',
        'hook-2',
        'hook-3',
      ]);
      expect(echoed.filter((c) => proofOf(c) === 'pending').map((c) => c.subscriber_id)).toEqual([
        'hook-4',
        'hook-5',
        'nowhere',
      ]);
      expect(echoed.find((c) => c.subscriber_id === 'nowhere')).toMatchObject({
        active: false,
        ext: { interchange: { proof_reason: expect.stringMatching(/does not resolve/) } },
      });
      expect(echoed.find((c) => c.subscriber_id === 'paused')).toMatchObject({ active: false });
      expect(proofOf(echoed.find((c) => c.subscriber_id === 'paused'))).toBeUndefined();
      expect(entry.warnings.join(' ')).toMatch(/hook-4.*inactive until its webhook.challenge/);

      // list_accounts shows what is held; the job proves the two left on a live receiver.
      expect(
        (await listedConfigs(agent)).filter((c: Config) => proofOf(c) === 'pending').length,
      ).toBeGreaterThanOrEqual(1);
      const deadline = Date.now() + 60_000;
      let listed: Config[] = [];
      for (;;) {
        listed = await listedConfigs(agent);
        if (listed.filter((c) => c.active).length === 6 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(listed.filter((c) => c.active).map((c) => c.subscriber_id)).toEqual(
        Array.from({ length: 6 }, (_, i) => `hook-${i}`),
      );
      expect(challenges()).toBe(6);
      expect(listed.find((c) => c.subscriber_id === 'nowhere')).toMatchObject({ active: false });
    } finally {
      await receiver.close();
      await agent.close();
    }
  }, 120_000);

  it('30 accounts × 16 configs to a receiver that never answers: one challenge, the call ends in time', async () => {
    const sf = await modularStorefront(h);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const silent = await silentReceiver();
    try {
      const started = Date.now();
      const synced = await sync(agent, accounts(30, configs(silent.url, 16)));
      const tookMs = Date.now() - started;
      // The call sent one; the proving job (one run at a time, within the buyer's 60 a minute)
      // may have sent another while the call was answering.
      expect(silent.posts()).toBeLessThanOrEqual(3);
      expect(tookMs).toBeLessThan(60_000);
      const [first, ...rest] = synced.accounts;
      expect(first).toMatchObject({ action: 'failed' });
      expect(first.errors[0].field).toBe('notification_configs[0].url');
      expect(rest).toHaveLength(29);
      for (const entry of rest) {
        expect(entry.action).toBe('created');
        expect(entry.notification_configs.map(proofOf)).toEqual(Array(16).fill('pending'));
        expect(entry.notification_configs.every((c: Config) => c.active === false)).toBe(true);
      }
    } finally {
      await silent.close();
      await agent.close();
    }
  }, 120_000);

  it('100 accounts × 16 configs to a receiver that answers: 4 challenges reach it during the call', async () => {
    const sf = await modularStorefront(h);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const receiver = await startWebhookReceiver({ answerChallenges: true });
    try {
      const synced = await sync(agent, accounts(100, configs(receiver.url, 16)));
      // The call's four, and what the proving job sent meanwhile within the buyer's 60 a minute.
      expect(receiver.received.length).toBeLessThanOrEqual(60);
      const all: Config[] = synced.accounts.flatMap(
        (a: { notification_configs: Config[] }) => a.notification_configs,
      );
      expect(all).toHaveLength(1600);
      expect(all.filter((c) => c.active)).toHaveLength(4);
      expect(all.filter((c) => proofOf(c) === 'pending')).toHaveLength(1596);
    } finally {
      await receiver.close();
      await agent.close();
    }
  }, 120_000);
});
