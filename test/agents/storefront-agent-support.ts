import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';

/** Starts the harness app on a loopback port (storefront agents are reached over real HTTP). */
export async function listen(h: Harness): Promise<string> {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}

export interface SourceSpec {
  sourceId: string;
  url: string;
  protocol?: 'MCP' | 'A2A';
  /** The bearer token the source requires; none when omitted. */
  token?: string;
  /** Buyers call it with their own credential, not the storefront's. */
  requiresCredentials?: boolean;
}

/** A SELLER whose storefront draws on `sources` (all ACTIVE), listed and transacting. */
export async function storefrontWith(
  h: Harness,
  sources: SourceSpec[],
  settings: Record<string, unknown> = {},
): Promise<{ seller: TestCustomer; id: number; platformId: string }> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: {
      defaultCurrency: 'USD',
      mediaBuyApproval: 'auto',
      creativeApproval: 'auto',
      ...settings,
    },
  });
  if (sf.status !== 200) throw new Error(`storefront: ${sf.text}`);
  for (const source of sources) {
    const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
      key: seller.key,
      body: {
        name: `Source ${source.sourceId}`,
        sourceId: source.sourceId,
        endpointUrl: source.url,
        protocol: source.protocol ?? 'MCP',
        ...(source.token
          ? { authenticationType: 'API_KEY', auth: { type: 'bearer', token: source.token } }
          : { authenticationType: 'NO_AUTH' }),
        ...(source.requiresCredentials && { requiresCredentials: true }),
      },
    });
    if (created.status !== 201) throw new Error(`source: ${created.text}`);
    const active = await h.call('PUT', `/api/v2/storefront/inventory-sources/${source.sourceId}`, {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
    if (active.status !== 200) throw new Error(`activate: ${active.text}`);
  }
  const activated = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
  if (activated.status !== 200) throw new Error(`activate storefront: ${activated.text}`);
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  return { seller, id: sf.body.data.id, platformId: sf.body.data.platformId };
}

/** A sponsored buyer of the storefront, joined through an auto-approving join link: its key. */
export async function sponsoredBuyerKey(
  h: Harness,
  seller: { key: string },
  storefrontId: number,
): Promise<string> {
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: seller.key,
    body: { storefrontId, approvalPolicy: 'auto_approve' },
  });
  if (link.status !== 201) throw new Error(`join link: ${link.text}`);
  const signup = await h.call('POST', `/api/v2/storefront/join/${link.body.data.slug}/signup`, {
    body: {
      name: 'Acme',
      email: `b${randomUUID()}@brand.example`,
      brandDomain: 'acmeoutdoor.example',
      acceptTerms: true,
    },
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.text}`);
  return signup.body.data.apiKey as string;
}

/** An MCP client of a storefront agent, as an AdCP buyer would hold it. */
export async function agentClient(baseUrl: string, platformId: string, key: string) {
  const client = new Client({ name: 'storefront-agent-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/adcp/storefront-${platformId}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return {
    client,
    /** Calls a tool; answers its structured content, `isError` and all. */
    async call(tool: string, args: Record<string, unknown> = {}) {
      const result = await client.callTool({ name: tool, arguments: args });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
      const content = (result.structuredContent ?? {}) as any;
      return { isError: result.isError === true, ...content };
    },
    close: () => client.close(),
  };
}

/** A storefront over one real MCP seller, listening on a loopback port. */
export interface StorefrontOverSeller {
  h: Harness;
  base: string;
  seller: RunningSeller;
  platformId: string;
}

/**
 * The storefront a file's tests share (made before them, closed after them): one real seller,
 * the source `real`. Its fields are set once the file's beforeAll has run.
 */
export function storefrontOverSeller(): StorefrontOverSeller {
  const at = {} as StorefrontOverSeller;
  beforeAll(async () => {
    at.h = await createHarness();
    at.base = await listen(at.h);
    at.seller = await startSeller('mcp');
    const made = await storefrontWith(at.h, [{ sourceId: 'real', url: at.seller.url }]);
    at.platformId = made.platformId;
  }, 90_000);
  afterAll(async () => {
    await at.seller?.close();
    await at.h?.close();
  });
  return at;
}

/** The sandbox account the storyboards seed under (a natural key naming the sandbox account). */
export const storyboardSandbox = {
  brand: { domain: 'test.example' },
  operator: 'test.example',
  sandbox: true,
};

/**
 * Makes `storyboardSandbox` the caller's sandbox account of record (sync_accounts): a buyer
 * holding one may name its sandbox as `{sandbox: true}` (issue 70: sandbox by stored record).
 * Answers the account's id.
 */
export async function syncSandboxAccount(agent: {
  call(tool: string, args?: Record<string, unknown>): Promise<{ accounts?: unknown }>;
}): Promise<string> {
  const synced = await agent.call('sync_accounts', {
    idempotency_key: randomUUID(),
    accounts: [{ ...storyboardSandbox, billing: 'operator' }],
  });
  const [account] = (synced.accounts ?? []) as Array<{ account_id?: string }>;
  if (!account?.account_id) throw new Error(`sync_accounts: ${JSON.stringify(synced)}`);
  return account.account_id;
}

/**
 * A new buyer on the storefront with its official MCP client, holding a sandbox account of
 * record, and the test controller called as the storyboards call it (on its sandbox unless told
 * another account).
 */
export async function controllerBuyer(at: Pick<StorefrontOverSeller, 'h' | 'base' | 'platformId'>) {
  const customer = await createCustomer(at.h, { role: 'BUYER' });
  const agent = await agentClient(at.base, at.platformId, customer.key);
  await syncSandboxAccount(agent);
  const control = (
    scenario: string,
    params: Record<string, unknown>,
    account: Record<string, unknown> = { sandbox: true },
  ) => agent.call('comply_test_controller', { account, scenario, params });
  return { customer, agent, control };
}

/** A create_media_buy of `product` on its first pricing option, starting now for two weeks. */
export function buyOf(
  product: { product_id: string; pricing_options: Array<{ pricing_option_id: string }> },
  account: Record<string, unknown> = { account_id: 'acme_media' },
  budget = 20_000,
) {
  return {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acme.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0]!.pricing_option_id,
        budget,
      },
    ],
  };
}

/**
 * A buyer agency and the account it names for `brand`: the brand, with the agency itself as
 * operator, the only operator a storefront lets a buyer name (upstream-account.ts). Its domain
 * is its own, so buyers of one file never hold each other's account at a shared seller.
 */
export async function agencyBuying(h: Harness, brand = 'acmeoutdoor.example') {
  const domain = `agency-${randomUUID().slice(0, 8)}.example`;
  const buyer = await createCustomer(h, { role: 'BUYER', domain });
  return { buyer, account: { brand: { domain: brand }, operator: domain } };
}
