import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * First start as a user meets it (issue 46): `npm start` in a checkout whose dependencies are
 * installed, on an empty data directory (initdb, migrations, the demo seeded), then a restart on
 * the same directory. For each: the time to the first 200 from `/ready` and to "Ready." (jobs
 * started, the demo seeded), and the peak PSS of the server and its embedded PostgreSQL cluster
 * together, sampled every 100 ms from the spawn until --after seconds past the end of the demo's
 * first compliance run (it makes the first start's peak; a restart has none, and is sampled
 * --after seconds past "Ready."). PSS, not RSS, is the figure: the cluster's processes share its
 * buffers, and RSS counts them once per process; the summed RSS is printed beside it.
 * npm's own process (and the shell it runs the script in) is reported apart: it is not the server.
 *
 * Several checkouts (e.g. main built as it was against this branch) alternate run by run, so a
 * shared machine's load falls on each alike; the load average is printed with every run.
 *
 *   npx tsx bench/first-start.ts [--checkout ../before --checkout .] [--runs 3] [--after 40] [--first-only]
 *   npm run bench -- first-start --runs 3
 */
type Child = ChildProcessByStdio<null, Readable, Readable>;

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'first-start'),
  options: {
    checkout: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    /**
     * Seconds sampled past the demo's first compliance run (the first start: its source's run,
     * a worker thread calling the demo agent back, starts once the job workers start, and makes
     * the peak; followed through GET /test-runs with the seller key the seed prints) or past
     * "Ready." (a restart).
     */
    after: { type: 'string', default: '10' },
    /** Stop each start at its first 200 from /ready: the time only, not the run's peak. */
    'ready-only': { type: 'boolean', default: false },
    /** Only the first start (no restart on the same directory). */
    'first-only': { type: 'boolean', default: false },
    /** `npm` (npm start, the user's command) or `node` (node dist/main.js serve, built already). */
    command: { type: 'string', default: 'npm' },
    /** A flag for node (and so V8), e.g. `--node-flag=--max-semi-space-size=2`; with --command node. */
    'node-flag': { type: 'string', multiple: true, default: [] },
  },
});
const here = fileURLToPath(new URL('..', import.meta.url));
const checkouts = (args.checkout ?? [here]).map((c) => resolve(c));
const runs = Number(args.runs);
const afterMs = Number(args.after) * 1000;
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface Start {
  readyMs: number;
  allReadyMs: number;
  /** CPU time of the tree until /ready answered: the figure load on a shared machine spares. */
  readyCpuMs: number;
  /** Peak PSS (MB) of the server process and the cluster's processes, summed at each sample. */
  peakMb: number;
  /** The same in summed RSS (MB): shared pages counted once per process. */
  peakRssMb: number;
  /** From the spawn to the end of the demo's first compliance run (ms), and how it ended. */
  complianceMs: number;
  compliance: string;
  /** At the peak's sample: the cluster's share (MB) and how many processes it ran. */
  clusterMb: number;
  backends: number;
  /** The peaks of each part on its own (MB): the Node.js server, the cluster. */
  nodePeakMb: number;
  clusterPeakMb: number;
  /** The same at the last sample, --after seconds past "Ready.". */
  settledMb: number;
  /** npm and the shell it runs the start script in, at their peak (MB). */
  wrapperMb: number;
  /** tsc, when this start compiled (MB, its peak). */
  buildMb: number;
  /** How SIGTERM to npm ended the server: `clean`, or what had to be done instead. */
  stopped: string;
  load: string;
}

/** Every process under `root`, from /proc (ppid links), with its command line. */
function tree(root: number): { pid: number; argv: string[] }[] {
  const parent = new Map<number, number>();
  const argvOf = new Map<number, string[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      argvOf.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0'));
    } catch {
      // gone meanwhile
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++)
    for (const [pid, ppid] of parent) if (ppid === found[i]) found.push(pid);
  return found.map((pid) => ({ pid, argv: argvOf.get(pid) ?? [] }));
}

/** CPU (user + system, ms) of the tree: live processes and the children they have reaped. */
function cpuMs(root: number): number {
  let ticks = 0;
  for (const p of tree(root)) {
    try {
      const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17 of stat(5), 11-14 after the name.
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // gone meanwhile
    }
  }
  // Clock ticks of 1/100 s (CLK_TCK) on every mainstream Linux.
  return ticks * 10;
}

function memoryKb(pid: number): { pss: number; rss: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return {
      pss: Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0),
      rss: Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0),
    };
  } catch {
    return { pss: 0, rss: 0 };
  }
}

/** npm itself, and `sh -c <script>`: what runs the server, not the server. */
const isWrapper = (argv: string[]) =>
  argv.some((a) => /npm-cli\.js$|\/npm$/.test(a)) || (argv[0] === 'sh' && argv[1] === '-c');
/** The embedded PostgreSQL's processes (postmaster, its children, the keeper shell). */
const isCluster = (argv: string[]) =>
  argv.some((a) => /postgres/.test(a)) && !argv.some((a) => /main\.js$|npm/.test(a));
/** The compiler, when the start builds (before this branch: on every start). */
const isBuild = (argv: string[]) => argv.some((a) => /typescript\/bin\/tsc$|\/tsc$/.test(a));

function sample(root: number, seen: Map<number, string[]>) {
  const mb = { server: 0, serverRss: 0, cluster: 0, backends: 0, wrapper: 0, build: 0 };
  for (const p of tree(root)) {
    seen.set(p.pid, p.argv);
    const { pss: kb, rss } = memoryKb(p.pid);
    if (isBuild(p.argv)) mb.build += kb / 1024;
    else if (isWrapper(p.argv)) mb.wrapper += kb / 1024;
    else {
      mb.server += kb / 1024;
      mb.serverRss += rss / 1024;
      if (isCluster(p.argv)) {
        mb.cluster += kb / 1024;
        mb.backends += 1;
      }
    }
  }
  return mb;
}

async function start(checkout: string, dataDir: string): Promise<Start> {
  const atStart = load();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    INTERCHANGE_DATA_DIR: dataDir,
    INTERCHANGE_LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.INTERCHANGE_DEMO;
  const started = performance.now();
  const command =
    args.command === 'node'
      ? [process.execPath, ...args['node-flag'], 'dist/main.js', 'serve']
      : ['npm', 'start'];
  const child: Child = spawn(command[0]!, command.slice(1), {
    cwd: checkout,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const seen = new Map<number, string[]>();
  let peak = 0;
  let peakRss = 0;
  let atPeak = { cluster: 0, backends: 0 };
  let nodePeak = 0;
  let clusterPeak = 0;
  let wrapper = 0;
  let build = 0;
  let last = 0;
  let stopped = '';
  let readyMs = 0;
  let readyCpuMs = 0;
  let allReadyMs = 0;
  let url: string | undefined;
  const firstRun = { ms: 0, outcome: 'none (a restart)', polled: 0 };
  const sampledUntil = () =>
    args['ready-only'] && readyMs
      ? 0
      : allReadyMs && !firstRun.outcome.startsWith('waiting')
        ? (firstRun.ms || allReadyMs) + afterMs
        : Infinity;
  const deadline = Date.now() + 900_000;
  try {
    while (performance.now() - started < sampledUntil()) {
      if (child.exitCode !== null) throw new Error(`server exited: ${text}`);
      if (Date.now() > deadline) throw new Error(`not ready within 900 s: ${text}`);
      const s = sample(child.pid!, seen);
      if (s.server > peak) atPeak = s;
      peak = Math.max(peak, s.server);
      peakRss = Math.max(peakRss, s.serverRss);
      nodePeak = Math.max(nodePeak, s.server - s.cluster);
      clusterPeak = Math.max(clusterPeak, s.cluster);
      wrapper = Math.max(wrapper, s.wrapper);
      build = Math.max(build, s.build);
      last = s.server;
      url ??= /listening on (http:\/\/\S+)/.exec(text)?.[1];
      if (url && !readyMs) {
        const ok = await fetch(`${url}/ready`)
          .then((r) => r.status === 200)
          .catch(() => false);
        if (ok) {
          readyMs = performance.now() - started;
          readyCpuMs = cpuMs(child.pid!);
        }
      }
      if (readyMs && !allReadyMs && /^Ready\.$/m.test(text)) {
        allReadyMs = performance.now() - started;
        if (sellerKeyIn(text)) firstRun.outcome = 'waiting';
      }
      if (url && firstRun.outcome === 'waiting' && ++firstRun.polled % 10 === 0) {
        const outcome = await firstRunOutcome(url, sellerKeyIn(text)!);
        if (outcome) Object.assign(firstRun, { ms: performance.now() - started, outcome });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    stopped = await stop(child, seen);
  }
  return {
    readyMs: Math.round(readyMs),
    allReadyMs: Math.round(allReadyMs),
    readyCpuMs,
    peakMb: Math.round(peak),
    peakRssMb: Math.round(peakRss),
    complianceMs: Math.round(firstRun.ms),
    compliance: firstRun.outcome,
    clusterMb: Math.round(atPeak.cluster),
    backends: atPeak.backends,
    nodePeakMb: Math.round(nodePeak),
    clusterPeakMb: Math.round(clusterPeak),
    settledMb: Math.round(last),
    wrapperMb: Math.round(wrapper),
    buildMb: Math.round(build),
    stopped,
    load: atStart,
  };
}

/** The seller key the demo seed prints on a first start (a restart prints none). */
const sellerKeyIn = (text: string) => /Seller "[^"]+" \(customer \d+\) key: (\S+)/.exec(text)?.[1];

/** How the demo's first compliance run ended (its hosted status and stage), once it has. */
async function firstRunOutcome(url: string, key: string): Promise<string | undefined> {
  type Run = {
    status: string;
    stage: string | null;
    summary: { headline: string; trackCounts: Record<string, number> };
    diagnostics: { failureCount: number };
  };
  type Runs = { data?: { runs?: Run[] } };
  const body = await fetch(`${url}/api/v2/storefront/test-runs`, {
    headers: { authorization: `Bearer ${key}` },
  })
    .then((r) => (r.ok ? (r.json() as Promise<Runs>) : undefined))
    .catch(() => undefined);
  const run = body?.data?.runs?.at(-1);
  if (!run || run.stage === 'queued' || run.stage === 'running') return undefined;
  // The result itself, so that a lever is seen to leave what the run graded unchanged.
  const t = run.summary.trackCounts;
  return (
    `${run.status} (${run.stage}: "${run.summary.headline}", tracks ${t.passing} passing, ` +
    `${t.partial} partial, ${t.failing} failing of ${t.total}; ${run.diagnostics.failureCount} failures)`
  );
}

const isAlive = (pid: number, argv: string[]) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === argv.join('\0');
  } catch {
    return false;
  }
};

/**
 * SIGTERM to npm, as a supervisor would send it: it should reach the server, which drains and
 * stops its cluster. A server npm's signal did not reach (the shell between them died of it
 * and left the server running) is sent SIGTERM itself, and the answer says so.
 */
async function stop(child: Child, seen: Map<number, string[]>): Promise<string> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  let stopped = 'clean';
  const deadline = Date.now() + 60_000;
  for (;;) {
    const left = [...seen].filter(([pid, argv]) => isAlive(pid, argv));
    if (left.length === 0) return stopped;
    if (Date.now() > deadline) {
      for (const [pid] of left) process.kill(pid, 'SIGKILL');
      return `${stopped}; killed ${left.length} processes left after 60 s`;
    }
    if (Date.now() > deadline - 55_000 && stopped === 'clean') {
      const servers = left.filter(([, argv]) => argv[0]?.endsWith('node'));
      for (const [pid] of servers) process.kill(pid, 'SIGTERM');
      if (servers.length) stopped = "npm's SIGTERM did not reach the server: sent to it directly";
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const figures = new Map(
  checkouts.map((c) => [c, { first: [] as Start[], restart: [] as Start[] }]),
);
const dirs: string[] = [];

try {
  log(`load before: ${load()}`);
  for (let round = 0; round < runs; round++) {
    for (const checkout of checkouts) {
      const dir = mkdtempSync(join(tmpdir(), 'ix-bench-first-'));
      dirs.push(dir);
      const f = figures.get(checkout)!;
      for (const kind of args['first-only']
        ? (['first'] as const)
        : (['first', 'restart'] as const)) {
        const s = await start(checkout, dir);
        f[kind].push(s);
        log(
          `${checkout} ${kind}: /ready ${s.readyMs} ms (cpu ${s.readyCpuMs} ms), Ready. ${s.allReadyMs} ms, ` +
            `first compliance run ${s.compliance} at ${s.complianceMs} ms, peak ${s.peakMb} MB (summed RSS ${s.peakRssMb}) ` +
            `(cluster ${s.clusterMb} MB in ${s.backends} processes; alone: node ${s.nodePeakMb}, cluster ${s.clusterPeakMb}; settled ${s.settledMb} MB; npm ${s.wrapperMb} MB, tsc ${s.buildMb} MB), stop ${s.stopped}, ` +
            `load ${s.load}`,
        );
      }
    }
  }
  const summary = (xs: Start[]) => ({
    readyMs: median(xs.map((x) => x.readyMs)),
    allReadyMs: median(xs.map((x) => x.allReadyMs)),
    readyCpuMs: median(xs.map((x) => x.readyCpuMs)),
    peakMb: median(xs.map((x) => x.peakMb)),
    peakRssMb: median(xs.map((x) => x.peakRssMb)),
    settledMb: median(xs.map((x) => x.settledMb)),
    runs: xs,
  });
  const report = {
    date: new Date().toISOString(),
    command: args.command,
    loadAfter: load(),
    checkouts: [...figures].map(([checkout, f]) => ({
      checkout,
      first: summary(f.first),
      restart: summary(f.restart),
    })),
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
