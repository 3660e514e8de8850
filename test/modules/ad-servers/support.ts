import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import {
  createCustomer,
  createHarness,
  type CallResult,
  type Harness,
  type TestCustomer,
} from '../../harness.js';
import { a2aBuyer } from '../../agents/a2a-buyer.js';
import { agentClient, listen } from '../../agents/storefront-agent-support.js';

export const sources = '/api/v2/storefront/inventory-sources';

/** The publisher's own products over the fake network's inventory (placement 502, key section). */
export const sportsProduct = {
  productId: 'sports_display',
  name: 'Sports display',
  description: 'Sports section, sports readers',
  placementIds: ['502'],
  keyValues: { section: ['sports'] },
  cpm: 12,
};

/** A SELLER with a storefront under manual buy approval (the gate before any ad-server write). */
export async function adServerSeller(
  h: Harness,
  mediaBuyApproval: 'manual' | 'auto' = 'manual',
): Promise<{ seller: TestCustomer; id: number; platformId: string }> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval, creativeApproval: 'auto' },
  });
  if (sf.status !== 200) throw new Error(`storefront: ${sf.text}`);
  return { seller, id: sf.body.data.id, platformId: sf.body.data.platformId };
}

/**
 * One harness per test file for an ad-server fake on a real socket: `env` points the ad server's
 * base URLs at the fake; the job runner is started (syncs and bookings are jobs) and the app
 * listens, so buyers' agents reach it over MCP at `base`.
 */
export async function adServerHarness(env: Record<string, string>) {
  const h = await createHarness(env);
  await h.services.jobs.start();
  const base = await listen(h);
  return { h, base };
}

/**
 * A seller (approval `approval`) connects ad server source `sourceId` with `body`, its first
 * inventory sync completes, and its storefront opens. Answers the seller and the connect answer.
 */
export async function connectAdServer(
  h: Harness,
  sourceId: string,
  body: Record<string, unknown>,
  approval: 'manual' | 'auto' = 'manual',
) {
  const sf = await adServerSeller(h, approval);
  const saved = await h.call('PUT', `${sources}/${sourceId}/ad-server`, {
    key: sf.seller.key,
    body,
  });
  expect(saved.status, saved.text).toBe(200);
  const run = await settledSync(h, sf.seller.key, sourceId);
  expect(run.status, JSON.stringify(run)).toBe('completed');
  await openStorefront(h, sf.seller, sf.id);
  return { ...sf, saved };
}

/** Lists the storefront and lets it transact. */
export async function openStorefront(h: Harness, seller: TestCustomer, id: number) {
  const activated = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
  if (activated.status !== 200) throw new Error(`activate storefront: ${activated.text}`);
  await h.call('POST', `/api/v2/admin/storefronts/${id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
}

/** Polls the source's sync history until its newest run settles; answers that run. */
export async function settledSync(h: Harness, key: string, sourceId: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const history = await h.call('GET', `${sources}/${sourceId}/sync-history?limit=1`, { key });
    const run = history.body?.data?.runs?.[0];
    if (run && run.status !== 'running') return run;
    if (Date.now() > until) throw new Error(`sync did not settle: ${history.text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An AdCP buyer of either transport: a skill call answering its payload. */
interface BuyerAgent {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  call(skill: string, input?: Record<string, unknown>): Promise<any>;
}

/**
 * The creative a test buyer syncs: a 300x250 image (the default), a video file or a VAST tag by
 * URL; `product` is the end of the product id to book (default `sports_display`).
 */
export interface TestCreative {
  name: string;
  url: string;
  kind?: 'image' | 'video' | 'vast';
  durationMs?: number;
  product?: string;
}

/** The AdCP manifest of a test creative: its format and its one asset, with a click-through. */
export function manifestOf(creative: TestCreative, creativeId: string) {
  const agent_url = 'https://creative.adcontextprotocol.org';
  const durationMs = creative.durationMs ?? 30_000;
  const click = {
    asset_type: 'url',
    url_type: 'clickthrough',
    url: 'https://acme.example/offer',
  };
  if (creative.kind === 'video') {
    return {
      creative_id: creativeId,
      name: creative.name,
      format_id: { agent_url, id: 'video_standard', duration_ms: durationMs },
      assets: {
        video: {
          asset_type: 'video',
          url: creative.url,
          width: 1920,
          height: 1080,
          duration_ms: durationMs,
          container_format: 'mp4',
        },
        click_url: click,
      },
    };
  }
  if (creative.kind === 'vast') {
    return {
      creative_id: creativeId,
      name: creative.name,
      format_id: { agent_url, id: 'video_vast', duration_ms: durationMs },
      assets: {
        vast: { asset_type: 'vast', delivery_type: 'url', url: creative.url, vast_version: '4.2' },
      },
    };
  }
  return {
    creative_id: creativeId,
    name: creative.name,
    format_id: { agent_url, id: 'display_300x250' },
    assets: { image: { asset_type: 'image', url: creative.url, width: 300, height: 250 } },
  };
}

/**
 * A buyer's agent on the storefront at `base` finds the sports product, syncs one creative
 * (`creative`: an image unless it says otherwise) and books 6,000 of the product with it for two
 * weeks. Answers the agent and create_media_buy's answer.
 */
export async function bookSports(
  base: string,
  platformId: string,
  buyerKey: string,
  creative: TestCreative,
  /** More of the package and the request (a targeting overlay, `adcp_version`). */
  extra: { pkg?: Record<string, unknown>; request?: Record<string, unknown> } = {},
) {
  const agent = await agentClient(base, platformId, buyerKey);
  return { agent, booked: await bookSportsWith(agent, creative, extra) };
}

/** The same buy made over A2A with the official @a2a-js/sdk client. */
export async function bookSportsOverA2A(
  base: string,
  platformId: string,
  buyerKey: string,
  creative: TestCreative,
) {
  const agent = await a2aBuyer(base, platformId, buyerKey);
  return { agent, booked: await bookSportsWith(agent, creative) };
}

/** Discovers the sports product, syncs the creative and books it; the booking's answer. */
async function bookSportsWith(
  agent: BuyerAgent,
  creative: TestCreative,
  extra: { pkg?: Record<string, unknown>; request?: Record<string, unknown> } = {},
) {
  const listed = await agent.call('get_products', { buying_mode: 'brief', brief: 'sports' });
  const products = listed.products;
  expect(products, JSON.stringify(listed)).toBeTruthy();
  const product = products.find((p: { product_id: string }) =>
    p.product_id.endsWith(creative.product ?? 'sports_display'),
  );
  expect(product, JSON.stringify(products)).toBeTruthy();
  const creativeId = `cr_${randomUUID().slice(0, 8)}`;
  const synced = await agent.call('sync_creatives', {
    idempotency_key: randomUUID(),
    account: { account_id: 'acme_media' },
    creatives: [manifestOf(creative, creativeId)],
  });
  expect(synced.isError ?? false, JSON.stringify(synced)).toBe(false);
  return agent.call('create_media_buy', {
    ...extra.request,
    idempotency_key: randomUUID(),
    account: { account_id: 'acme_media' },
    brand: { domain: 'acme.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0].pricing_option_id,
        budget: 6_000,
        creative_assignments: [{ creative_id: creativeId }],
        ...extra.pkg,
      },
    ],
  });
}

/** The seller approves the buy waiting for approval. */
export const decide = (h: Harness, key: string, mediaBuyId: string) =>
  h.call('POST', `/api/v2/storefront/media-buy-approvals/${mediaBuyId}/decide`, {
    key,
    body: { status: 'approved' },
  });

/** The seller approves the oldest buy in its approval queue; answers the decision. */
export async function approveQueued(h: Harness, key: string) {
  const queue = await h.call('GET', '/api/v2/storefront/media-buy-approvals', { key });
  return decide(h, key, queue.body.data.items[0].mediaBuyId);
}

/** The seller's approval went through, but the ad server refused the buy's line item. */
export function expectRefusedLine(decided: CallResult) {
  expect(decided.status, decided.text).toBe(200);
  expect(decided.body.data.forwardOutcome).not.toBe('all_completed');
  expect(JSON.stringify(decided.body.data.forwardResult)).toMatch(/refused a line item/);
}

/**
 * The seller imports delivery from source `sourceId`'s ad server; the buyer's agent then reads at
 * least 1,000 impressions at the CPM of 12, and the source's status shows it live and connected
 * with one active package and fresh delivery.
 */
export async function expectDeliveryImported(
  h: Harness,
  agent: Awaited<ReturnType<typeof agentClient>>,
  key: string,
  sourceId: string,
  adapterType: string,
) {
  const imported = await h.call('POST', `${sources}/${sourceId}/ad-server/delivery/import`, {
    key,
  });
  expect(imported.status, imported.text).toBe(200);
  expect(imported.body.data.rows).toBeGreaterThan(0);
  const delivery = await agent.call('get_media_buy_delivery', {
    account: { account_id: 'acme_media' },
  });
  expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
  const totals = delivery.media_buy_deliveries?.[0]?.totals;
  expect(totals?.impressions).toBeGreaterThanOrEqual(1000);
  expect(totals?.spend).toBeCloseTo((totals.impressions / 1000) * 12, 1);

  const status = await h.call('GET', `${sources}/${sourceId}/status`, { key });
  expect(status.body.data).toMatchObject({
    operational: { isLive: true },
    adapter: { type: adapterType, connected: true },
    packages: { activeCount: 1 },
    delivery: { ageSeconds: expect.any(Number) },
  });
}
