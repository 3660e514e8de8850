import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMsOf, descendantsCpu, descendantsCpuBetween, quantile } from './process-cpu.js';
import type { RecordedQuery } from './query-recorder.js';
import type { ServeReady } from './serve.js';

/**
 * Authenticated list reads against the same queries on a bare pool (issue 30, item 4). The
 * server (bench/serve.ts, production mode) records the SQL one request of each route sends; a
 * second process (bench/bare-pool-serve.ts) answers a plain HTTP GET by sending those queries,
 * same text and values, in the same parallel steps, on a bare node-postgres pool of the same
 * size over the same database, and the rows as JSON. Then alternated rounds of autocannon on
 * each: req/s, p50/p99, and CPU per request of the server, the twin and PostgreSQL.
 *
 *   NODE_ENV=production npx tsx bench/list-reads.ts
 *
 * Options: --rounds 5 --seconds 3 (a side of a round) --warmup 1 --connections 50
 * --profile <dir> (the server's --cpu-prof there).
 */
type Child = ChildProcessByStdio<Writable, Readable, null>;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    profile: { type: 'string' },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

const routes = [
  {
    name: 'buyer storefronts (200 listed × 5 sources)',
    path: '/api/v2/buyer/storefronts?limit=20',
    role: 'buyer',
  },
  { name: 'admin customers', path: '/api/v2/admin/customers?limit=20', role: 'admin' },
] as const;

function start(script: string, argv: string[], nodeArgs: string[] = []) {
  const child: Child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...argv], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) return resolve(line);
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    });
  return { child, nextLine };
}

const server = start(
  'bench/serve.ts',
  [],
  args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [],
);
const children = [server.child];
try {
  const ready = JSON.parse(await server.nextLine()) as ServeReady;
  const recorded: Record<string, RecordedQuery[]> = {};
  for (const route of routes) {
    server.child.stdin.write(`record ${route.path} ${route.role}\n`);
    const answer = JSON.parse(await server.nextLine()) as {
      recorded?: RecordedQuery[];
      error?: string;
    };
    if (!answer.recorded) throw new Error(`recording ${route.path}: ${answer.error}`);
    recorded[route.path] = answer.recorded;
    log(`${route.path}: ${answer.recorded.length} queries`);
  }
  const twin = start('bench/bare-pool-serve.ts', [
    ready.databaseUrl,
    String(ready.database.poolMax),
  ]);
  children.push(twin.child);
  twin.child.stdin.write(`${JSON.stringify(recorded)}\n`);
  const twinPort = (JSON.parse(await twin.nextLine()) as { port: number }).port;

  const keys: Record<string, string> = { admin: ready.adminKey, buyer: ready.buyerKey };
  const serverPid = server.child.pid!;
  const run = async (url: string, headers: Record<string, string>, ms: number, pid: number) => {
    const pg0 = descendantsCpu(serverPid);
    const cpu0 = cpuMsOf(pid)!;
    const r = await autocannon({ url, headers, connections, duration: ms / 1000 });
    const n = r.requests.total;
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return {
      reqPerSec: r.requests.mean,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      cpuMsPerReq: (cpuMsOf(pid)! - cpu0) / n,
      postgresMsPerReq: descendantsCpuBetween(pg0, descendantsCpu(serverPid)) / n,
    };
  };
  type Side = Awaited<ReturnType<typeof run>>;
  const results = [];
  const rows: string[] = [];
  for (const route of routes) {
    const ours = () =>
      run(
        `http://127.0.0.1:${ready.port}${route.path}`,
        { authorization: `Bearer ${keys[route.role]}` },
        seconds * 1000,
        serverPid,
      );
    const bare = () =>
      run(`http://127.0.0.1:${twinPort}${route.path}`, {}, seconds * 1000, twin.child.pid!);
    await run(
      `http://127.0.0.1:${ready.port}${route.path}`,
      { authorization: `Bearer ${keys[route.role]}` },
      Number(args.warmup) * 1000,
      serverPid,
    );
    await run(
      `http://127.0.0.1:${twinPort}${route.path}`,
      {},
      Number(args.warmup) * 1000,
      twin.child.pid!,
    );
    const load0 = loadavg()[0]!;
    const perRound: Array<{ ours: Side; bare: Side }> = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        const a = await ours();
        perRound.push({ ours: a, bare: await bare() });
      } else {
        const b = await bare();
        perRound.push({ ours: await ours(), bare: b });
      }
    }
    const load1 = loadavg()[0]!;
    const med = (f: (p: { ours: Side; bare: Side }) => number) => quantile(perRound.map(f), 0.5);
    const ratio = med((p) => p.ours.reqPerSec / p.bare.reqPerSec);
    results.push({
      route,
      queries: recorded[route.path]!.length,
      perRound,
      ratio,
      load: [load0, load1],
    });
    const row = [
      `\`${route.path}\` ${route.name}`,
      recorded[route.path]!.length,
      med((p) => p.ours.reqPerSec).toFixed(0),
      med((p) => p.bare.reqPerSec).toFixed(0),
      `**${ratio.toFixed(2)}**`,
      `${med((p) => p.ours.p50Ms)} / ${med((p) => p.ours.p99Ms)}`,
      `${med((p) => p.bare.p50Ms)} / ${med((p) => p.bare.p99Ms)}`,
      med((p) => p.ours.cpuMsPerReq).toFixed(2),
      med((p) => p.bare.cpuMsPerReq).toFixed(2),
      `${med((p) => p.ours.postgresMsPerReq).toFixed(2)} / ${med((p) => p.bare.postgresMsPerReq).toFixed(2)}`,
      `${load0.toFixed(1)}-${load1.toFixed(1)}`,
    ].join(' | ');
    rows.push(`| ${row} |`);
    log(`| ${row} |`);
  }
  console.log(
    [
      `list reads vs the same queries on a bare pool, ${new Date().toISOString()}, ${connections} connections, ${rounds} rounds × ${seconds} s a side`,
      '',
      '| route | queries | Interchange req/s | bare pool req/s | ratio | p50 / p99 ms | bare p50 / p99 ms | server CPU ms/req | bare CPU ms/req | PostgreSQL ms/req (ours / bare) | load |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
    ].join('\n'),
  );
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}list-reads-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    JSON.stringify(results, null, 2),
  );
} finally {
  for (const child of children) child.stdin.end();
}
