import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Fleet, freePort, startFleet } from '../scripts/fleet/fleet.js';
import type { Balancer } from '../scripts/fleet/balancer.js';
import { nginxAvailable, startNginxBalancer } from '../scripts/fleet/nginx.js';
import { startSeller } from '../test/fixtures/sellers.js';
import { postgresProcessesOn, tempDataDir } from '../test/support/server-process.js';
import {
  moreCampaigns,
  type PathName,
  pathNames,
  seedFleet,
  type Seeded,
  workerFor,
} from './fleet-load-paths.js';
import { cpuMsOf, descendantsCpuBetween, descendantsOf, quantile } from './process-cpu.js';
import { startWaitSampler } from './fleet-load-waits.js';

/**
 * Load per path at 1, 2 and 3 instances behind nginx on one PostgreSQL (issue 34 item 3). Each
 * checkout's build (`npm run build` there) runs as a fleet of 3 (`scripts/fleet`, NODE_ENV=
 * production) with nginx over the first 1, the first 2 and all 3 instances, so the three sizes
 * serve the same data and are measured in alternated rounds; every window of a path is paired
 * with a `/health` window through the same balancer, and the ratio is taken window by window.
 * The seller is the demo AdCP seller in this process. CPU per request is read from /proc for the
 * serving instances, PostgreSQL and nginx; the client's (and the seller's) from this process.
 *
 *   npm run build && npx tsx bench/fleet-load.ts
 *   npx tsx bench/fleet-load.ts --checkout ../main --checkout .   # two builds, same rounds
 *
 * Options: --paths (comma list of names, default all) --instances 1,2,3 --rounds 3 --seconds 3
 * --warmup 1 --connections 8 --executes 24 (calls per execute window: each consumes a campaign)
 * --waits (sample pg_stat_activity's wait events during the windows) --profile <dir> (the
 * instances' --cpu-prof there, written when they stop).
 */
const { values: args } = parseArgs({
  options: {
    checkout: { type: 'string', multiple: true, default: ['.'] },
    paths: { type: 'string', default: pathNames.join(',') },
    instances: { type: 'string', default: '1,2,3' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '8' },
    executes: { type: 'string', default: '24' },
    waits: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const paths = args.paths.split(',') as PathName[];
for (const p of paths) if (!pathNames.includes(p as never)) throw new Error(`unknown path ${p}`);
const sizes = args.instances.split(',').map(Number);
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const executes = Number(args.executes);
const log = (line: string) => process.stderr.write(`${line}\n`);
const nginx = nginxAvailable();
if (!nginx) throw new Error('nginx is not installed (apt-get install nginx)');
const nginxBin: string = nginx;

interface Subject {
  checkout: string;
  fleet: Fleet;
  dir: string;
  /** Balancer over the first n instances, by n. */
  balancers: Map<number, Balancer>;
  seeded: Seeded;
}

interface Window {
  reqPerSec: number;
  p50: number;
  p99: number;
  n: number;
  errors: number;
  firstError?: string;
  /** CPU ms per request: serving instances, PostgreSQL, nginx, this process (client + seller). */
  cpu: { instances: number; postgres: number; nginx: number; client: number };
}

function cpuOf(pids: number[]) {
  const m = new Map<number, number>();
  for (const pid of pids) {
    const ms = cpuMsOf(pid);
    if (ms !== undefined) m.set(pid, ms);
  }
  return m;
}
const nginxPids = () =>
  descendantsOf(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'nginx';
    } catch {
      return false;
    }
  });

/** Runs the workers for `ms` (or until `count` calls have started) and reads what it cost. */
async function drive(
  subject: Subject,
  size: number,
  workers: Array<() => Promise<void>>,
  limit: { ms?: number; count?: number },
): Promise<Window> {
  const serving = subject.fleet.instances.slice(0, size).map((i) => i.server.pid);
  const groups = () => ({
    instances: cpuOf(serving),
    postgres: cpuOf(postgresProcessesOn(subject.dir).flatMap((pm) => [pm, ...descendantsOf(pm)])),
    nginx: cpuOf(nginxPids()),
  });
  const before = groups();
  const client0 = process.cpuUsage();
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + (limit.ms ?? Infinity);
  await Promise.all(
    workers.map(async (run) => {
      while (performance.now() < deadline && started < (limit.count ?? Infinity)) {
        started++;
        const t = performance.now();
        try {
          await run();
          latencies.push(performance.now() - t);
        } catch (error) {
          errors++;
          firstError ??= String(error).slice(0, 300);
        }
      }
    }),
  );
  const elapsed = performance.now() - t0;
  const after = groups();
  const client = process.cpuUsage(client0);
  const n = Math.max(1, latencies.length + errors);
  return {
    reqPerSec: (latencies.length * 1000) / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    n: latencies.length,
    errors,
    ...(firstError && { firstError }),
    cpu: {
      instances: descendantsCpuBetween(before.instances, after.instances) / n,
      postgres: descendantsCpuBetween(before.postgres, after.postgres) / n,
      nginx: descendantsCpuBetween(before.nginx, after.nginx) / n,
      client: (client.user + client.system) / 1000 / n,
    },
  };
}

async function retried<T>(start: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start();
    } catch (error) {
      if (i >= tries) throw error;
      log(`fleet start failed (${String(error).split('\n')[1] ?? error}); trying again`);
    }
  }
}

const seller = await startSeller('mcp');
const subjects: Subject[] = [];
const started = performance.now();
async function stopSubjects() {
  // SIGTERM to every instance first, so that each writes its --cpu-prof profile (a fleet's
  // close stops every server of this process with SIGKILL, the other fleet's too).
  if (args.profile) {
    for (const s of subjects) {
      for (const i of s.fleet.instances) await s.fleet.kill(i.index, 'SIGTERM');
    }
  }
  for (const s of subjects.splice(0)) {
    for (const b of s.balancers.values()) await b.close();
    await s.fleet.close();
  }
}

async function startSubjects() {
  for (const checkout of args.checkout) {
    const dir = tempDataDir('ix-fleet-load-');
    const fleet = await startFleet({
      instances: Math.max(...sizes),
      balancer: 'nginx',
      dir,
      builtCheckout: resolve(checkout),
      ...(args.profile && { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${resolve(args.profile)}`] }),
      env: {
        INTERCHANGE_LOG_LEVEL: 'warn',
        INTERCHANGE_RATE_LIMIT: '100000000',
        INTERCHANGE_PUBLIC_RATE_LIMIT: '100000000',
        INTERCHANGE_COMPLIANCE_POLICY: 'off',
        // Under this machine's load a discovery must not give up on the seller: slow, not empty.
        INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '60000',
        INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '90000',
      },
    });
    const balancers = new Map<number, Balancer>();
    // Registered at once, so that a failure from here on still stops it all.
    const subject = { checkout, fleet, dir, balancers, seeded: undefined as unknown as Seeded };
    subjects.push(subject);
    for (const size of sizes) {
      if (size === fleet.instances.length) {
        balancers.set(size, { url: fleet.url, port: 0, upstreams: [], close: async () => {} });
        continue;
      }
      const upstreams = fleet.instances.slice(0, size).map((i) => i.url.replace('http://', ''));
      const port = await freePort();
      balancers.set(
        size,
        await startNginxBalancer({ bin: nginxBin, upstreams, port, dir: join(dir, `lb-${size}`) }),
      );
    }
    subject.seeded = await seedFleet(fleet.url, fleet.adminKey, seller.url);
    log(`${checkout}: fleet of ${fleet.instances.length} ready and seeded`);
  }
}

try {
  // At a load of 30 an instance's first pool connect can pass its 5 s bound, and a failed fleet
  // start stops every server of this process (scripts/fleet): start them all again.
  await retried(() =>
    startSubjects().catch((e: unknown) => stopSubjects().then(() => Promise.reject(e))),
  );
  if (paths.includes('campaign execute')) {
    const needed = sizes.length * (rounds + 1) * executes;
    await Promise.all(
      subjects.map((s) =>
        Promise.all(
          Array.from({ length: 4 }, () => moreCampaigns(s.fleet.url, s.seeded, needed / 4 + 1)),
        ),
      ),
    );
    log(`campaigns to execute: ${subjects.map((s) => s.seeded.campaigns.length).join(', ')}`);
  }

  const results: Array<Record<string, unknown>> = [];
  const rows: string[] = [];
  // What an instance costs doing nothing (job polling, listeners): CPU ms per second each.
  const idle: string[] = [];
  for (const s of subjects) {
    const pids = s.fleet.instances.map((i) => i.server.pid);
    const pgPids = () => postgresProcessesOn(s.dir).flatMap((pm) => [pm, ...descendantsOf(pm)]);
    const [c0, pg0] = [cpuOf(pids), cpuOf(pgPids())];
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const elapsed = (performance.now() - t0) / 1000;
    const perSecond = descendantsCpuBetween(c0, cpuOf(pids)) / elapsed;
    const pgPerSecond = descendantsCpuBetween(pg0, cpuOf(pgPids())) / elapsed;
    idle.push(
      `${s.checkout}: idle, ${(perSecond / pids.length).toFixed(1)} CPU ms/s per instance, ` +
        `PostgreSQL ${pgPerSecond.toFixed(1)} CPU ms/s`,
    );
    log(idle.at(-1)!);
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  for (const path of paths) {
    // Per subject and size: the path's workers and /health's, through that balancer.
    const cells = [];
    for (const [si, subject] of subjects.entries()) {
      for (const size of sizes) {
        const base = subject.balancers.get(size)!.url;
        const open = async (p: PathName) =>
          Promise.all(
            Array.from({ length: connections }, () => workerFor(p, base, subject.seeded)),
          );
        cells.push({ si, subject, size, health: await open('health'), work: await open(path) });
      }
    }
    const limitOf = (p: PathName, ms: number) =>
      p === 'campaign execute' ? { count: executes } : { ms };
    for (const cell of cells) {
      await drive(
        cell.subject,
        cell.size,
        cell.health.map((w) => w.run),
        { ms: warmup * 1000 },
      );
      await drive(
        cell.subject,
        cell.size,
        cell.work.map((w) => w.run),
        limitOf(path, warmup * 1000),
      );
    }
    const load0 = loadavg();
    const samplers = args.waits
      ? await Promise.all(subjects.map((x) => startWaitSampler(x.fleet.database.url)))
      : [];
    log(`${path}: measuring from ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const perRound: Array<Array<{ health: Window; work: Window }>> = [];
    for (let r = 0; r < rounds; r++) {
      const round: Array<{ health: Window; work: Window }> = [];
      for (let k = 0; k < cells.length; k++) {
        const i = (r + k) % cells.length;
        const cell = cells[i]!;
        const go = (w: typeof cell.work, p: PathName) =>
          drive(
            cell.subject,
            cell.size,
            w.map((x) => x.run),
            limitOf(p, seconds * 1000),
          );
        // Which of the pair goes first alternates too.
        if (r % 2 === 0) {
          const health = await go(cell.health, 'health');
          round[i] = { health, work: await go(cell.work, path) };
        } else {
          const work = await go(cell.work, path);
          round[i] = { health: await go(cell.health, 'health'), work };
        }
      }
      perRound.push(round);
    }
    const waits = await Promise.all(samplers.map((x) => x.stop()));
    const load1 = loadavg();
    for (const cell of cells) for (const w of [...cell.health, ...cell.work]) await w.close();
    for (const [i, cell] of cells.entries()) {
      const m = (pick: (x: { health: Window; work: Window }) => number) =>
        median(perRound.map((p) => pick(p[i]!)));
      const ratio = m((x) => x.work.reqPerSec / x.health.reqPerSec);
      const one = cells.findIndex((c) => c.si === cell.si && c.size === Math.min(...sizes));
      const scale = median(perRound.map((p) => p[i]!.work.reqPerSec / p[one]!.work.reqPerSec));
      const errors = perRound.reduce((sum, p) => sum + p[i]!.work.errors, 0);
      const calls = perRound.reduce((sum, p) => sum + p[i]!.work.n + p[i]!.work.errors, 0);
      const firstError = perRound.map((p) => p[i]!.work.firstError).find(Boolean);
      const label = subjects.length > 1 ? ` (${cell.subject.checkout})` : '';
      const row = [
        `${path}${label}`,
        cell.size,
        f(m((x) => x.work.reqPerSec)),
        `${f(m((x) => x.work.p50))} / ${f(m((x) => x.work.p99))}`,
        `${errors} / ${calls}`,
        f(m((x) => x.health.reqPerSec)),
        `**${f(ratio, 3)}**`,
        f(scale, 2),
        f(
          m((x) => x.work.cpu.instances),
          2,
        ),
        f(
          m((x) => x.work.cpu.postgres),
          2,
        ),
        f(
          m((x) => x.work.cpu.nginx),
          2,
        ),
        f(
          m((x) => x.work.cpu.client),
          2,
        ),
        f(
          m((x) => x.health.cpu.instances),
          3,
        ),
        `${f(load0[0]!)}-${f(load1[0]!)}`,
      ].join(' | ');
      rows.push(`| ${row} |`);
      log(`| ${row} |${firstError ? `  first error: ${firstError}` : ''}`);
      results.push({
        path,
        checkout: cell.subject.checkout,
        instances: cell.size,
        rounds: perRound.map((p) => p[i]),
        load: [load0, load1],
        ratio,
        scale,
        ...(firstError && { firstError }),
      });
    }
    for (const [i, lines] of waits.entries()) {
      log(`${path}: PostgreSQL wait samples (checkout ${subjects[i]!.checkout}, all sizes):`);
      for (const line of lines) log(`  ${line}`);
      results.push({ path, checkout: subjects[i]!.checkout, waits: lines });
    }
  }
  console.log(
    [
      `fleet load, ${new Date().toISOString()}, ${rounds} rounds × ${seconds} s a window, ${connections} connections`,
      '',
      ...idle,
      '',
      '| path | instances | req/s | p50 / p99 ms | errors / calls | /health req/s | ratio to /health | req/s ÷ 1 instance | instances CPU ms/req | PostgreSQL | nginx | client + seller | /health instances CPU ms/req | load (1 min) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}fleet-load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    JSON.stringify(results, null, 2),
  );
} finally {
  await stopSubjects();
  await seller.close();
}
