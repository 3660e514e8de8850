import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

/**
 * The embedded database as a user meets it, on one or more checkouts in the same run (e.g.
 * today's PGlite main against this branch's embedded PostgreSQL), alternating between them so a
 * shared machine's load falls on both alike. Each checkout is served the way `npm start` serves
 * it (`node dist/main.js serve`, built beforehand with `npm run build`, the demo seeded):
 *
 * - first start to `/ready` (a new data directory) and restart to `/ready` (the same one), the
 *   median of --starts runs each, with the time to "Ready." (jobs started) beside it;
 * - RSS and PSS of the server process plus every PostgreSQL process of its data directory,
 *   idle and after 1,000 authenticated reads;
 * - throughput at 1 and 8 connections of an authenticated list read
 *   (`GET /api/v2/admin/customers?limit=20`) and of the demo storefront's get_products (MCP,
 *   the demo buyer's key; the storefront asks the demo seller agent in the same process).
 *
 *   npm run build && (cd ../before && npm run build)
 *   npx tsx bench/embedded-database.ts --checkout ../before --checkout . [--starts 5] [--duration 10]
 */
type Child = ChildProcessByStdio<null, Readable, Readable>;

const { values: args } = parseArgs({
  options: {
    checkout: { type: 'string', multiple: true },
    starts: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
  },
});
const here = fileURLToPath(new URL('..', import.meta.url));
const checkouts = (args.checkout ?? [here]).map((c) => resolve(c));
const starts = Number(args.starts);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const adminKey = `ix_bench_admin_${randomBytes(16).toString('hex')}`;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Running {
  child: Child;
  dataDir: string;
  url: string;
  readyMs: number;
  /** Until "Ready." was printed (jobs started). */
  allReadyMs: number;
  output: () => string;
}

async function serve(checkout: string, dataDir: string): Promise<Running> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    INTERCHANGE_DATA_DIR: dataDir,
    INTERCHANGE_ADMIN_KEY: adminKey,
    INTERCHANGE_LOG_LEVEL: 'warn',
    INTERCHANGE_RATE_LIMIT: '100000000',
    INTERCHANGE_PUBLIC_RATE_LIMIT: '100000000',
    INTERCHANGE_ALLOW_PRIVATE_NETWORK: '1',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['dist/main.js', 'serve'], {
    cwd: checkout,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  let url: string | undefined;
  let readyMs = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${text}`);
    url ??= /listening on (http:\/\/\S+)/.exec(text)?.[1];
    if (url && !readyMs) {
      const ok = await fetch(`${url}/ready`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) readyMs = performance.now() - started;
    }
    if (readyMs && /^Ready\.$/m.test(text)) {
      return {
        child,
        dataDir,
        url: url!,
        readyMs,
        allReadyMs: performance.now() - started,
        output: () => text,
      };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`no ready server within 120 s: ${text}`);
}

async function stop(server: Running): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

/** The server process and PostgreSQL processes of its data directory (postmaster and children). */
function processesOf(server: Running): number[] {
  const stat = new Map<number, { ppid: number; argv: string[] }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const s = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      stat.set(Number(name), { ppid, argv });
    } catch {
      // gone
    }
  }
  const pids = [server.child.pid!];
  for (const [pid, p] of stat) {
    const d = p.argv.indexOf('-D');
    if (d > 0 && p.argv[d + 1]?.startsWith(server.dataDir)) {
      pids.push(pid);
      for (const [child, c] of stat) if (c.ppid === pid) pids.push(child);
    }
  }
  return pids;
}

function memoryOf(server: Running): { nodeRss: number; totalRss: number; totalPss: number } {
  let totalRss = 0;
  let totalPss = 0;
  let nodeRss = 0;
  for (const pid of processesOf(server)) {
    try {
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      const pss = Number(
        /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1],
      );
      totalRss += rss;
      totalPss += pss;
      if (pid === server.child.pid) nodeRss = rss;
    } catch {
      // gone
    }
  }
  const mb = (kb: number) => Math.round(kb / 1024);
  return { nodeRss: mb(nodeRss), totalRss: mb(totalRss), totalPss: mb(totalPss) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

interface Figures {
  checkout: string;
  engine: string;
  firstReady: number[];
  firstAll: number[];
  restartReady: number[];
  restartAll: number[];
  memory?: { idle: ReturnType<typeof memoryOf>; after1000: ReturnType<typeof memoryOf> };
  throughput: Record<string, { reqPerSec: number; p50: number; p99: number; errors: number }>;
}

const figures = new Map<string, Figures>(
  checkouts.map((c) => [
    c,
    {
      checkout: c,
      engine: '',
      firstReady: [],
      firstAll: [],
      restartReady: [],
      restartAll: [],
      throughput: {},
    },
  ]),
);
const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ix-bench-db-'));
  dirs.push(d);
  return d;
};

try {
  const loadBefore = loadavg();
  log(`load before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  // First starts, alternating checkouts; each data directory is then restarted.
  const kept = new Map<string, string>();
  for (let round = 0; round < starts; round++) {
    for (const checkout of checkouts) {
      const f = figures.get(checkout)!;
      const dir = newDir();
      const s = await serve(checkout, dir);
      f.engine = /listening on \S+ \(([^)]+)\)/.exec(s.output())?.[1] ?? '';
      f.firstReady.push(s.readyMs);
      f.firstAll.push(s.allReadyMs);
      await stop(s);
      kept.set(checkout, dir);
      log(
        `${checkout}: first start ${Math.round(s.readyMs)} ms to /ready, ${Math.round(s.allReadyMs)} ms to Ready.`,
      );
    }
  }
  for (let round = 0; round < starts; round++) {
    for (const checkout of checkouts) {
      const f = figures.get(checkout)!;
      const s = await serve(checkout, kept.get(checkout)!);
      f.restartReady.push(s.readyMs);
      f.restartAll.push(s.allReadyMs);
      await stop(s);
      log(`${checkout}: restart ${Math.round(s.readyMs)} ms to /ready`);
    }
  }

  // Memory and throughput, one checkout at a time, on a new data directory (the demo prints its
  // buyer's key on a first start only).
  for (const checkout of checkouts) {
    const f = figures.get(checkout)!;
    const s = await serve(checkout, newDir());
    try {
      await new Promise((r) => setTimeout(r, 3000));
      const idle = memoryOf(s);
      const list = {
        url: `${s.url}/api/v2/admin/customers?limit=20`,
        headers: { authorization: `Bearer ${adminKey}` },
      };
      const thousand = await autocannon({ ...list, connections: 8, amount: 1000 });
      if (thousand.non2xx || thousand.errors)
        throw new Error('the 1,000 reads did not all answer 2xx');
      await new Promise((r) => setTimeout(r, 1000));
      f.memory = { idle, after1000: memoryOf(s) };

      const buyerKey = /Buyer .* key: (ix_\S+)/.exec(s.output())?.[1];
      const agentUrl = /Its AdCP sales agent \(buyer key as Bearer\): (\S+)/.exec(s.output())?.[1];
      if (!buyerKey || !agentUrl)
        throw new Error(`no demo buyer or storefront agent:\n${s.output()}`);
      const products = {
        url: agentUrl,
        method: 'POST' as const,
        headers: {
          authorization: `Bearer ${buyerKey}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'get_products', arguments: { buying_mode: 'wholesale', brief: 'news' } },
        }),
      };
      const check =
        (await (await fetch(agentUrl, products)).text()).match(/"product_id"/g)?.length ?? 0;
      if (check === 0) throw new Error('get_products answered no products');
      for (const [name, target] of [
        ['list read', list],
        ['get_products', products],
      ] as const) {
        for (const connections of [1, 8]) {
          await autocannon({ ...target, connections, duration: warmup });
          const r = await autocannon({ ...target, connections, duration });
          f.throughput[`${name} @${connections}`] = {
            reqPerSec: Math.round(r.requests.average),
            p50: r.latency.p50,
            p99: r.latency.p99,
            errors: r.errors + r.non2xx,
          };
          log(`${checkout}: ${name} @${connections}: ${Math.round(r.requests.average)} req/s`);
        }
      }
    } finally {
      await stop(s);
    }
  }
  const loadAfter = loadavg();
  const report = {
    date: new Date().toISOString(),
    load: { before: loadBefore, after: loadAfter },
    figures: [...figures.values()].map((f) => ({
      ...f,
      firstReadyMedian: Math.round(median(f.firstReady)),
      firstAllMedian: Math.round(median(f.firstAll)),
      restartReadyMedian: Math.round(median(f.restartReady)),
      restartAllMedian: Math.round(median(f.restartAll)),
    })),
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
