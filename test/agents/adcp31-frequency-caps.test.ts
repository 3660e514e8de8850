import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, day, sources } from '../modules/modular-sources/support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/*
 * Frequency caps through a storefront (issue 49 item 9): an AdCP agent source that declares
 * media_buy.frequency_capping (the demo seller, its capabilities answer extended) and a
 * spreadsheet source, which passes no cap to anything. A cap on the agent's product reaches the
 * agent and is read back; a cap on the spreadsheet's is refused before anything is booked; the
 * storefront declares frequency_capping to 3.1 callers only. Over MCP with the official client.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let platformId: string;

const declared = {
  supported_per_units: ['individuals', 'households'],
  supported_window_units: ['days'],
};
const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const avail = `home,Homepage,homepage,display,${day(-1)},${day(30)},500000,12,USD,display_300x250,news.example`;

const expectStatus = <R extends { status: number; text: string }>(res: R, status = 200): R => {
  if (res.status !== status) throw new Error(res.text);
  return res;
};

/** The demo seller's own capabilities answer, which the test extends. */
async function capabilitiesOf(url: string): Promise<Record<string, unknown>> {
  const client = new Client({ name: 'freq-cap-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const result = await client.callTool({ name: 'get_adcp_capabilities', arguments: {} });
    return result.structuredContent as Record<string, unknown>;
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  seller = await startSeller('mcp');
  const caps = await capabilitiesOf(seller.url);
  const mediaBuy = caps['media_buy'] as Record<string, unknown>;
  seller.answerInstead!('get_adcp_capabilities', {
    data: { ...caps, media_buy: { ...mediaBuy, frequency_capping: declared } },
  });
  const { key } = await createCustomer(h, { role: 'SELLER' });
  const sf = expectStatus(
    await h.call('PUT', '/api/v2/storefront', {
      key,
      body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
    }),
  );
  platformId = sf.body.data.platformId;
  const agent = { name: 'Agent', sourceId: 'agent', endpointUrl: seller.url, protocol: 'MCP' };
  expectStatus(await h.call('POST', sources, { key, body: agent }), 201);
  expectStatus(await h.call('PUT', `${sources}/agent`, { key, body: { status: 'ACTIVE' } }));
  const feed = { name: 'Site avails', sourceId: 'avails' };
  expectStatus(await h.call('POST', `${sources}/modular/feed`, { key, body: feed }), 201);
  await commitCsv(h, key, 'avails', [header, avail].join('\n'));
  expectStatus(await h.call('POST', '/api/v2/storefront/activate', { key }));
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const cap = (per = 'individuals') => ({
  max_impressions: 3,
  per,
  window: { interval: 1, unit: 'days' },
});
type Offered = { product_id: string; pricing_options: Array<{ pricing_option_id: string }> };

async function buyer() {
  const customer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, platformId, customer.key);
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  const product = (prefix: string) =>
    (products as Offered[]).find((p) => p.product_id.startsWith(prefix))!;
  const pkg = (p: Offered, overlay?: Record<string, unknown>) => ({
    product_id: p.product_id,
    pricing_option_id: p.pricing_options[0]!.pricing_option_id,
    // The demo seller's floor is 5,000; the spreadsheet's 500,000 impressions cost 6,000.
    budget: p.product_id.startsWith('agent') ? 10_000 : 1_000,
    ...(overlay && { targeting_overlay: overlay }),
  });
  const buy = (packages: unknown[], extra: Record<string, unknown> = v31) =>
    agent.call('create_media_buy', {
      ...extra,
      idempotency_key: randomUUID(),
      account: { account_id: 'acme_media' },
      brand: { domain: 'acme.example' },
      start_time: 'asap',
      end_time: day(14),
      packages,
    });
  const buys = async () =>
    (await agent.call('get_media_buys', { ...v31, account: { account_id: 'acme_media' } }))
      .media_buys as Array<Record<string, unknown>>;
  return { agent, agentProduct: product('agent__'), sheet: product('avails__'), pkg, buy, buys };
}

const creates = () => seller.toolCalls().filter((c) => c.tool === 'create_media_buy');

describe('frequency caps through a storefront', () => {
  it(
    "passes a 3.1 buyer's cap to the agent that enforces it and reads it back",
    { timeout: 90_000 },
    async () => {
      const b = await buyer();
      try {
        const before = creates().length;
        const created = await b.buy([b.pkg(b.agentProduct, { frequency_cap: cap() })]);
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const sent = creates().slice(before);
        expect(sent).toHaveLength(1);
        const packages = sent[0]!.args['packages'] as Array<Record<string, unknown>>;
        expect(packages[0]!['targeting_overlay']).toMatchObject({ frequency_cap: cap() });
        const [read] = (await b.buys()).filter((m) => m['media_buy_id'] === created.media_buy_id);
        const readPackages = read!['packages'] as Array<Record<string, unknown>>;
        expect(readPackages[0]!['targeting_overlay']).toMatchObject({ frequency_cap: cap() });
      } finally {
        await b.agent.close();
      }
    },
  );

  it(
    'refuses a cap a source cannot enforce at its field, and books nothing anywhere',
    { timeout: 90_000 },
    async () => {
      const b = await buyer();
      try {
        const before = creates().length;
        // The spreadsheet passes caps to no ad server: refused, the agent's package with it.
        const mixed = await b.buy([
          b.pkg(b.agentProduct, { frequency_cap: cap() }),
          b.pkg(b.sheet, { frequency_cap: cap() }),
        ]);
        expect(mixed.isError).toBe(true);
        expect(mixed.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[1].targeting_overlay.frequency_cap',
          recovery: 'correctable',
        });
        // A unit the agent does not declare is refused for a 3.1 buyer before the agent sees it.
        const devices = await b.buy([b.pkg(b.agentProduct, { frequency_cap: cap('devices') })]);
        expect(devices.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].targeting_overlay.frequency_cap',
        });
        expect(devices.adcp_error.message).toContain('devices');
        // A 3.0 buyer's cap on the spreadsheet is refused too (it would be dropped).
        const old = await b.buy([b.pkg(b.sheet, { frequency_cap: cap() })], {});
        expect(old.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].targeting_overlay.frequency_cap',
        });
        expect(creates().length).toBe(before);
        expect(await b.buys()).toEqual([]);

        // Without the cap the same spreadsheet package is bought; a cap added later is refused.
        const plain = await b.buy([b.pkg(b.sheet)]);
        expect(plain.isError, JSON.stringify(plain)).toBe(false);
        const packageId = (plain.packages as Array<{ package_id: string }>)[0]!.package_id;
        const update = (extra: Record<string, unknown>) =>
          b.agent.call('update_media_buy', {
            ...extra,
            idempotency_key: randomUUID(),
            account: { account_id: 'acme_media' },
            media_buy_id: plain.media_buy_id,
            packages: [{ package_id: packageId, targeting_overlay: { frequency_cap: cap() } }],
          });
        // A 3.1 buyer is told first that the buy does not offer the change at all.
        expect((await update(v31)).adcp_error).toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
        expect((await update({})).adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].targeting_overlay.frequency_cap',
        });
      } finally {
        await b.agent.close();
      }
    },
  );

  it(
    "declares frequency_capping with the enforcing source's units to 3.1 callers only; a 3.0 buyer's agent cap passes as before",
    { timeout: 90_000 },
    async () => {
      const b = await buyer();
      try {
        const caps31 = await b.agent.call('get_adcp_capabilities', v31);
        expect(caps31.media_buy.frequency_capping).toEqual(declared);
        const caps30 = await b.agent.call('get_adcp_capabilities', {});
        expect(caps30.media_buy).not.toHaveProperty('frequency_capping');
        // A 3.0 buyer's cap reaches the agent as before 3.1, unit and all: the agent judges it.
        const before = creates().length;
        const old = await b.buy([b.pkg(b.agentProduct, { frequency_cap: cap('devices') })], {});
        expect(old.isError, JSON.stringify(old)).toBe(false);
        const sent = creates().slice(before);
        const packages = sent[0]!.args['packages'] as Array<Record<string, unknown>>;
        expect(packages[0]!['targeting_overlay']).toMatchObject({ frequency_cap: cap('devices') });
      } finally {
        await b.agent.close();
      }
    },
  );
});
