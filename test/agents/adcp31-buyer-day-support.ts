import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { type FakeGovernanceAgent, startFakeGovernanceAgent } from '../fakes/governance-agent.js';
import { type SdkSeller, startSdkSeller } from '../fixtures/sdk-seller.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';
import { eventually } from '../support/eventually.js';
import { a2aBuyer } from './a2a-buyer.js';
import { specViolations } from './adcp31-spec-schemas.js';
import { agentClient, listen } from './storefront-agent-support.js';

/*
 * What adcp31-buyer-day.test.ts runs on: a storefront whose seller approves every buy itself,
 * over a spreadsheet (a modular source's avails, committed from CSV) and @adcp/sdk's example
 * non-guaranteed seller, and a buyer's calls checked against the spec's 3.1.19 schemas.
 */

export type Agent = Awaited<ReturnType<typeof agentClient>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
export type Json = any;

export const approvals = '/api/v2/storefront/media-buy-approvals';

/** The account the day's buyer names: the example seller resolves it by publisher domain. */
export const account = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'pinnacle-agency.example',
};

export interface Day {
  h: Harness;
  sdk: SdkSeller;
  governor: FakeGovernanceAgent;
  base: string;
  sf: Awaited<ReturnType<typeof spreadsheetAndSdkStorefront>>;
  /** The 3.1 buyer (an agency naming itself operator), over MCP and A2A, and its API key. */
  agent: Agent;
  buyerKey: string;
  a2a: Awaited<ReturnType<typeof a2aBuyer>>;
}

/**
 * The file's storefront and 3.1 buyer, made before its tests and closed after them (read its
 * fields inside a test). The storefront runs as in production (NODE_ENV=production: @adcp/sdk
 * validates nothing, so what is checked is ours); the example seller, a process of its own, as
 * in development (its production mode wants a durable store).
 */
export function buyerDay(): Day {
  const day = {} as Day;
  const previousEnv = process.env['NODE_ENV'];
  beforeAll(async () => {
    [day.sdk, day.governor] = await Promise.all([startSdkSeller(), startFakeGovernanceAgent()]);
    process.env['NODE_ENV'] = 'production';
    day.h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
    day.base = await listen(day.h);
    day.sf = await spreadsheetAndSdkStorefront(day.h, day.sdk);
    const buyer = await createCustomer(day.h, { role: 'BUYER', domain: account.operator });
    day.buyerKey = buyer.key;
    day.agent = await agentClient(day.base, day.sf.platformId, buyer.key);
    day.a2a = await a2aBuyer(day.base, day.sf.platformId, buyer.key);
  }, 120_000);
  afterAll(async () => {
    process.env['NODE_ENV'] = previousEnv;
    await day.agent?.close();
    await Promise.all([day.sdk?.close(), day.governor?.close()]);
    await day.h?.close();
  });
  return day;
}

/** A package of `product` on its first pricing option and format option. */
export const packageOf = (product: Json, budget: number, extra: Record<string, unknown> = {}) => ({
  product_id: product.product_id,
  pricing_option_id: product.pricing_options[0].pricing_option_id,
  budget,
  format_option_refs: [
    { scope: 'product', format_option_id: product.format_options[0].format_option_id },
  ],
  ...extra,
});

/** A create_media_buy for the day's account, starting at once for 20 days. */
export const buyOf = (packages: Json[], extra: Record<string, unknown> = {}) => ({
  idempotency_key: randomUUID(),
  account,
  brand: { domain: 'acmeoutdoor.example' },
  start_time: 'asap',
  end_time: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  packages,
  ...extra,
});

/** The buy as get_media_buys answers it to the 3.1 buyer. */
export async function readBuy(day: Day, id: string): Promise<Json> {
  const read = await call31(day.agent, 'get_media_buys', { account, media_buy_ids: [id] });
  return read.media_buys[0];
}

/** The seller approves the one buy waiting; its task completes with the buy's id. */
export async function approved(day: Day, taskId: string): Promise<string> {
  // The pending queue, newest first: the one buy waiting.
  const [entry] = (await day.h.call('GET', approvals, { key: day.sf.seller.key })).body.data.items;
  const decided = await day.h.call('POST', `${approvals}/${entry.mediaBuyId}/decide`, {
    key: day.sf.seller.key,
    body: { status: 'approved' },
  });
  expect(decided.status, decided.text).toBe(200);
  const done = await eventually(
    () => call31(day.agent, 'get_task_status', { task_id: taskId, include_result: true }),
    (answer) => answer.status !== 'submitted' && answer.status !== 'working',
    // The decision settles the task a moment later; longer on a loaded machine.
    60_000,
    250,
  );
  expect(done).toMatchObject({
    task_id: taskId,
    task_type: 'create_media_buy',
    status: 'completed',
    result: { media_buy_id: expect.stringMatching(/^mb_/) },
  });
  return done.result.media_buy_id;
}

/** The storefront: avails hp-1 (100,000 at CPM 20) and hp-2 (50,000 at CPM 30), and the SDK seller. */
export async function spreadsheetAndSdkStorefront(h: Harness, sdk: SdkSeller) {
  const sf = await modularStorefront(h);
  const csv = [header, availRow('hp-1', 100_000), availRow('hp-2', 50_000, 30)].join('\n');
  await commitCsv(h, sf.seller.key, 'avails', csv);
  const added = await h.call('POST', sources, {
    key: sf.seller.key,
    body: {
      name: 'Acme network',
      sourceId: 'sdk',
      endpointUrl: sdk.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: sdk.token },
    },
  });
  if (added.status !== 201) throw new Error(`source: ${added.text}`);
  const active = await h.call('PUT', `${sources}/sdk`, {
    key: sf.seller.key,
    body: { status: 'ACTIVE' },
  });
  if (active.status !== 200) throw new Error(`activate: ${active.text}`);
  const manual = await h.call('PUT', '/api/v2/storefront', {
    key: sf.seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'manual', creativeApproval: 'auto' },
  });
  if (manual.status !== 200) throw new Error(`approval: ${manual.text}`);
  return sf;
}

/**
 * Calls `tool` pinned to 3.1 and checks the answer against the spec's 3.1.19 schema for it. The
 * test's servers listen on loopback over http, where the schemas want https for an agent's
 * production URLs (identity.brand_json_url, a governance agent's url): checked as https.
 */
export async function call31(agent: Agent, tool: string, args: Record<string, unknown> = {}) {
  const answer = await agent.call(tool, { adcp_version: '3.1', ...args });
  const asDeployed = JSON.parse(
    JSON.stringify(answer).replaceAll('http://127.0.0.1:', 'https://127.0.0.1:'),
  );
  expect(specViolations(tool, asDeployed), `${tool}: ${JSON.stringify(answer)}`).toEqual([]);
  expect(answer.adcp_version, tool).toBe('3.1');
  return answer as Json;
}

/** The example seller's own orders for acmeoutdoor.example's network (what it holds). */
export async function sdkOrders(sdk: SdkSeller): Promise<Json[]> {
  const lookup = await fetch(
    `${sdk.upstream.url}/_lookup/network?adcp_publisher=acmeoutdoor.example`,
  );
  const { network_code } = (await lookup.json()) as { network_code: string };
  const listed = await fetch(`${sdk.upstream.url}/v1/orders`, {
    headers: { authorization: `Bearer ${sdk.upstream.apiKey}`, 'x-network-code': network_code },
  });
  expect(listed.status).toBe(200);
  return ((await listed.json()) as { orders: Json[] }).orders;
}

/** A creative for a format option as a buyer builds it (an image, or a video for a video kind). */
export function creativeFor(id: string, product: Json) {
  const option = product.format_options[0];
  const video = String(option.format_kind).startsWith('video');
  return {
    creative_id: id,
    name: `Spring ${id}`,
    format_id: product.format_ids[0],
    assets: video
      ? {
          video: {
            asset_type: 'video',
            url: `https://cdn.example/${id}.mp4`,
            width: 1920,
            height: 1080,
            duration_ms: 15_000,
          },
        }
      : {
          image: {
            asset_type: 'image',
            url: `https://cdn.example/${id}.png`,
            width: option.params?.width ?? 300,
            height: option.params?.height ?? 250,
          },
        },
  };
}
