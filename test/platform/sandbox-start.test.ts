import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  spawnServerProcess,
  startServerProcess,
  stopServerProcesses,
} from '../support/server-process.js';
import { agentClient } from '../agents/storefront-agent-support.js';
import { consentInBrowser } from '../modules/provider-adapters/support.js';

/*
 * The sandbox (issue 48 item 5) started the README's way, `INTERCHANGE_SANDBOX=1` on a fresh data
 * directory with the demo workspace, as a real process: the seller connects the fake Google Ad
 * Manager and the fake Meta through the sandbox's REST path, and the demo buyer buys one product
 * of each over MCP. The private-network guard stays on: only the fakes' own ports get through.
 */

afterAll(stopServerProcesses);

const sources = '/api/v2/storefront/inventory-sources';

function workspaceOf(output: string) {
  const seller = /Seller "[^"]+" \(customer \d+\) key: (\S+)/.exec(output)?.[1];
  const buyer = /Buyer {2}"[^"]+" \(customer \d+\) key: (\S+)/.exec(output)?.[1];
  const platformId = /Storefront "[^"]+" \(([^)]+)\) is listed/.exec(output)?.[1];
  if (!seller || !buyer || !platformId) throw new Error(`no demo workspace printed:\n${output}`);
  return { seller, buyer, platformId };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const buyOf = (
  product: { product_id: string; pricing_options: Array<{ pricing_option_id: string }> },
  creative: Record<string, unknown>,
) => ({
  idempotency_key: randomUUID(),
  account: { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' },
  brand: { domain: 'acmeoutdoor.example' },
  start_time: 'asap',
  end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  packages: [
    {
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      budget: 1500,
      creatives: [creative],
    },
  ],
});

const imageCreative = (url: string, width: number, height: number) => ({
  creative_id: `cr_${randomUUID().slice(0, 8)}`,
  name: 'Sandbox banner',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: { asset_type: 'image', url, width, height },
    headline: { asset_type: 'text', content: 'Spring is here' },
    click_url: { asset_type: 'url', url_type: 'clickthrough', url: 'https://acmeoutdoor.example' },
  },
});

describe('the sandbox (INTERCHANGE_SANDBOX=1)', () => {
  it('is refused at start under NODE_ENV=production, with the reason', async () => {
    const server = spawnServerProcess({
      env: { NODE_ENV: 'production', INTERCHANGE_SANDBOX: '1' },
    });
    const exit = await server.exited;
    expect(exit.code).toBe(1);
    expect(server.output()).toContain(
      'interchange: INTERCHANGE_SANDBOX: refused under NODE_ENV=production',
    );
  }, 120_000);

  it('connects the fake Ad Manager and the fake Meta, and sells one product of each', async () => {
    const server = await startServerProcess({
      env: {
        INTERCHANGE_SANDBOX: '1',
        INTERCHANGE_DEMO: '1',
        INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0',
      },
      readyTimeoutMs: 180_000,
    });
    const { seller, buyer, platformId } = workspaceOf(server.output());
    expect(server.output()).toContain('Sandbox (INTERCHANGE_SANDBOX=1)');
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, text, body: text ? JSON.parse(text) : null };
    };

    // Without a key the sandbox offers nothing: its steps are the seller's own API calls.
    expect(
      (await fetch(`${server.url}/api/v2/storefront/sandbox/gam/connect`, { method: 'POST' }))
        .status,
    ).toBe(401);

    const gam = await call('POST', '/api/v2/storefront/sandbox/gam/connect', seller);
    expect(gam.status, gam.text).toBe(200);
    expect(gam.body.data).toMatchObject({ sourceId: 'sandbox-gam', provisioningStatus: 'active' });
    await until(
      'the sandbox Ad Manager sync',
      async () => (await call('GET', `${sources}/sandbox-gam/sync-history?limit=1`, seller)).body,
      (b) => b?.data?.runs?.[0] && b.data.runs[0].status !== 'running',
    ).then((b) => expect(b.data.runs[0].status).toBe('completed'));

    const meta = await call('POST', '/api/v2/storefront/sandbox/meta/connect', seller);
    expect(meta.status, meta.text).toBe(200);
    const consent = await consentInBrowser(meta.body.data.authorizationUrl);
    expect(consent.status, consent.text).toBe(200);
    const connected = await call('GET', `${sources}/sandbox-meta/adapter`, seller);
    expect(connected.body.data.status, connected.text).toBe('CONNECTED');

    // The source list says sandbox for both.
    const list = await call('GET', sources, seller);
    const names = JSON.stringify(list.body.data);
    expect(names).toContain('Sandbox · Google Ad Manager');
    expect(names).toContain('Sandbox · Meta');

    const offer = await call('GET', '/api/v2/storefront/sandbox', seller);
    expect(offer.status, offer.text).toBe(200);
    const agent = await agentClient(server.url, platformId, buyer);
    try {
      const display = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'sports display',
        brand: { domain: 'acmeoutdoor.example' },
      });
      const sports = display.products?.find(
        (p: { name: string }) => p.name === 'Sandbox · Sports display',
      );
      expect(sports, JSON.stringify(display)).toBeDefined();
      expect(sports.description).toMatch(/^Sandbox: a local fake/);
      const gamBuy = await agent.call(
        'create_media_buy',
        buyOf(sports, imageCreative(offer.body.data.sampleCreativeUrl, 300, 250)),
      );
      // An ad-server buy waits for the seller's approval, whatever the storefront's setting.
      expect(gamBuy, JSON.stringify(gamBuy)).toMatchObject({ isError: false, status: 'submitted' });

      const social = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'Instagram stories for a spring outdoor launch',
        brand: { domain: 'acmeoutdoor.example' },
      });
      const stories = social.products?.find(
        (p: { name: string }) => p.name === 'Sandbox · Instagram Stories',
      );
      expect(stories, JSON.stringify(social)).toBeDefined();
      expect(stories.description).toMatch(/^Sandbox: a local fake/);
      const metaBuy = await agent.call(
        'create_media_buy',
        buyOf(stories, imageCreative('https://cdn.acmeoutdoor.example/hero.jpg', 1080, 1920)),
      );
      expect(metaBuy.isError, JSON.stringify(metaBuy)).toBe(false);
      expect(metaBuy.media_buy_id ?? metaBuy.task_id, JSON.stringify(metaBuy)).toBeTruthy();
    } finally {
      await agent.close();
    }

    // The seller approves the Ad Manager buy: the order is written to the fake and approved there.
    const queue = await call('GET', '/api/v2/storefront/media-buy-approvals', seller);
    expect(queue.body.data.items, queue.text).toHaveLength(1);
    const decided = await call(
      'POST',
      `/api/v2/storefront/media-buy-approvals/${queue.body.data.items[0].mediaBuyId}/decide`,
      seller,
      { status: 'approved' },
    );
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
    const orders = await until(
      'the order approved at the fake Ad Manager',
      async () => (await call('GET', '/api/v2/storefront/sandbox', seller)).body.data.gamOrders,
      (o: Array<{ status: string }>) => o.some((order) => order.status === 'APPROVED'),
    );
    expect(orders).toHaveLength(1);

    // The storefront's orders list says which source each buy went to, marked sandbox (the Ad
    // Manager buy reaches its source once the seller approved it).
    const listed = await call('GET', '/api/v2/storefront/media-buys', seller);
    expect(listed.status, listed.text).toBe(200);
    const legs = listed.body.data.items.flatMap((b: { sources: Array<{ name: string }> }) =>
      b.sources.map((s) => s.name),
    );
    expect(legs.sort()).toEqual(['Sandbox · Google Ad Manager', 'Sandbox · Meta']);
  }, 600_000);
});
