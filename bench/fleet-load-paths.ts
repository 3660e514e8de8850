import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { call, campaignOn, type Json, storefrontOver } from '../test/support/spawned-server.js';

/**
 * What bench/fleet-load.ts drives, set up once per fleet through its balancer (the seller, the
 * buyer and their objects live in the fleet's one PostgreSQL, so every balancer over any subset
 * of its instances serves the same data), and one call of each path. A call answers normally or
 * throws: a non-2xx status, an MCP error or a short answer is an error of that path.
 */
export const pathNames = [
  'join context',
  'storefront list',
  'discovery',
  'get_products (agent)',
  'campaign execute',
  'reporting summary',
  'api_call',
] as const;
export type PathName = (typeof pathNames)[number] | 'health';

export interface Seeded {
  slug: string;
  storefrontId: number;
  platformId: string;
  buyerKey: string;
  advertiserId: number;
  /** Campaigns created and not executed yet, taken one per execute call. */
  campaigns: string[];
  discoveryId: string;
}

function must(answer: { status: number; text: string; body: Json }, what: string): Json {
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer.body?.data;
}

export async function seedFleet(base: string, adminKey: string, sellerUrl: string) {
  const storefront = await storefrontOver(base, adminKey, sellerUrl);
  const link = must(
    await call(base, 'POST', '/api/v2/storefront/join-links', {
      key: storefront.sellerKey,
      body: { storefrontId: storefront.id, approvalPolicy: 'auto_approve' },
    }),
    'join link',
  );
  // The buyer: one executed campaign (so reporting has a buy), its advertiser, its discovery.
  const first = await campaignWithin(base, adminKey, storefront);
  must(
    await call(base, 'POST', `/api/v2/buyer/campaigns/${first.campaignId}/execute`, {
      key: first.key,
      body: {},
    }),
    'first execute',
  );
  const got = must(
    await call(base, 'GET', `/api/v2/buyer/campaigns/${first.campaignId}`, { key: first.key }),
    'campaign',
  );
  return {
    slug: link.slug as string,
    storefrontId: storefront.id,
    platformId: storefront.platformId,
    buyerKey: first.key,
    advertiserId: Number(got.campaign.advertiserId),
    discoveryId: String(got.campaign.discoveryId),
    campaigns: [],
  } satisfies Seeded;
}

/**
 * campaignOn, tried again after the read caches' 2 s bound: under this machine's load the
 * storefront's activation can reach another instance's caches later than the next request.
 */
async function campaignWithin(base: string, adminKey: string, storefront: Sf, tries = 4) {
  for (let i = 1; ; i++) {
    try {
      return await campaignOn(base, adminKey, storefront, 'Fleet load');
    } catch (error) {
      if (i >= tries) throw error;
      process.stderr.write(`seeding: ${String(error)}; again in 3 s\n`);
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}
type Sf = Awaited<ReturnType<typeof storefrontOver>>;

/** `count` more campaigns over the buyer's discovery (its selected product), to execute. */
export async function moreCampaigns(base: string, seeded: Seeded, count: number) {
  const start = new Date(Date.now() + 86_400_000);
  for (let i = 0; i < count; i++) {
    const created = must(
      await call(base, 'POST', '/api/v2/buyer/campaigns', {
        key: seeded.buyerKey,
        body: {
          advertiserId: seeded.advertiserId,
          name: `Fleet load ${seeded.campaigns.length}`,
          flightDates: {
            startDate: start.toISOString(),
            endDate: new Date(start.getTime() + 14 * 86_400_000).toISOString(),
          },
          budget: { total: 40_000, currency: 'USD' },
          discoveryId: seeded.discoveryId,
        },
      }),
      'campaign',
    );
    seeded.campaigns.push(created.campaign.campaignId as string);
  }
}

async function mcpClient(url: string, key: string) {
  const client = new Client({ name: 'fleet-load', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

async function expectOk(response: Response, what: string) {
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${text.slice(0, 200)}`);
  return text;
}

/**
 * One worker's call of `path` through the balancer at `base`, with whatever it keeps open
 * (an MCP client, connected once) and closes at `close`.
 */
export async function workerFor(path: PathName, base: string, seeded: Seeded) {
  const auth = { authorization: `Bearer ${seeded.buyerKey}` };
  const get =
    (url: string, headers: Record<string, string> = auth) =>
    async () =>
      void (await expectOk(await fetch(`${base}${url}`, { headers }), url));
  const post = (url: string, body: unknown) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  let close = async () => {};
  let run: () => Promise<void>;
  switch (path) {
    case 'health':
      run = get('/health', {});
      break;
    case 'join context':
      run = get(`/api/v2/storefront/join-context/${seeded.slug}`, {});
      break;
    case 'storefront list':
      run = get('/api/v2/buyer/storefronts?limit=20');
      break;
    case 'reporting summary':
      run = get('/api/v2/buyer/reporting/metrics?days=0');
      break;
    case 'discovery': {
      const body = {
        advertiserId: seeded.advertiserId,
        brief: 'Outdoor display for a spring launch',
        storefrontIds: [seeded.storefrontId],
      };
      run = async () => {
        const text = await expectOk(
          await post('/api/v2/buyer/discovery/discover-products', body),
          'discovery',
        );
        const groups = (JSON.parse(text) as Json).data.productGroups as Json[];
        if (!groups.some((g) => (g.products as Json[]).length > 0)) {
          throw new Error('discovery found no products');
        }
      };
      break;
    }
    case 'campaign execute':
      run = async () => {
        const id = seeded.campaigns.pop();
        if (!id) throw new Error('no campaign left to execute');
        const text = await expectOk(
          await post(`/api/v2/buyer/campaigns/${id}/execute`, {}),
          'execute',
        );
        const data = (JSON.parse(text) as Json).data;
        if (data.mediaBuysExecuted !== 1) throw new Error(`execute: ${text.slice(0, 300)}`);
      };
      break;
    case 'get_products (agent)': {
      const client = await mcpClient(
        `${base}/adcp/storefront-${seeded.platformId}/mcp`,
        seeded.buyerKey,
      );
      close = () => client.close();
      run = async () => {
        const result = await client.callTool({
          name: 'get_products',
          arguments: { buying_mode: 'wholesale' },
        });
        const products = (result.structuredContent as { products?: unknown[] } | undefined)
          ?.products;
        if (result.isError || !products?.length) throw new Error('get_products failed');
      };
      break;
    }
    case 'api_call': {
      const client = await mcpClient(`${base}/mcp/v2/buyer`, seeded.buyerKey);
      close = () => client.close();
      const request = {
        name: 'api_call',
        arguments: { method: 'GET', path: '/api/v2/buyer/storefronts', query: { limit: 20 } },
      };
      run = async () => {
        const result = await client.callTool(request);
        if (result.isError) throw new Error(`api_call: ${JSON.stringify(result.content)}`);
      };
      break;
    }
  }
  return { run, close };
}
