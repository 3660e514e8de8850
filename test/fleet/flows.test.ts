import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../../scripts/fleet/fleet.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { startOAuthServer, type OAuthServer } from '../fixtures/oauth-server.js';
import { agentClient } from '../agents/storefront-agent-support.js';
import { startWebhookReceiver } from '../agents/webhook-receiver.js';
import { png } from '../support/images.js';
import { call, customer, type Json } from '../support/spawned-server.js';
import { eventually } from '../support/eventually.js';
import { queryFleetDatabase, storefrontOfSources } from './fleet-support.js';

/*
 * A seller's, a buyer's and an agent's flows on a fleet of two, each step on the other instance
 * than the one before (A, then B, then A: the instances' own URLs, so the alternation is certain;
 * the balancer does the same by round robin). Nothing a flow needs may live in one instance:
 * join links, keys, console sessions, OAuth states, signed links, AdCP tasks and their webhooks,
 * idempotency keys; and a write on one instance is seen by the next request on the other
 * (docs/operations.md states the bound: the write's answer leaves once every instance was told).
 */

let fleet: Fleet;
let sellers: RunningSeller[];
let bearer: RunningSeller;
let idp: OAuthServer;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let A: string;
let B: string;

beforeAll(async () => {
  [sellers, bearer, receiver] = await Promise.all([
    Promise.all([startSeller('mcp'), startSeller('mcp')]),
    startSeller('bearer'),
    startWebhookReceiver(),
  ]);
  idp = await startOAuthServer(bearer.token as string);
  fleet = await startFleet({
    instances: 2,
    balancer: process.env['FLEET_BALANCER'] === 'node' ? 'node' : 'auto',
    env: {
      INTERCHANGE_RATE_LIMIT: '1000000',
      INTERCHANGE_PUBLIC_RATE_LIMIT: '1000000',
      INTERCHANGE_SOURCE_BUDGET_MS: '15000',
      INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '90000',
      INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '120000',
    },
  });
  A = fleet.instances[0]!.url;
  B = fleet.instances[1]!.url;
}, 300_000);

afterAll(async () => {
  await fleet?.close();
  await Promise.all([...(sellers ?? []), bearer].map((s) => s?.close()));
  await Promise.all([idp?.close(), receiver?.close()]);
});

const ok = (answer: { status: number; text: string }, status = 200) =>
  expect(answer.status, answer.text).toBe(status);

describe('flows across a fleet of two', { timeout: 240_000 }, () => {
  it('join link: minted on A, shown and signed up on B, its key used on A; disabled on B, refused on A at once', async () => {
    const storefront = await storefrontOfSources(fleet.url, fleet.adminKey, [
      { sourceId: 'one', url: sellers[0]!.url },
    ]);
    const minted = await call(A, 'POST', '/api/v2/storefront/join-links', {
      key: storefront.sellerKey,
      body: { storefrontId: storefront.id, approvalPolicy: 'auto_approve' },
    });
    ok(minted, 201);
    const { slug, id: linkId } = minted.body.data;
    // Both instances read the link (and cache what they read).
    for (const at of [B, A]) {
      const context = await call(at, 'GET', `/api/v2/storefront/join-context/${slug}`);
      expect(context.body.data).toMatchObject({ valid: true });
    }
    const joined = await call(B, 'POST', `/api/v2/storefront/join/${slug}/signup`, {
      body: {
        name: 'Fleet Shoes',
        email: `fleet-${randomUUID()}@shoes.example`,
        brandDomain: 'shoes.example',
        acceptTerms: true,
      },
    });
    ok(joined, 201);
    const me = await call(A, 'GET', '/api/v2/accounts/current', { key: joined.body.data.apiKey });
    ok(me);
    expect(me.body.data.sponsorship).toMatchObject({ storefrontId: storefront.id });

    // A reads (and caches) the link just before B disables it.
    const before = await call(A, 'GET', `/api/v2/storefront/join-context/${slug}`);
    expect(before.body.data).toMatchObject({ valid: true });
    ok(
      await call(B, 'DELETE', `/api/v2/storefront/join-links/${linkId}`, {
        key: storefront.sellerKey,
      }),
    );
    // A read the link a moment ago; the disable on B reached it before B answered.
    const after = await call(A, 'GET', `/api/v2/storefront/join-context/${slug}`);
    expect(after.body.data).toMatchObject({ valid: false });
    const refused = await call(A, 'POST', `/api/v2/storefront/join/${slug}/signup`, {
      body: {
        name: 'Too Late',
        email: `late-${randomUUID()}@shoes.example`,
        brandDomain: 'shoes.example',
        acceptTerms: true,
      },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
  });

  it('a key revoked on A is refused by B on the next request', async () => {
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    const second = await call(A, 'POST', `/api/v2/admin/customers/${buyer.id}/api-keys`, {
      key: fleet.adminKey,
    });
    ok(second, 201);
    const key = second.body.data.key as string;
    // B knows the key (its key cache holds it).
    ok(await call(B, 'GET', '/api/v2/accounts/current', { key }));
    ok(await call(B, 'GET', '/api/v2/accounts/current', { key }));
    ok(
      await call(A, 'DELETE', `/api/v2/admin/api-keys/${second.body.data.id}`, {
        key: fleet.adminKey,
      }),
    );
    expect((await call(B, 'GET', '/api/v2/accounts/current', { key })).status).toBe(401);
    // The customer's other key still works everywhere.
    ok(await call(B, 'GET', '/api/v2/accounts/current', { key: buyer.key }));
  });

  it('a source deactivated on A leaves the next get_products on B', async () => {
    const storefront = await storefrontOfSources(fleet.url, fleet.adminKey, [
      { sourceId: 'one', url: sellers[0]!.url },
      { sourceId: 'two', url: sellers[1]!.url },
    ]);
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    const sourcesOf = async (products: Json[]) =>
      [...new Set(products.map((p) => String(p.product_id).split('__')[0]))].sort();
    const agent = await agentClient(B, storefront.platformId, buyer.key);
    try {
      const before = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(await sourcesOf(before.products)).toEqual(['one', 'two']);
      ok(
        await call(A, 'PUT', '/api/v2/storefront/inventory-sources/two', {
          key: storefront.sellerKey,
          body: { status: 'DISABLED' },
        }),
      );
      const after = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(await sourcesOf(after.products)).toEqual(['one']);
    } finally {
      await agent.close();
    }
  });

  it('console: signed in on A, used on B, signed out on B, the cookie refused on A', async () => {
    const seller = await customer(fleet.url, fleet.adminKey, 'SELLER');
    const page = await fetch(`${A}/console/sign-in`);
    const visitor = cookieOf(page);
    const csrf = csrfOf(await page.text());
    const signedIn = await fetch(`${B}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor },
      body: new URLSearchParams({ csrf, apiKey: seller.key }).toString(),
    });
    expect(signedIn.status).toBe(303);
    const cookie = cookieOf(signedIn);
    const home = await fetch(`${A}/console`, { headers: { cookie }, redirect: 'manual' });
    expect(home.status).toBe(200);
    const homeCsrf = csrfOf(await home.text());
    const out = await fetch(`${B}/console/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ csrf: homeCsrf }).toString(),
    });
    expect(out.status).toBe(303);
    const replay = await fetch(`${A}/console`, { headers: { cookie }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/console/sign-in?reason=ended');
  });

  it('signed links: an asset uploaded on A and a CSV link made on B are served by the other', async () => {
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    const uploaded = await fetch(`${A}/api/v2/buyer/creative-assets?filename=banner.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${buyer.key}`, 'content-type': 'image/png' },
      body: png(300, 250),
    });
    expect(uploaded.status).toBe(201);
    const asset = ((await uploaded.json()) as Json).data;
    const link = new URL(asset.public_url as string);
    // The link names the balancer; both instances serve it, and nobody without its signature.
    for (const at of [B, fleet.url]) {
      const served = await fetch(`${at}${link.pathname}${link.search}`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(png(300, 250))).toBe(true);
    }
    const unsigned = (await fetch(`${B}${link.pathname}`)).status;
    expect(unsigned).toBeGreaterThanOrEqual(400);
    expect(unsigned).toBeLessThan(500);

    const today = new Date().toISOString().slice(0, 10);
    const report = await call(
      B,
      'GET',
      `/api/v2/buyer/reporting/metrics?startDate=${today}&endDate=${today}&download=true`,
      { key: buyer.key },
    );
    ok(report);
    const csvLink = new URL(report.body.data.downloadUrl as string);
    const csv = await fetch(`${A}${csvLink.pathname}${csvLink.search}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  });

  it('OAuth: consent started on A, its callback completed on B, the state spent and the credential ACTIVE everywhere', async () => {
    const seller = await customer(fleet.url, fleet.adminKey, 'SELLER');
    const storefront = (await call(A, 'GET', '/api/v2/storefront', { key: seller.key })).body.data;
    const source = await call(B, 'POST', '/api/v2/storefront/inventory-sources', {
      key: seller.key,
      body: {
        name: 'OAuth agent',
        sourceId: 'oauth-agent',
        endpointUrl: bearer.url,
        protocol: 'MCP',
        authenticationType: 'OAUTH',
        requiresCredentials: true,
        auth: {
          type: 'oauth',
          clientId: 'interchange',
          scope: 'adcp',
          authorizationServerUrl: idp.issuer,
        },
      },
    });
    ok(source, 201);
    const agentId = source.body.data.agentId as string;
    ok(
      await call(A, 'PUT', '/api/v2/storefront/inventory-sources/oauth-agent', {
        key: seller.key,
        body: { status: 'ACTIVE' },
      }),
    );
    ok(
      await call(B, 'POST', `/api/v2/admin/storefronts/${storefront.id}/marketplace`, {
        key: fleet.adminKey,
        body: { action: 'list' },
      }),
    );
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    const started = await call(
      A,
      'POST',
      `/api/v2/storefront/agents/${agentId}/accounts/oauth/authorize`,
      {
        key: buyer.key,
        body: {},
      },
    );
    ok(started);
    const consent = await fetch(started.body.data.authorizationUrl as string, {
      redirect: 'manual',
    });
    const callback = new URL(consent.headers.get('location') as string);
    // The callback names the balancer (the public URL); it lands on B here.
    expect(callback.origin).toBe(fleet.url);
    const done = await call(B, 'POST', `/api/v2/storefront/agents/${agentId}/oauth/callback`, {
      key: buyer.key,
      body: {
        code: callback.searchParams.get('code'),
        state: callback.searchParams.get('state'),
      },
    });
    ok(done);
    expect(done.body.data).toMatchObject({ agentId, status: 'ACTIVE' });
    // The state is spent for the whole fleet: A refuses it too.
    const reused = await call(A, 'POST', `/api/v2/storefront/agents/${agentId}/oauth/callback`, {
      key: buyer.key,
      body: {
        code: callback.searchParams.get('code'),
        state: callback.searchParams.get('state'),
      },
    });
    expect(reused.status).toBe(400);
    const sf = await call(A, 'GET', `/api/v2/buyer/storefronts/${storefront.id}`, {
      key: buyer.key,
    });
    expect(sf.body.data.sources[0]).toMatchObject({ connected: true });
    const credentials = await call(B, 'GET', '/api/v2/buyer/storefronts/credentials', {
      key: buyer.key,
    });
    expect(credentials.body.data).toHaveLength(1);
    expect(credentials.body.data[0]).toMatchObject({ status: 'ACTIVE' });
  });

  it('AdCP: a buy submitted on A, replayed on B, approved on B: one buy at the seller, the task completed on A, its webhook posted once', async () => {
    const storefront = await storefrontOfSources(
      fleet.url,
      fleet.adminKey,
      [{ sourceId: 'one', url: sellers[0]!.url }],
      { mediaBuyApproval: 'manual' },
    );
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    const onA = await agentClient(A, storefront.platformId, buyer.key);
    const onB = await agentClient(B, storefront.platformId, buyer.key);
    try {
      const { products } = await onA.call('get_products', { buying_mode: 'wholesale' });
      const product = products[0];
      const request = {
        idempotency_key: randomUUID(),
        account: { account_id: 'acme_media' },
        brand: { domain: 'acme.example' },
        start_time: new Date(Date.now() + 86_400_000).toISOString(),
        end_time: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 20_000,
          },
        ],
        push_notification_config: {
          url: receiver.url,
          authentication: {
            schemes: ['Bearer'],
            credentials: 'fleet-webhook-secret-0123456789abcdef',
          },
        },
      };
      const createsBefore = createsAt(sellers[0]!, 'acme.example');
      const submitted = await onA.call('create_media_buy', request);
      expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
      const replayed = await onB.call('create_media_buy', request);
      expect(replayed).toMatchObject({ isError: false, task_id: submitted.task_id });

      const queue = await call(B, 'GET', '/api/v2/storefront/media-buy-approvals', {
        key: storefront.sellerKey,
      });
      expect(queue.body.data.total).toBe(1);
      const entry = queue.body.data.items[0];
      ok(
        await call(B, 'POST', `/api/v2/storefront/media-buy-approvals/${entry.mediaBuyId}/decide`, {
          key: storefront.sellerKey,
          body: { status: 'approved' },
        }),
      );
      const task = await onA.call('tasks_get', {
        task_id: submitted.task_id,
        account: { account_id: 'acme_media' },
      });
      expect(JSON.stringify(task)).toContain(entry.mediaBuyId);
      // The buyer is told by push, though A holds the request and B decided: signed, completed
      // with the buy, and once.
      const ofTask = () => receiver.received.filter((h) => h.body?.task_id === submitted.task_id);
      const hook = await receiver.next((h) => h.body?.task_id === submitted.task_id, 30_000);
      expect(hook.body).toMatchObject({ status: 'completed', task_type: 'create_media_buy' });
      expect(hook.body.result.media_buy_id).toBe(entry.mediaBuyId);
      expect(hook.headers['signature-input']).toEqual(expect.any(String));
      // Every notification job of the task has run (none waiting to post again): one webhook.
      await eventually(
        () =>
          queryFleetDatabase(
            fleet,
            `select state from pgboss.job where name = 'storefront.task-notification'
              and singleton_key = $1`,
            [submitted.task_id],
          ),
        (jobs) => jobs.length > 0 && jobs.every((j) => j.state === 'completed'),
        30_000,
      );
      expect(ofTask().map((h) => [h.body.idempotency_key, h.body.timestamp])).toHaveLength(1);
      // The seller got the one buy; the replay on B booked nothing more. (Counted by the buy's
      // brand: the compliance runs of this file's other storefronts book at the same seller.)
      expect(createsAt(sellers[0]!, 'acme.example')).toBe(createsBefore + 1);
    } finally {
      await Promise.all([onA.close(), onB.close()]);
    }
  });

  it('REST Idempotency-Key: the same POST on A then B makes one advertiser', async () => {
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    const idempotencyKey = randomUUID();
    const post = (at: string) =>
      fetch(`${at}/api/v2/buyer/advertisers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${buyer.key}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({
          name: 'Fleet Advertiser',
          brand: 'fleet.example',
          primaryCurrency: 'USD',
        }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    const first = await post(A);
    const second = await post(B);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.data.id).toBe(first.body.data.id);
    const list = await call(A, 'GET', '/api/v2/buyer/advertisers', { key: buyer.key });
    expect(list.body.data.items.map((a: Json) => a.id)).toEqual([first.body.data.id]);
  });
});

function createsAt(seller: RunningSeller, brandDomain: string): number {
  return seller
    .toolCalls()
    .filter(
      (c) =>
        c.tool === 'create_media_buy' &&
        (c.args['brand'] as { domain?: string } | undefined)?.domain === brandDomain,
    ).length;
}

function cookieOf(res: Response): string {
  return String(res.headers.get('set-cookie')).split(';')[0]!;
}

function csrfOf(html: string): string {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}
