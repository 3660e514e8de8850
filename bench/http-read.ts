import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { ServeReady } from './serve.js';

/**
 * HTTP read throughput: GET /health (no auth, no database) against an authenticated admin list
 * (key lookup, rate-limit bucket, two queries, zod serialisation). The server runs in a child
 * process (bench/serve.ts) so autocannon does not compete for its event loop.
 *
 *   PG_URL=postgres://… npx tsx bench/http-read.ts   # PostgreSQL
 *   npx tsx bench/http-read.ts                            # the embedded PostgreSQL (memory)
 *
 * Options: --duration 10 --warmup 2 --connections 50 --pipelining 1 (seconds / counts);
 * --profile writes the server's V8 CPU profile (open in Chrome DevTools) to a temp directory.
 */

type ServerProcess = ChildProcessByStdio<Writable, Readable, null>;

interface Target {
  name: string;
  path: string;
  key: 'admin' | 'seller' | 'buyer' | null;
}

export interface CpuSplit {
  /** CPU seconds per wall second, i.e. cores kept busy; null where /proc is unavailable. */
  server: number | null;
  loadGenerator: number;
  postgres: number | null;
  otherProcesses: number | null;
  /** Busy time no process was charged for: mostly the kernel's loopback networking. */
  unattributed: number;
  idle: number;
  cores: number;
}

export interface TargetResult {
  name: string;
  path: string;
  requestsPerSecMean: number;
  requestsPerSecStddev: number;
  requestsTotal: number;
  latencyMeanMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  cpu: CpuSplit;
}

const targetRatio = 0.5;
// Cores other processes may use before a run is flagged as disturbed.
const noiseThreshold = 0.1;
// Linux reports per-process CPU time in clock ticks of 1/100 s (CLK_TCK) on every mainstream
// architecture; elsewhere /proc is absent and only the system-wide figures are reported.
const ticksPerSecond = 100;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    pipelining: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
  },
});
const options = {
  duration: Number(args.duration),
  warmup: Number(args.warmup),
  connections: Number(args.connections),
  pipelining: Number(args.pipelining),
};

const targets: Target[] = [
  { name: '(a) GET /health', path: '/health', key: null },
  {
    name: '(b) GET /api/v2/admin/customers?limit=20 (admin key)',
    path: '/api/v2/admin/customers?limit=20',
    key: 'admin',
  },
  {
    name: '(d) GET /api/v2/storefront/join-context/{slug} (public)',
    path: '/api/v2/storefront/join-context/{slug}',
    key: null,
  },
  {
    name: '(e) GET /api/v2/buyer/storefronts?limit=20, 200 listed x 5 sources (buyer key)',
    path: '/api/v2/buyer/storefronts?limit=20',
    key: 'buyer',
  },
  {
    name: '(c) GET /api/v2/storefront/readiness, 20 sources (seller key)',
    path: '/api/v2/storefront/readiness',
    key: 'seller',
  },
];

const pgUrl = process.env.PG_URL || process.env.TEST_DATABASE_URL;
if (!pgUrl) log('PG_URL/TEST_DATABASE_URL not set: benchmarking the embedded PostgreSQL (memory)');

// Outside the repo: .gitignore covers only bench/results/*.json.
const profileDir = args.profile ? mkdtempSync(join(tmpdir(), 'ix-bench-profile-')) : undefined;
const profileArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
const server = spawn(process.execPath, [...profileArgs, '--import', 'tsx', 'bench/serve.ts'], {
  cwd: repoRoot,
  env: process.env,
  stdio: ['pipe', 'pipe', 'inherit'],
});
let exitCode = 0;
try {
  const ready = await waitForReady(server);
  const base = `http://127.0.0.1:${ready.port}`;
  const headers = { authorization: `Bearer ${ready.adminKey}` };
  log(
    `server pid ${server.pid} on ${base}, ${ready.database.version}` +
      ` (pool ${ready.database.poolMax})`,
  );
  await verify(base, headers, ready.customers);

  // The database's CPU is PostgreSQL's processes' (embedded or external on this machine).
  const countPostgres = true;
  const results: TargetResult[] = [];
  for (const target of targets) {
    const opts = {
      url: `${base}${target.path.replace('{slug}', ready.joinSlug)}`,
      connections: options.connections,
      pipelining: options.pipelining,
      headers:
        target.key === 'admin'
          ? headers
          : target.key === 'seller'
            ? { authorization: `Bearer ${ready.sellerKey}` }
            : target.key === 'buyer'
              ? { authorization: `Bearer ${ready.buyerKey}` }
              : {},
    };
    log(`${target.name}: warm-up ${options.warmup} s`);
    await autocannon({ ...opts, duration: options.warmup });
    log(`${target.name}: measuring ${options.duration} s`);
    const before = sampleCpu();
    const r = await autocannon({ ...opts, duration: options.duration });
    const cpu = cpuSplit(before, sampleCpu(), server.pid, countPostgres);
    results.push({
      name: target.name,
      path: target.path,
      requestsPerSecMean: r.requests.mean,
      requestsPerSecStddev: r.requests.stddev,
      requestsTotal: r.requests.total,
      latencyMeanMs: r.latency.mean,
      latencyP50Ms: r.latency.p50,
      latencyP99Ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      cpu,
    });
  }

  const [health, list] = results as [TargetResult, TargetResult];
  const ratio = list.requestsPerSecMean / health.requestsPerSecMean;
  const report = {
    benchmark: 'http-read',
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      platform: `${process.platform} ${process.arch}`,
    },
    database: ready.database,
    options,
    results,
    ratio,
    targetRatio,
    meetsTarget: ratio >= targetRatio,
    disturbed: results.some((r) => (r.cpu.otherProcesses ?? 0) > noiseThreshold),
  };

  print(renderMarkdown(report));
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}${report.finishedAt.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to ${file}`);

  const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0);
  if (failed.length > 0) {
    log(`FAILED: non-2xx responses or errors in ${failed.map((r) => r.name).join(', ')}`);
    exitCode = 1;
  }
} catch (error) {
  log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await stopServer(server);
  if (profileDir) log(`server CPU profile in ${profileDir} (load it in Chrome DevTools)`);
}
process.exit(exitCode);

function print(text: string) {
  process.stdout.write(`${text}\n`);
}

function log(line: string) {
  process.stderr.write(`bench: ${line}\n`);
}

function waitForReady(child: ServerProcess): Promise<ServeReady> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60_000);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as ServeReady);
      } catch {
        reject(new Error(`server printed something other than its handshake: ${line}`));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (code ${code}, signal ${signal})`));
    });
  });
}

/** A benchmark of error responses would measure the wrong thing, so check both targets first. */
async function verify(base: string, headers: Record<string, string>, customers: number) {
  const health = await fetch(`${base}/health`);
  if (health.status !== 200) {
    throw new Error(`GET /health answered ${health.status}: ${await health.text()}`);
  }
  const res = await fetch(`${base}/api/v2/admin/customers?limit=20`, { headers });
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`GET /api/v2/admin/customers?limit=20 answered ${res.status}: ${text}`);
  }
  const body = JSON.parse(text) as { data?: { items?: unknown[]; total?: number } };
  const items = body.data?.items?.length;
  const expected = Math.min(20, customers);
  if (items !== expected) {
    throw new Error(`GET /api/v2/admin/customers?limit=20 listed ${items} items, not ${expected}`);
  }
  log(`verified: /health 200; admin list 200 with ${items} items (${text.length} bytes)`);
}

interface CpuSample {
  at: bigint;
  self: NodeJS.CpuUsage;
  /** CPU ticks of every process by pid; null where /proc is unavailable. */
  processes: Map<number, { comm: string; ticks: number }> | null;
  busyMs: number;
  idleMs: number;
}

function sampleCpu(): CpuSample {
  const { busyMs, idleMs } = systemCpu();
  return {
    at: process.hrtime.bigint(),
    self: process.cpuUsage(),
    processes: processTicks(),
    busyMs,
    idleMs,
  };
}

/** Whole-machine busy and idle time; /proc/stat, unlike os.cpus(), counts softirq and steal. */
function systemCpu(): { busyMs: number; idleMs: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map((n) => (Number(n) * 1000) / ticksPerSecond);
    const v = (n: number | undefined) => n ?? 0;
    return {
      busyMs: v(user) + v(nice) + v(system) + v(irq) + v(softirq) + v(steal),
      idleMs: v(idle) + v(iowait),
    };
  } catch {
    let busyMs = 0;
    let idleMs = 0;
    for (const cpu of cpus()) {
      const t = cpu.times;
      busyMs += t.user + t.nice + t.sys + t.irq;
      idleMs += t.idle;
    }
    return { busyMs, idleMs };
  }
}

function processTicks(): CpuSample['processes'] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return null;
  }
  const out = new Map<number, { comm: string; ticks: number }>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      // After "pid (comm) ", field 3 (state) comes first; utime and stime are fields 14 and 15.
      const fields = stat.slice(close + 2).split(' ');
      out.set(Number(pid), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // Exited between listing and reading.
    }
  }
  return out;
}

/**
 * Splits the busy time between the two measured runs: the server, autocannon (this process),
 * PostgreSQL (every postgres process: the embedded cluster's, or PG_URL's when local), anything else running, and
 * what no process was charged for (mostly the kernel's loopback networking in softirq).
 */
function cpuSplit(
  a: CpuSample,
  b: CpuSample,
  serverPid: number | undefined,
  pg: boolean,
): CpuSplit {
  const wall = Number(b.at - a.at) / 1e9;
  const perWall = (seconds: number) => round(seconds / wall);
  const self = (b.self.user - a.self.user + b.self.system - a.self.system) / 1e6;
  const busy = (b.busyMs - a.busyMs) / 1000;
  const idle = perWall((b.idleMs - a.idleMs) / 1000);
  const cores = cpus().length;
  if (!a.processes || !b.processes) {
    const rest = perWall(Math.max(0, busy - self));
    return {
      server: null,
      loadGenerator: perWall(self),
      postgres: null,
      otherProcesses: null,
      unattributed: rest,
      idle,
      cores,
    };
  }
  let server = 0;
  let postgres = 0;
  let others = 0;
  for (const [pid, end] of b.processes) {
    if (pid === process.pid) continue;
    // A process that started during the run is charged all of its time.
    const start = a.processes.get(pid);
    const delta =
      (end.ticks - (start && start.comm === end.comm ? start.ticks : 0)) / ticksPerSecond;
    if (pid === serverPid) server += delta;
    else if (pg && end.comm === 'postgres') postgres += delta;
    else others += delta;
  }
  return {
    server: perWall(server),
    loadGenerator: perWall(self),
    postgres: pg ? perWall(postgres) : null,
    otherProcesses: perWall(others),
    unattributed: perWall(Math.max(0, busy - self - server - postgres - others)),
    idle,
    cores,
  };
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function renderMarkdown(report: {
  machine: { node: string; cores: number; cpuModel: string };
  database: ServeReady['database'];
  options: typeof options;
  results: TargetResult[];
  ratio: number;
  meetsTarget: boolean;
}): string {
  const { machine, database, results } = report;
  const o = report.options;
  const fmt = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));
  const lines = [
    '',
    `${database.version}` +
      `, pool ${database.poolMax}` +
      ` | Node ${machine.node} | ${machine.cores} cores (${machine.cpuModel})` +
      ` | ${o.connections} connections, pipelining ${o.pipelining}, ${o.duration} s` +
      ` after ${o.warmup} s warm-up`,
    '',
    '| target | req/s (mean) | p50 (ms) | p99 (ms) | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${Math.round(r.requestsPerSecMean)} | ${r.latencyP50Ms} | ` +
        `${r.latencyP99Ms} | ${r.non2xx} | ${r.errors} |`,
    ),
    '',
    `Ratio (b)/(a) req/s: **${report.ratio.toFixed(2)}** ` +
      `(target >= ${targetRatio}: ${report.meetsTarget ? 'met' : 'NOT met'})`,
    '',
    `CPU during the measured runs, in cores busy (of ${machine.cores}); "kernel" is time no ` +
      'process was charged for, mostly loopback networking:',
    '',
    '| target | server | autocannon | postgres | other processes | kernel | idle |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${fmt(r.cpu.server)} | ${fmt(r.cpu.loadGenerator)} | ` +
        `${fmt(r.cpu.postgres)} | ${fmt(r.cpu.otherProcesses)} | ${fmt(r.cpu.unattributed)} | ` +
        `${fmt(r.cpu.idle)} |`,
    ),
    '',
  ];
  const noisy = results.filter((r) => (r.cpu.otherProcesses ?? 0) > noiseThreshold);
  if (noisy.length > 0) {
    lines.push(
      `WARNING: other processes used more than ${noiseThreshold} cores during ` +
        `${noisy.map((r) => r.name.slice(0, 3)).join(' and ')}; those figures are not ` +
        'representative of an idle machine.',
      '',
    );
  }
  return lines.join('\n');
}

async function stopServer(child: ServerProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Closing stdin asks serve.ts to drain, close the pool and drop its database.
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
