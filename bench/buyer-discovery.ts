import { parseArgs } from 'node:util';
import { startBenchApp, startDemoSeller } from './bench-app.js';

/**
 * Buyer discovery (POST /api/v2/buyer/discovery/discover-products) over 20 storefront agents,
 * each drawing on a seller that answers every request 200 ms late (--delay), against the target
 * "the whole request within 1.2 × the slowest agent"; then the same 20 with one agent whose
 * seller never answers in time, against "within 1.2 × the per-agent budget" (--budget, 1000 ms).
 * Then both again over 20 remote agents the buyer registered by URL (/sales-agents), asked over
 * real HTTP through the upstream client rather than in process.
 * Sellers and Interchange share this process (a seller's delay is a timer, not CPU).
 *
 *   npx tsx bench/buyer-discovery.ts                        # the embedded PostgreSQL (memory)
 *   PG_URL=postgres://… npx tsx bench/buyer-discovery.ts
 *
 * Options: --runs 10 --agents 20 --delay 200 --budget 1000.
 */
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    agents: { type: 'string', default: '20' },
    delay: { type: 'string', default: '200' },
    budget: { type: 'string', default: '1000' },
  },
});
const runs = Number(args.runs);
const agents = Number(args.agents);
const delayMs = Number(args.delay);
const budgetMs = Number(args.budget);

let slowDelay = 0;
const fast = await startDemoSeller(() => delayMs);
const slow = await startDemoSeller(() => slowDelay);
const ix = await startBenchApp({
  INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: String(budgetMs),
  INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: String(budgetMs * 2),
  INTERCHANGE_SOURCE_BUDGET_MS: String(budgetMs * 10),
});
const admin = await ix.services.identity.createAdminApiKey('bench');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads arbitrary JSON
async function call(method: string, path: string, key: string, body?: unknown): Promise<any> {
  const res = await fetch(`${ix.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { data: unknown; error: unknown };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.error)}`);
  return json.data;
}

async function customer(role: 'BUYER' | 'SELLER', n: number) {
  const created = await call('POST', '/api/v2/admin/customers', admin.key, {
    name: `${role} ${n}`,
    customerRole: role,
    customerDomain: `${role.toLowerCase()}-${n}.example`,
  });
  const { key } = await call('POST', `/api/v2/admin/customers/${created.id}/api-keys`, admin.key);
  await call('POST', '/api/v2/accounts/terms/accept', key);
  return key as string;
}

/** A listed, transacting storefront over one source at `url`; answers its id. */
async function storefront(n: number, url: string): Promise<number> {
  const key = await customer('SELLER', n);
  const sf = await call('PUT', '/api/v2/storefront', key, { defaultCurrency: 'USD' });
  await call('POST', '/api/v2/storefront/inventory-sources', key, {
    name: 'Demo',
    sourceId: 'demo',
    endpointUrl: url,
    protocol: 'MCP',
    authenticationType: 'NO_AUTH',
  });
  await call('PUT', '/api/v2/storefront/inventory-sources/demo', key, { status: 'ACTIVE' });
  await call('POST', '/api/v2/storefront/activate', key);
  await call('POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, admin.key, {
    action: 'list',
  });
  return sf.id as number;
}

const fastIds: number[] = [];
for (let i = 0; i < agents; i++) fastIds.push(await storefront(i, fast.url));
const slowId = await storefront(agents, slow.url);
slowDelay = budgetMs * 5;
const buyerKey = await customer('BUYER', 0);
// Remote agents: the same sellers registered by URL (one endpoint per agent, as the buyer's
// agents are unique per endpoint; the query string only tells them apart).
const remoteIds: string[] = [];
for (let i = 0; i < agents; i++) {
  const agent = await call('POST', '/api/v2/buyer/sales-agents', buyerKey, {
    name: `Remote ${i}`,
    endpointUrl: `${fast.url}?agent=${i}`,
  });
  remoteIds.push(agent.agentId as string);
}
slowDelay = 0;
const slowRemote = (
  await call('POST', '/api/v2/buyer/sales-agents', buyerKey, {
    name: 'Slow',
    endpointUrl: slow.url,
  })
).agentId as string;
slowDelay = budgetMs * 5;
const advertiser = await call('POST', '/api/v2/buyer/advertisers', buyerKey, {
  name: 'Bench',
  brand: 'bench.example',
  primaryCurrency: 'USD',
});

interface Run {
  wallMs: number;
  slowestAgentMs: number;
  agents: number;
  ok: number;
  timedOut: number;
}

/** Which agents a run asks: storefronts by id, or agents (remote ones) by salesAgentId. */
type Agents = { storefrontIds: number[] } | { salesAgentIds: string[] };

async function discoverOnce(which: Agents): Promise<Run> {
  const started = performance.now();
  const page = await call('POST', '/api/v2/buyer/discovery/discover-products', buyerKey, {
    advertiserId: Number(advertiser.id),
    brief: 'Display for a spring launch',
    ...which,
  });
  const wallMs = performance.now() - started;
  const results = page.agentResults as {
    responseTimeMs: number;
    success: boolean;
    timedOut: boolean;
  }[];
  return {
    wallMs,
    slowestAgentMs: Math.max(...results.map((r) => r.responseTimeMs)),
    agents: results.length,
    ok: results.filter((r) => r.success).length,
    timedOut: results.filter((r) => r.timedOut).length,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const worst = (xs: number[]) => Math.max(...xs);

async function scenario(name: string, ids: Agents, targetMs: (r: Run) => number) {
  await discoverOnce(ids); // warm-up: agents built, connections open
  const all: Run[] = [];
  for (let i = 0; i < runs; i++) all.push(await discoverOnce(ids));
  const within = all.filter((r) => r.wallMs <= targetMs(r)).length;
  const fmt = (n: number) => n.toFixed(0);
  // The gap is what the request costs beyond waiting for its slowest agent (or the budget).
  const gaps = all.map((r) => r.wallMs - Math.min(r.slowestAgentMs, budgetMs));
  console.log(
    `| ${name} | ${all[0]?.agents} | ${all[0]?.ok} | ${all[0]?.timedOut} | ` +
      `${fmt(median(all.map((r) => r.slowestAgentMs)))} | ${fmt(median(all.map((r) => r.wallMs)))} | ` +
      `${fmt(worst(all.map((r) => r.wallMs)))} | ${fmt(median(gaps))} | ${fmt(worst(gaps))} | ` +
      `${fmt(median(all.map(targetMs)))} | ${within}/${all.length} |`,
  );
}

console.log(
  `\n${agents} agents, sellers ${delayMs} ms late, per-agent budget ${budgetMs} ms, ${runs} runs each ` +
    `(${process.env.PG_URL ? 'PostgreSQL at PG_URL' : 'embedded PostgreSQL'})\n`,
);
console.log(
  '| scenario | agents | answered | timed out | slowest agent p50 (ms) | request p50 (ms) | request max (ms) | gap p50 (ms) | gap max (ms) | target p50 (ms) | runs within target |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
// Target: 1.2 × the slowest agent's own answer time (what the seller delay plus the agent cost).
await scenario('all answer', { storefrontIds: fastIds }, (r) => 1.2 * r.slowestAgentMs);
// One of the 20 replaced by an agent that outlasts the budget: target 1.2 × the budget.
await scenario(
  'one times out',
  { storefrontIds: [...fastIds.slice(1), slowId] },
  () => 1.2 * budgetMs,
);
// The same over remote agents, each asked over HTTP by the upstream client.
await scenario('remote: all answer', { salesAgentIds: remoteIds }, (r) => 1.2 * r.slowestAgentMs);
await scenario(
  'remote: one times out',
  { salesAgentIds: [...remoteIds.slice(1), slowRemote] },
  () => 1.2 * budgetMs,
);

await ix.app.close();
await ix.services.close();
await ix.database.close();
await fast.app.close();
await slow.app.close();
