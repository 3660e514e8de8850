import { AgentClient } from '@adcp/sdk';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolTable } from '../../src/agents/adcp31/index.js';
import { requestExamples } from '../../src/agents/hosting/tool-schemas/index.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, listen } from './storefront-agent-support.js';

/*
 * Issue 70 item 5: every tool of a storefront agent publishes its AdCP request schema, for the
 * release the caller negotiates, through the official MCP client's tools/list (3.0.6 unpinned,
 * 3.1.19 with `_meta.adcp_version: "3.1"`), and its A2A card's skills say the same (examples of
 * their input, a link to each release's schema). What is published never drops a field a call
 * carries: the official client and @adcp/sdk's (which strips what a tool's schema does not name)
 * still reach the handler with a 3.1-only argument.
 */

type SdkMcpClient = Parameters<typeof AgentClient.fromMCPClient>[0];
type Listed = {
  name: string;
  inputSchema: Record<string, unknown>;
  _meta?: Record<string, unknown>;
};

let h: Harness;
let base: string;
let platformId: string;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  const sf = await modularStorefront(h);
  await commitCsv(h, sf.seller.key, 'avails', [header, availRow('hp-1', 100_000)].join('\n'));
  platformId = sf.platformId;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its plugin is the module's `default` under Node's ESM interop.
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
const compiled = new Map<Record<string, unknown>, ValidateFunction>();
const validator = (schema: Record<string, unknown>) => {
  let found = compiled.get(schema);
  if (!found) compiled.set(schema, (found = ajv.compile(schema)));
  return found;
};

async function buyerAgent() {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  return { buyer, agent: await agentClient(base, platformId, buyer.key) };
}

const byName = (tools: Listed[]) => new Map(tools.map((tool) => [tool.name, tool]));

describe('tools/list over MCP', () => {
  it(
    "publishes every tool's 3.0.6 request schema unpinned, naming 3.1's added fields too",
    { timeout: 120_000 },
    async () => {
      const { agent } = await buyerAgent();
      try {
        const { tools } = (await agent.client.listTools()) as { tools: Listed[] };
        expect(tools.length).toBeGreaterThan(10);
        for (const tool of tools) {
          // Every tool is in the release seam, and says what it takes.
          expect(toolTable[tool.name], tool.name).toBeDefined();
          const properties = tool.inputSchema['properties'] as Record<string, unknown>;
          expect(Object.keys(properties).length, tool.name).toBeGreaterThan(0);
          expect(properties, tool.name).toHaveProperty('adcp_version');
        }
        const products = byName(tools).get('get_products')!;
        expect(products._meta).toMatchObject({
          adcp_version: '3.0',
          adcp_request_schema: '/schemas/3.0.6/media-buy/get-products-request.json',
        });
        expect(products.inputSchema['required']).toEqual(['buying_mode']);
        expect(Object.keys(products.inputSchema['properties'] as object)).toEqual(
          expect.arrayContaining(['brief', 'buying_mode', 'filters', 'if_wholesale_feed_version']),
        );
        // The schema is the spec's, whole: a client can check a request against it.
        const check = validator(products.inputSchema);
        expect(check(requestExamples['get_products'])).toBe(true);
        expect(check({ buying_mode: 'everything' })).toBe(false);
        // A tool 3.0 does not define is published with the release that does.
        expect(byName(tools).get('get_task_status')?._meta).toMatchObject({ adcp_version: '3.1' });
      } finally {
        await agent.close();
      }
    },
  );

  it(
    "publishes 3.1.19's request schemas to a listing pinned 3.1, and refuses a pin it does not speak",
    { timeout: 120_000 },
    async () => {
      const { agent } = await buyerAgent();
      try {
        const { tools } = (await agent.client.listTools({ _meta: { adcp_version: '3.1' } })) as {
          tools: Listed[];
        };
        for (const tool of tools) expect(tool._meta?.['adcp_version'], tool.name).toBe('3.1');
        const buy = byName(tools).get('create_media_buy')!;
        expect(buy._meta?.['adcp_request_schema']).toBe(
          '/schemas/3.1.19/media-buy/create-media-buy-request.json',
        );
        const check = validator(buy.inputSchema);
        expect(check({ adcp_version: '3.1', ...requestExamples['create_media_buy'] })).toBe(true);
        // 3.1 requires an idempotency key on every buy.
        const { idempotency_key: _key, ...keyless } = requestExamples['create_media_buy']!;
        expect(check(keyless)).toBe(false);

        const refused = await agent.client.listTools({ _meta: { adcp_version: '4.0' } }).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(McpError);
        expect((refused as McpError).message).toMatch(/3\.0, 3\.1/);
      } finally {
        await agent.close();
      }
    },
  );

  it('keeps every published example valid for both releases', { timeout: 120_000 }, async () => {
    const { agent } = await buyerAgent();
    try {
      for (const adcp_version of [undefined, '3.1']) {
        const { tools } = (await agent.client.listTools(
          adcp_version ? { _meta: { adcp_version } } : undefined,
        )) as { tools: Listed[] };
        for (const tool of tools) {
          const example = requestExamples[tool.name];
          if (!example) continue;
          const check = validator(tool.inputSchema);
          const sent = adcp_version ? { adcp_version, ...example } : example;
          expect(
            check(sent),
            `${tool.name} ${adcp_version ?? '3.0'}: ${JSON.stringify(check.errors)}`,
          ).toBe(true);
        }
      }
    } finally {
      await agent.close();
    }
  });

  it(
    "lets a 3.1-only argument the schema names reach the tool, through the official client and @adcp/sdk's",
    { timeout: 120_000 },
    async () => {
      const { agent } = await buyerAgent();
      try {
        const wholesale = { adcp_version: '3.1', buying_mode: 'wholesale' };
        const first = await agent.call('get_products', wholesale);
        expect(first.wholesale_feed_version, JSON.stringify(first)).toEqual(expect.any(String));
        const probe = { ...wholesale, if_wholesale_feed_version: first.wholesale_feed_version };
        // The official client, after listing: the argument reaches the agent, which answers unchanged.
        await agent.client.listTools();
        expect(await agent.call('get_products', probe)).toMatchObject({ unchanged: true });
        // @adcp/sdk's client lists the tools first and drops what a tool's schema does not name.
        const sdk = AgentClient.fromMCPClient(agent.client as unknown as SdkMcpClient, {
          validation: { requests: 'off', responses: 'off' },
        });
        const answer = await sdk.getProducts(probe as Parameters<typeof sdk.getProducts>[0]);
        expect(answer.success, answer.error).toBe(true);
        expect(answer.data).toMatchObject({ unchanged: true });
      } finally {
        await agent.close();
      }
    },
  );
});

describe('the size of a listing', () => {
  it(
    'keeps each listing loadable (under 450 kB) and serves the whole schema it links',
    { timeout: 120_000 },
    async () => {
      const { agent } = await buyerAgent();
      try {
        const origin = new URL(base).origin;
        for (const adcp_version of [undefined, '3.1']) {
          const { tools } = (await agent.client.listTools(
            adcp_version ? { _meta: { adcp_version } } : undefined,
          )) as { tools: Listed[] };
          // Whole, the spec's files repeated per tool came to 1.7 MB (3.0) and 2.4 MB (3.1).
          const bytes = Buffer.byteLength(JSON.stringify({ tools }));
          expect(bytes, `${adcp_version ?? '3.0'}: ${bytes} bytes`).toBeLessThan(450_000);
          const controller = byName(tools).get('comply_test_controller');
          const url = controller?._meta?.['adcp_request_schema_url'];
          expect(url).toEqual(
            expect.stringMatching(/^\/adcp\/schemas\/3\.[01]\/comply_test_controller\.json$/),
          );
          const whole = (await (await fetch(`${origin}${String(url)}`)).json()) as Record<
            string,
            unknown
          >;
          // The served document is the spec's whole: every file it reaches, with its prose.
          expect(JSON.stringify(whole).length).toBeGreaterThan(
            4 * JSON.stringify(controller!.inputSchema).length,
          );
          const definitions = Object.keys(controller!.inputSchema['definitions'] as object);
          expect(Object.keys(whole['definitions'] as object)).toEqual(
            expect.arrayContaining(definitions),
          );
        }
      } finally {
        await agent.close();
      }
    },
  );
});

describe('the A2A card', () => {
  it(
    'gives each skill examples of its input and links its request schema per release',
    { timeout: 120_000 },
    async () => {
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const response = await fetch(
        `${base}/adcp/storefront-${platformId}/a2a/.well-known/agent-card.json`,
        { headers: { authorization: `Bearer ${buyer.key}` } },
      );
      const card = (await response.json()) as {
        skills: Array<{ id: string; examples?: string[] }>;
        capabilities: { extensions?: Array<{ uri: string; params?: Record<string, unknown> }> };
      };
      const extension = card.capabilities.extensions?.find((e) => e.uri.endsWith('/adcp/schemas'));
      const schemas = extension?.params?.['schemas'] as Record<string, Record<string, string>>;
      const products = card.skills.find((skill) => skill.id === 'get_products');
      expect(products?.examples?.map((e) => JSON.parse(e))).toEqual([
        { skill: 'get_products', input: requestExamples['get_products'] },
        {
          skill: 'get_products',
          input: { adcp_version: '3.1', ...requestExamples['get_products'] },
        },
      ]);
      // Each linked schema is served, and each example validates against its release's.
      const origin = new URL(base).origin;
      for (const release of ['3.0', '3.1']) {
        const url = new URL(schemas['get_products']![release]!);
        const served = await fetch(`${origin}${url.pathname}`);
        expect(served.status).toBe(200);
        const check = validator((await served.json()) as Record<string, unknown>);
        const [plain, pinned] = products!.examples!.map((e) => JSON.parse(e).input);
        expect(check(release === '3.1' ? pinned : plain)).toBe(true);
      }
      expect((await fetch(`${origin}/adcp/schemas/2.5/get_products.json`)).status).toBe(404);

      // An example is a call the official A2A client sends as is.
      const a2a = await a2aBuyer(base, platformId, buyer.key);
      const example = JSON.parse(products!.examples![1]!) as {
        skill: string;
        input: Record<string, unknown>;
      };
      const answer = await a2a.call(example.skill, example.input);
      expect(answer.state).toBe('completed');
      expect(answer.adcp_version).toBe('3.1');
      expect(answer.products.length).toBeGreaterThan(0);
    },
  );
});
