import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import {
  type FakePropertyListAgent,
  startFakePropertyListAgent,
} from '../fakes/property-list-agent.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, day, sources } from '../modules/modular-sources/support.js';
import {
  agentClient,
  listen,
  storyboardSandbox,
  syncSandboxAccount,
} from './storefront-agent-support.js';

/*
 * Seller-side property lists (issue 49 item 7) on a storefront agent, for buyers that pin AdCP
 * 3.1: a spreadsheet source with avails on two publisher domains and an AdCP agent source (which
 * does not say where its products serve). The buyer's lists live at a property-list agent fake
 * (MCP on a real socket), fetched with get_property_list. A 3.0 buyer's answers do not change.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let lists: FakePropertyListAgent;
let platformId: string;

const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
const avail = (id: string, domain: string) =>
  `${id},Homepage ${id},homepage,display,${day(-1)},${day(30)},500000,12,USD,display_300x250,${domain}`;

const expectStatus = <R extends { status: number; text: string }>(res: R, status = 200): R => {
  if (res.status !== status) throw new Error(res.text);
  return res;
};

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  seller = await startSeller('mcp');
  // One page per identifier: resolving follows the agent's cursor.
  lists = await startFakePropertyListAgent({
    lists: {
      news_only: ['elsewhere.example', 'news.example'],
      sports_only: ['sports.example'],
    },
    pageSize: 1,
  });
  const owner = await createCustomer(h, { role: 'SELLER' });
  const key = owner.key;
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
  const rows = [
    avail('news-home', 'news.example'),
    avail('news-section', 'news.example'),
    avail('sports-home', 'sports.example'),
  ];
  await commitCsv(h, key, 'avails', [header, ...rows].join('\n'));
  expectStatus(await h.call('POST', '/api/v2/storefront/activate', { key }));
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
}, 120_000);
afterAll(async () => {
  await lists?.close();
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const listRef = (listId: string, agentUrl = lists.url) => ({
  agent_url: agentUrl,
  list_id: listId,
});
type Answer = { product_id: string; publisher_properties: Array<{ publisher_domain: string }> };
const spreadsheetDomains = (products: Answer[]) =>
  products
    .filter((p) => p.product_id.startsWith('avails'))
    .flatMap((p) => p.publisher_properties.map((property) => property.publisher_domain));
const idsOf = (products: Answer[]) => products.map((p) => p.product_id).sort();

async function buyer() {
  const customer = await createCustomer(h, { role: 'BUYER' });
  return agentClient(base, platformId, customer.key);
}

describe('get_products with a property list (3.1)', () => {
  it(
    'answers only products within an include list, none on an excluded domain, and says which sources could not filter',
    { timeout: 90_000 },
    async () => {
      const agent = await buyer();
      try {
        const wholesale = { buying_mode: 'wholesale', ...v31 };
        const all = await agent.call('get_products', wholesale);
        expect(new Set(spreadsheetDomains(all.products))).toEqual(
          new Set(['news.example', 'sports.example']),
        );
        expect(all.products.some((p: Answer) => p.product_id.startsWith('agent'))).toBe(true);

        const included = await agent.call('get_products', {
          ...wholesale,
          property_list: listRef('news_only'),
        });
        expect(included.isError, JSON.stringify(included)).toBe(false);
        expect(included.property_list_applied).toBe(true);
        expect(included.products).toHaveLength(2);
        expect(new Set(spreadsheetDomains(included.products))).toEqual(new Set(['news.example']));
        // The agent source cannot say where its products serve: left out, and said so.
        expect(included.products.some((p: Answer) => p.product_id.startsWith('agent'))).toBe(false);
        expect(included.errors).toContainEqual(
          expect.objectContaining({
            code: 'UNSUPPORTED_FEATURE',
            field: 'property_list',
            details: expect.objectContaining({
              source_id: 'agent',
              reason: 'property_list_unsupported',
            }),
          }),
        );

        const excluded = await agent.call('get_products', {
          ...wholesale,
          property_list_exclude: listRef('news_only'),
        });
        expect(new Set(spreadsheetDomains(excluded.products))).toEqual(new Set(['sports.example']));
        expect(excluded.products).toHaveLength(1);
        // Two pages per resolution of news_only, once: the second call read the cached list.
        const newsCalls = lists.calls().filter((c) => c.args['list_id'] === 'news_only');
        expect(newsCalls).toHaveLength(2);
        expect(newsCalls[1]!.args['pagination']).toMatchObject({ cursor: '1' });
      } finally {
        await agent.close();
      }
    },
  );

  it(
    'answers a 3.0 buyer exactly as before, list or not, and declares the feature to 3.1 only',
    { timeout: 90_000 },
    async () => {
      const agent = await buyer();
      try {
        const plain = await agent.call('get_products', { buying_mode: 'wholesale' });
        const listed = await agent.call('get_products', {
          buying_mode: 'wholesale',
          property_list: listRef('sports_only'),
        });
        expect(listed.isError).toBe(false);
        expect(idsOf(listed.products)).toEqual(idsOf(plain.products));
        expect(listed).not.toHaveProperty('property_list_applied');
        expect(lists.calls().some((c) => c.args['list_id'] === 'sports_only')).toBe(false);
        // The feature is declared to 3.1 callers only: a spreadsheet source can filter.
        const caps31 = await agent.call('get_adcp_capabilities', v31);
        expect(caps31.media_buy.features.property_list_filtering).toBe(true);
        const caps30 = await agent.call('get_adcp_capabilities', {});
        // A 3.0 caller keeps today's declaration (@adcp/sdk's default, false): it is not filtered.
        expect(caps30.media_buy.features.property_list_filtering).toBe(false);
      } finally {
        await agent.close();
      }
    },
  );

  it(
    'resolves the compliance test kit’s lists for a sandbox account from the kit, never for a live one',
    { timeout: 90_000 },
    async () => {
      // The storyboards name these at a host that does not exist (test-kits/acme-outdoor.yaml).
      const kit = (listId: string) => listRef(listId, 'https://governance.pinnacle-agency.example');
      const agent = await buyer();
      try {
        await syncSandboxAccount(agent);
        const sandboxAsk = { buying_mode: 'wholesale', account: storyboardSandbox, ...v31 };
        const sandboxed = await agent.call('get_products', {
          ...sandboxAsk,
          property_list: kit('acme_outdoor_no_match_v1'),
        });
        expect(sandboxed.isError, JSON.stringify(sandboxed)).toBe(false);
        expect(sandboxed.property_list_applied).toBe(true);
        expect(spreadsheetDomains(sandboxed.products)).toEqual([]);
        // A buy of a spreadsheet product with the kit's allowlist: resolved, and refused as
        // serving outside it (the sheet sells none of the kit's domains), not "unreachable".
        const products = (await agent.call('get_products', sandboxAsk)).products as Answer[];
        const sheet = products.find((p) => p.product_id.startsWith('avails'))!;
        const bought = await agent.call('create_media_buy', {
          ...v31,
          idempotency_key: randomUUID(),
          account: storyboardSandbox,
          brand: { domain: 'acme.example' },
          start_time: 'asap',
          end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          packages: [
            {
              product_id: sheet.product_id,
              pricing_option_id: `${sheet.product_id.replace(/^avails__/, '')}_cpm`,
              budget: 1_000,
              targeting_overlay: { property_list: kit('acme_outdoor_allowlist_v1') },
            },
          ],
        });
        expect(bought.adcp_error, JSON.stringify(bought)).toMatchObject({
          code: 'VALIDATION_ERROR',
          field: 'packages[0].targeting_overlay.property_list',
        });
        // A live account's list is fetched from its agent, which cannot be reached.
        const live = await agent.call('get_products', {
          buying_mode: 'wholesale',
          ...v31,
          property_list: kit('acme_outdoor_no_match_v1'),
        });
        expect(live.adcp_error, JSON.stringify(live)).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          field: 'property_list',
        });
      } finally {
        await agent.close();
      }
    },
  );

  it(
    'refuses a list it cannot resolve with a clear error on the field, never a 500',
    { timeout: 90_000 },
    async () => {
      const gone = await startFakePropertyListAgent({ lists: {} });
      await gone.close();
      const agent = await buyer();
      try {
        const wholesale = { buying_mode: 'wholesale', ...v31 };
        const unreachable = await agent.call('get_products', {
          ...wholesale,
          property_list: listRef('news_only', gone.url),
        });
        expect(unreachable.isError).toBe(true);
        expect(unreachable.adcp_error).toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
          field: 'property_list',
          recovery: 'transient',
        });
        const unknown = await agent.call('get_products', {
          ...wholesale,
          property_list: listRef('no_such_list'),
        });
        expect(unknown.adcp_error).toMatchObject({
          code: 'REFERENCE_NOT_FOUND',
          field: 'property_list',
        });
        const malformed = await agent.call('get_products', {
          ...wholesale,
          property_list: { agent_url: 'not a url', list_id: 'x' },
        });
        // Outside production @adcp/sdk checks the request's shape first (VALIDATION_ERROR with
        // a JSON pointer); in production, which validates nothing, ours answers INVALID_REQUEST.
        expect(malformed.isError).toBe(true);
        expect(['VALIDATION_ERROR', 'INVALID_REQUEST']).toContain(malformed.adcp_error.code);
        expect(malformed.adcp_error.field).toMatch(/property_list[./]agent_url/);
      } finally {
        await agent.close();
      }
    },
  );
});

describe('a property list behind a token (3.1)', () => {
  it(
    "takes the list's auth_token (the reference's own field, not a credential in args) and presents it to the list's agent",
    { timeout: 90_000 },
    async () => {
      const guarded = await startFakePropertyListAgent({
        lists: { news_only: ['news.example'] },
        token: 'list-reader-token',
      });
      const agent = await buyer();
      try {
        const wholesale = { buying_mode: 'wholesale', ...v31 };
        const answer = await agent.call('get_products', {
          ...wholesale,
          property_list: { ...listRef('news_only', guarded.url), auth_token: 'list-reader-token' },
        });
        expect(answer.isError, JSON.stringify(answer)).toBe(false);
        expect(new Set(spreadsheetDomains(answer.products))).toEqual(new Set(['news.example']));
        expect(guarded.calls()[0]!.authorization).toBe('Bearer list-reader-token');
        expect(JSON.stringify(answer)).not.toContain('list-reader-token');
        // A credential anywhere else in the arguments is still refused, naming only its path.
        const smuggled = await agent.call('get_products', {
          ...wholesale,
          ext: { api_key: 'sk-not-here' },
        });
        expect(smuggled.adcp_error).toMatchObject({ code: 'CREDENTIAL_IN_ARGS' });
        expect(JSON.stringify(smuggled)).not.toContain('sk-not-here');
      } finally {
        await agent.close();
        await guarded.close();
      }
    },
  );
});

describe('create_media_buy with a property list in targeting (3.1)', () => {
  it(
    'books a package within the list, refuses one outside it and one a source cannot filter, with the field',
    { timeout: 90_000 },
    async () => {
      const agent = await buyer();
      try {
        const { products } = await agent.call('get_products', {
          buying_mode: 'wholesale',
          ...v31,
        });
        const byId = (prefix: string) =>
          products.find((p: { product_id: string }) => p.product_id.startsWith(prefix));
        const buy = (product: {
          product_id: string;
          pricing_options: Array<{ pricing_option_id: string }>;
        }) => ({
          ...v31,
          idempotency_key: randomUUID(),
          account: { account_id: 'acme_media' },
          brand: { domain: 'acme.example' },
          start_time: 'asap',
          end_time: day(14),
          packages: [
            {
              product_id: product.product_id,
              pricing_option_id: product.pricing_options[0]!.pricing_option_id,
              budget: 1_000,
              targeting_overlay: { property_list: listRef('news_only') },
            },
          ],
        });
        const outside = await agent.call('create_media_buy', buy(byId('avails__sports-home')));
        expect(outside.isError).toBe(true);
        expect(outside.adcp_error).toMatchObject({
          code: 'VALIDATION_ERROR',
          field: 'packages[0].targeting_overlay.property_list',
        });
        expect(outside.adcp_error.message).toContain('sports.example');

        const unfiltered = await agent.call('create_media_buy', buy(byId('agent__')));
        expect(unfiltered.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].targeting_overlay.property_list',
        });

        const within = await agent.call('create_media_buy', buy(byId('avails__news-home')));
        expect(within.isError, JSON.stringify(within)).toBe(false);
        expect(within.media_buy_id).toEqual(expect.any(String));
      } finally {
        await agent.close();
      }
    },
  );
});
