import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import type * as DnsPromises from 'node:dns/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * Buyers' push_notification_config.url is delivered through the guarded outbound client: with
 * private networks refused, nothing a buyer names reaches loopback, whether by name, by an IPv6
 * form embedding 127.0.0.1, or by DNS that answers a public address first and loopback later.
 * With private networks allowed, notifications still arrive signed, and redirects are not
 * followed.
 *
 * DNS is scripted for names under `.test` (the only part of the network an attacker controls
 * here): each answers its listed addresses in turn, the last one from then on.
 */
const dns = vi.hoisted(() => ({ answers: new Map<string, string[]>(), asked: [] as string[] }));
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof DnsPromises>();
  const lookup = (async (hostname: string, options: object) => {
    const scripted = dns.answers.get(hostname);
    if (!scripted) return real.lookup(hostname, options as never);
    dns.asked.push(hostname);
    // Scripted with no address: the name does not resolve.
    if (!scripted.length)
      throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const address = (scripted.length > 1 ? scripted.shift() : scripted[0]) as string;
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  }) as typeof real.lookup;
  return { ...real, lookup, default: { ...real, lookup } };
});

let h: Harness;
let seller: RunningSeller;
/** The harness app's services with INTERCHANGE_ALLOW_PRIVATE_NETWORK=0, listening. */
let closed: FastifyInstance;
let closedBase: string;
let openBase: string;
let victim: Awaited<ReturnType<typeof startListener>>;

beforeAll(async () => {
  h = await createHarness();
  openBase = await listen(h);
  seller = await startSeller('mcp');
  victim = await startListener();
  closed = await h.buildApp({ INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0' }, { services: true });
  await closed.listen({ host: '127.0.0.1', port: 0 });
  closedBase = `http://127.0.0.1:${(closed.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([seller?.close(), victim?.close()]);
  await h.close();
});

/** A real loopback socket counting every connection made to it; answers 204 unless told. */
async function startListener(answer?: (res: ServerResponse) => void) {
  const posts: IncomingHttpHeaders[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    posts.push(req.headers);
    req.resume();
    if (answer) answer(res);
    else res.writeHead(204).end();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hook`,
    posts,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
const approvals = '/api/v2/storefront/media-buy-approvals';

/** A manual-approval storefront, a buyer's agent on `base`, and a seeded sandbox product. */
async function buyerOn(base: string) {
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], {
    mediaBuyApproval: 'manual',
  });
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  const seed = (scenario: string, params: Record<string, unknown>) =>
    agent.call('comply_test_controller', { scenario, params, account: sandbox });
  await seed('seed_product', {
    product_id: 'hooks_q3',
    fixture: { delivery_type: 'guaranteed', channels: ['video'] },
  });
  await seed('seed_pricing_option', {
    product_id: 'hooks_q3',
    pricing_option_id: 'cpm_h',
    fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 20 },
  });
  const buy = (url: string) =>
    agent.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account: sandbox,
      brand: { domain: 'test.example' },
      start_time: 'asap',
      end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      packages: [{ product_id: 'hooks_q3', pricing_option_id: 'cpm_h', budget: 5000 }],
      push_notification_config: { url },
    });
  return { sf, agent, buy };
}

/** Approves the storefront's one pending buy through `app`. */
async function approveOnly(sf: { seller: { key: string } }, app?: FastifyInstance) {
  const queue = await h.call('GET', approvals, { key: sf.seller.key, ...(app && { app }) });
  expect(queue.body.data.total).toBe(1);
  const entry = queue.body.data.items[0];
  const decided = await h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
    key: sf.seller.key,
    body: { status: 'approved' },
    ...(app && { app }),
  });
  expect(decided.status).toBe(200);
  expect(decided.body.data.forwardOutcome).toBe('all_completed');
  return entry.mediaBuyId as string;
}

describe('push notification URLs with private networks refused', () => {
  it('rejects a URL reaching loopback up front, as INVALID_REQUEST on push_notification_config.url', async () => {
    dns.answers.set('hooks.loopback.test', ['127.0.0.1']);
    dns.answers.set('hooks.mapped.test', ['::ffff:127.0.0.1']);
    // This machine's own name, when real DNS (hosts file) points it at loopback.
    const own = await lookup(hostname(), { all: true }).catch(() => []);
    const ownIsLoopback = own.length > 0 && own.every((a) => a.address.startsWith('127.'));
    const { sf, agent, buy } = await buyerOn(closedBase);
    try {
      const port = victim.port;
      for (const url of [
        `http://localhost:${port}/hook`,
        ...(ownIsLoopback ? [`http://${hostname()}:${port}/hook`] : []),
        `http://hooks.loopback.test:${port}/hook`,
        `http://hooks.mapped.test:${port}/hook`,
        `http://[64:ff9b::7f00:1]:${port}/hook`,
        `http://[::ffff:127.0.0.1]:${port}/hook`,
        'http://169.254.169.254/latest/meta-data/',
      ]) {
        const refused = await buy(url);
        expect(refused.isError, url).toBe(true);
        expect(refused.adcp_error, url).toMatchObject({
          code: 'INVALID_REQUEST',
          field: 'push_notification_config.url',
        });
      }
      const queue = await h.call('GET', approvals, { key: sf.seller.key, app: closed });
      expect(queue.body.data.total).toBe(0);
      expect(victim.connections()).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('never connects to a name that turns to loopback after the buy is approved', async () => {
    // Public when the buy is checked, loopback when the notification is delivered.
    dns.answers.set('hooks.rebind.test', ['93.184.216.34', '127.0.0.1']);
    const { sf, agent, buy } = await buyerOn(closedBase);
    try {
      const submitted = await buy(`http://hooks.rebind.test:${victim.port}/hook`);
      expect(submitted, JSON.stringify(submitted)).toMatchObject({
        isError: false,
        status: 'submitted',
      });
      const askedBefore = dns.asked.filter((name) => name === 'hooks.rebind.test').length;
      const mediaBuyId = await approveOnly(sf, closed);
      // The completed task's notification was attempted (its name was resolved again)...
      await eventually(
        async () => dns.asked.filter((name) => name === 'hooks.rebind.test').length,
        (asked) => asked > askedBefore,
        10_000,
      );
      const task = await agent.call('tasks_get', { task_id: submitted.task_id, account: sandbox });
      expect(JSON.stringify(task)).toContain(mediaBuyId);
      // ...and refused: nothing connected to the loopback socket.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(victim.connections()).toBe(0);
    } finally {
      await agent.close();
    }
  });
});

describe('push notification URLs with private networks allowed', () => {
  it('takes a buy whose push host does not resolve, and posts nothing to it while it does not', async () => {
    // As the storyboards' https://example.com/… push URLs offline: the buy must not be refused.
    dns.answers.set('hooks.unresolved.test', []);
    const receiver = await startListener();
    const { sf, agent, buy } = await buyerOn(openBase);
    try {
      const submitted = await buy(`http://hooks.unresolved.test:${receiver.port}/hook`);
      expect(submitted, JSON.stringify(submitted)).toMatchObject({
        isError: false,
        status: 'submitted',
      });
      const askedBefore = dns.asked.filter((name) => name === 'hooks.unresolved.test').length;
      await approveOnly(sf);
      // The notification came due and its host was judged again: still unresolved, held.
      await eventually(
        async () => dns.asked.filter((name) => name === 'hooks.unresolved.test').length,
        (asked) => asked > askedBefore,
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.connections()).toBe(0);
    } finally {
      await agent.close();
      await receiver.close();
    }
  });

  it('delivers the signed notification to the registered URL and follows no redirect', async () => {
    const redirector = await startListener((res) =>
      res.writeHead(307, { location: victim.url }).end(),
    );
    const { sf, agent, buy } = await buyerOn(openBase);
    try {
      const submitted = await buy(`${redirector.url}?buyer=1`);
      expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
      await approveOnly(sf);
      await eventually(
        async () => redirector.posts.length,
        (n) => n > 0,
        10_000,
      );
      expect(redirector.posts[0]).toMatchObject({
        'signature-input': expect.any(String),
        signature: expect.any(String),
      });
      // Longer than the emitter's first retry backoff (1 s, ±25%).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // A redirect is a terminal failure: one attempt, and nothing followed it to loopback.
      expect(redirector.posts).toHaveLength(1);
      expect(victim.connections()).toBe(0);
    } finally {
      await agent.close();
      await redirector.close();
    }
  });
});
