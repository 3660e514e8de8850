import { writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { benchCustomer, startBenchApp } from './bench-app.js';
import { startCeiling } from './feed-mirror-ceiling.js';
import { agentPath, csvOf, startDownstream, startUpstream } from './feed-mirror-setup.js';
import { cpuMsOf, descendantsOf } from './process-cpu.js';
import { recordQueries } from './query-recorder.js';

/**
 * A buyer's brief over N feed-publishing sources, two ways, in one run (issue 49 item 6):
 *
 *   (a) the buyer's own fan-out: it asks each of the N sources' get_products (a brief: each ranks
 *       its avails and answers) in parallel and merges the products;
 *   (b) one storefront over the same N sources (approved links) answering from its mirrors: it
 *       holds each source's wholesale set, subscribes to its feed webhooks (sync_accounts) and,
 *       while no signal arrived, matches the brief over the mirrors without asking any source.
 *
 * Each source is an upstream storefront (it publishes `wholesale_feed_version`) over a
 * spreadsheet of `--avails` avails, reached over loopback HTTP through a counting proxy on
 * another origin, as a storefront of another Interchange is. Both sides are driven by the same
 * in-process client (`--connections` callers in a loop, MCP `tools/call` over HTTP), windows
 * alternated round by round: calls/s, p50, and CPU ms per brief (this process, where every
 * server and the client run, plus the embedded PostgreSQL's processes). `upstreamCallsPerBrief`:
 * get_products calls the sources received during (b) over (b)'s briefs.
 *
 * Then the first source changes a price: `freshAtOnce` says whether the one-source storefront's
 * very next answer carried it, `signalMs` how long the source's signed webhook took to reach it,
 * `freshAfterSignal` whether the answer after it did (never older than the last signal).
 *
 *   NODE_ENV=production npx tsx bench/feed-mirror.ts [--sources 1,2,4] [--avails 100]
 *     [--duration 8] [--rounds 2] [--connections 4] [--max-results M] [--profile]
 *
 * `--max-results M`: the brief asks for a page of the best M (`pagination.max_results`), as a
 * buyer that wants a shortlist asks: the storefront answers the best M of all N sources' products,
 * and the buyer's own fan-out asks each source for its best M (any one source's M could be the
 * best of all) and gets N × M to choose from. Without it every product is answered both ways.
 *
 * `--profile`: CPU profiles of (a) and (b) at the first N, round 1 (bench/profiles/). Run it as
 * production runs (NODE_ENV=production): outside production @adcp/sdk validates every answer it
 * sends, on both sides alike. `statements`: SQL statements per brief (the job queue's polling
 * included, per second rather than per brief).
 */
const { values: args } = parseArgs({
  options: {
    sources: { type: 'string', default: '1,2,4' },
    avails: { type: 'string', default: '100' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '4' },
    brief: { type: 'string', default: 'section week display' },
    'max-results': { type: 'string' },
    profile: { type: 'boolean', default: false },
    statements: { type: 'boolean', default: false },
  },
});
const counts = args.sources.split(',').map(Number);
const avails = Number(args.avails);

const ix = await startBenchApp({ INTERCHANGE_SOURCE_ANSWER_TTL_MS: '0' });
// Statements every server of the process sent, per brief (the job queue's polling included).
const recorder = recordQueries(ix.database.queryable);
ix.services.trustOwnOrigin(ix.base);
// The upstreams' feed webhooks are sent from the job queue.
await ix.services.jobs.start();
ix.services.feedWebhooks.start();

const upstreams: Awaited<ReturnType<typeof startUpstream>>[] = [];
for (let i = 0; i < Math.max(...counts); i++) {
  upstreams.push(await startUpstream(ix, `Upstream ${i + 1}`, avails));
}
const downstreams = new Map<number, Awaited<ReturnType<typeof startDownstream>>>();
for (const n of counts) {
  downstreams.set(n, await startDownstream(ix, `Downstream ${n}`, upstreams.slice(0, n)));
}
const buyer = await benchCustomer(ix, 'BUYER', 'Bench buyer');

const maxResults = args['max-results'] ? Number(args['max-results']) : undefined;
const bodyOf = (page: number | undefined) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: 'get_products',
      arguments: {
        buying_mode: 'brief',
        brief: args.brief,
        brand: { domain: 'brand.example' },
        ...(page !== undefined && { pagination: { max_results: page } }),
      },
    },
  });
const body = bodyOf(maxResults);
// The freshness check reads every product (the changed one need not be on a page).
const everyProduct = bodyOf(undefined);
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${buyer.key}`,
};
type Product = { product_id: string; pricing_options: Array<{ fixed_price?: number }> };
type Result = { structuredContent?: { products?: Product[]; errors?: unknown[] } };
async function askAt(url: string, asked = body): Promise<{ products: Product[]; result: Result }> {
  const res = await fetch(url, { method: 'POST', headers, body: asked });
  if (res.status !== 200) throw new Error(`get_products: HTTP ${res.status}`);
  const result = ((await res.json()) as { result?: Result }).result;
  const answer = result?.structuredContent;
  if (!answer?.products) throw new Error(`get_products: no products ${JSON.stringify(answer)}`);
  return { products: answer.products, result: result! };
}
const ask = async (platformId: string, asked = body) =>
  (await askAt(`${ix.base}${agentPath(platformId)}`, asked)).products;
// (c), the ceiling of (b): the storefront's own answer, served by an MCP server doing nothing else.
const ceiling = await startCeiling();
const resultOf = new Map<number, Result>();
const atCeiling = async () => (await askAt(ceiling.url)).products;
/** (a): every source asked in parallel, the products merged. */
const fanOut = async (n: number) =>
  (await Promise.all(upstreams.slice(0, n).map((u) => ask(u.platformId)))).flat();
const throughMirror = (n: number, asked = body) => ask(downstreams.get(n)!.platformId, asked);

/** CPU ms so far of this process and its children (the embedded PostgreSQL's processes). */
const cpuMs = () => {
  const own = process.cpuUsage();
  const pg = descendantsOf(process.pid).reduce((sum, pid) => sum + (cpuMsOf(pid) ?? 0), 0);
  return (own.user + own.system) / 1000 + pg;
};

/** `connections` callers asking `brief` in a loop for `seconds`. */
async function window(brief: () => Promise<unknown>, seconds: number) {
  const latencies: number[] = [];
  recorder.start();
  const cpuBefore = cpuMs();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: Number(args.connections) }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await brief();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return {
    briefs: latencies.length,
    rps: latencies.length / elapsed,
    p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
    cpuMsPerBrief: (cpuMs() - cpuBefore) / Math.max(1, latencies.length),
    statementsPerBrief: statementsOf(recorder.stop(), latencies.length),
  };
}

/** Statements per brief; with `--statements`, which ones (texts cut at 90 characters). */
function statementsOf(recorded: Array<{ text: string }>, briefs: number) {
  if (args.statements) {
    const byText = new Map<string, number>();
    for (const q of recorded) {
      const text = q.text.replace(/\s+/g, ' ').slice(0, 90);
      byText.set(text, (byText.get(text) ?? 0) + 1);
    }
    const rows = [...byText].sort((x, y) => y[1] - x[1]).slice(0, 12);
    for (const [text, n] of rows) console.error((n / Math.max(1, briefs)).toFixed(2), text);
    console.error('--');
  }
  return recorded.length / Math.max(1, briefs);
}

async function profiled<T>(run: () => Promise<T>, file: string): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const result = await run();
  const { profile } = await session.post('Profiler.stop');
  mkdirSync('bench/profiles', { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

const subscriptions = async () =>
  (
    await ix.database.queryable.query(
      `select coalesce(sum(signal_seq), 0)::int as seq, count(*) filter (where status = 'active')::int as active from feed_mirror_subscriptions`,
    )
  ).rows[0] as { seq: number; active: number };
/** Waits for `done`; past 120 s it goes on, saying so (upstreamCallsPerBrief shows the cost). */
async function until(what: string, done: () => Promise<boolean>) {
  const deadline = Date.now() + 120_000;
  while (!(await done())) {
    if (Date.now() > deadline) return console.error(`no ${what} within 120 s: going on`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Each storefront's first brief fills its mirrors and subscribes; the next confirms the sets.
const products = new Map<number, { fanOut: number; mirror: number }>();
for (const n of counts) await throughMirror(n);
const expected = counts.reduce((sum, n) => sum + n, 0);
await until('confirmed subscriptions', async () => (await subscriptions()).active >= expected);
for (const n of counts) {
  const mirrored = await askAt(`${ix.base}${agentPath(downstreams.get(n)!.platformId)}`);
  resultOf.set(n, mirrored.result);
  products.set(n, { fanOut: (await fanOut(n)).length, mirror: mirrored.products.length });
}

type Side = Awaited<ReturnType<typeof window>> & { upstreamCallsPerBrief?: number };
const runs: Array<{ round: number; n: number; a: Side; b: Side; c: Side }> = [];
for (let round = 1; round <= Number(args.rounds); round++) {
  for (const n of counts) {
    const profiling = args.profile && round === 1 && n === counts[0];
    const a = async () => {
      await window(() => fanOut(n), Number(args.warmup));
      const measure = () => window(() => fanOut(n), Number(args.duration));
      const file = `bench/profiles/feed-mirror-a-${n}.cpuprofile`;
      return profiling ? await profiled(measure, file) : await measure();
    };
    const b = async (): Promise<Side> => {
      const down = downstreams.get(n)!;
      await window(() => throughMirror(n), Number(args.warmup));
      const calls = down.upstreamCalls();
      const measure = () => window(() => throughMirror(n), Number(args.duration));
      const file = `bench/profiles/feed-mirror-b-${n}.cpuprofile`;
      const side = profiling ? await profiled(measure, file) : await measure();
      return { ...side, upstreamCallsPerBrief: (down.upstreamCalls() - calls) / side.briefs };
    };
    const c = async () => {
      ceiling.answer(resultOf.get(n) as never);
      await window(atCeiling, Number(args.warmup));
      return window(atCeiling, Number(args.duration));
    };
    // Sides alternated: (a) (b) (c) in odd rounds, (c) (b) (a) in even ones.
    if (round % 2) {
      const sideA = await a();
      const sideB = await b();
      runs.push({ round, n, a: sideA, b: sideB, c: await c() });
    } else {
      const sideC = await c();
      const sideB = await b();
      runs.push({ round, n, a: await a(), b: sideB, c: sideC });
    }
  }
}

// Freshness: the first source's first avail gets a new price; its webhook reaches the storefront.
const one = counts[0]!;
const priceOfFirst = (list: Product[]) => {
  const first = list.find((p) => p.product_id.endsWith('av-0'));
  return first ? first.pricing_options[0]?.fixed_price : 'av-0 not in the answer';
};
const seqBefore = (await subscriptions()).seq;
await upstreams[0]!.commit(csvOf(avails, 77));
const changedAt = performance.now();
const atOnce = priceOfFirst(await throughMirror(one, everyProduct));
await until('signal', async () => (await subscriptions()).seq > seqBefore);
const signalMs = Math.round(performance.now() - changedAt);
const afterSignal = priceOfFirst(await throughMirror(one, everyProduct));

const fixed = (x: number, d = 2) => +x.toFixed(d);
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      // Outside production @adcp/sdk validates every answer it sends (both sides alike).
      nodeEnv: process.env.NODE_ENV ?? null,
      avails,
      maxResults: maxResults ?? null,
      connections: Number(args.connections),
      duration: Number(args.duration),
      products: Object.fromEntries(products),
      runs: runs.map(({ round, n, a, b, c }) => ({
        round,
        n,
        fanOut: {
          rps: fixed(a.rps),
          p50Ms: fixed(a.p50Ms, 0),
          cpuMs: fixed(a.cpuMsPerBrief, 1),
          statements: fixed(a.statementsPerBrief, 1),
        },
        mirror: {
          rps: fixed(b.rps),
          p50Ms: fixed(b.p50Ms, 0),
          cpuMs: fixed(b.cpuMsPerBrief, 1),
          statements: fixed(b.statementsPerBrief, 1),
          upstreamCallsPerBrief: fixed(b.upstreamCallsPerBrief ?? 0, 4),
        },
        ceiling: { rps: fixed(c.rps), p50Ms: fixed(c.p50Ms, 0), cpuMs: fixed(c.cpuMsPerBrief, 1) },
        rpsRatio: fixed(b.rps / a.rps),
        cpuRatio: fixed(a.cpuMsPerBrief / b.cpuMsPerBrief),
        // The most any mirror could gain here, and what the storefront's own work leaves of it.
        ceilingRpsRatio: fixed(c.rps / a.rps),
        mirrorOfCeiling: fixed(b.rps / c.rps),
      })),
      freshAtOnce: atOnce === 77,
      signalMs,
      freshAfterSignal: afterSignal === 77 || afterSignal,
    },
    null,
    2,
  ),
);
for (const down of downstreams.values()) for (const proxy of down.proxies) await proxy.close();
await ceiling.close();
await ix.app.close();
await ix.services.close();
await ix.database.close();
process.exit(0);
