import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

/**
 * Sellers fetch creatives through signed asset links (GET /assets/{id}?expires&signature): no
 * API key, an HMAC check, one database read, the file streamed from the asset store. Measured
 * against GET /health in the same run: (a) /health, (b) a 300x250 PNG banner (~1 kB),
 * (c) a 220 kB PNG, both on local disk.
 *
 *   npx tsx bench/creative-assets.ts                              # the embedded PostgreSQL (memory)
 *   PG_URL=postgres://… npx tsx bench/creative-assets.ts     # PostgreSQL
 *
 * Options: --duration 10 --warmup 2 --connections 10 --profile (the server's CPU profile of the
 * whole run, summarized by self time).
 */
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const profileDir = args.profile ? mkdtempSync(join(tmpdir(), 'creative-assets-prof-')) : undefined;

const pgUrl = process.env.PG_URL ?? process.env.TEST_DATABASE_URL;
const child = spawn(
  process.execPath,
  [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    '--import',
    'tsx',
    'bench/creative-assets-serve.ts',
  ],
  {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(pgUrl && { PG_URL: pgUrl }) },
  },
);
const exited = new Promise((resolve) => child.once('exit', resolve));

interface Row {
  name: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  mbPerSec: number;
}

try {
  const server = await new Promise<{
    base: string;
    database: string;
    small: { path: string; size: number };
    large: { path: string; size: number };
  }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  const measure = async (name: string, path: string): Promise<Row> => {
    const opts = { url: `${server.base}${path}`, connections };
    await autocannon({ ...opts, duration: warmup });
    const r = await autocannon({ ...opts, duration });
    return {
      name,
      requestsPerSec: r.requests.mean,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      non2xx: r.non2xx,
      mbPerSec: r.throughput.mean / 1e6,
    };
  };
  const health = await measure('(a) /health', '/health');
  const small = await measure(`(b) signed link, ${server.small.size} B PNG`, server.small.path);
  const large = await measure(`(c) signed link, ${server.large.size} B PNG`, server.large.path);
  const rows = [health, small, large];
  console.log('| target | req/s | p50 (ms) | p99 (ms) | MB/s | non-2xx | ratio to (a) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.requestsPerSec.toFixed(0)} | ${r.p50Ms} | ${r.p99Ms} | ${r.mbPerSec.toFixed(1)} | ${r.non2xx} | ${(r.requestsPerSec / health.requestsPerSec).toFixed(2)} |`,
    );
  }
  console.log(`(${server.database}, ${connections} connections, ${duration} s each)`);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  writeFileSync(
    `${dir}creative-assets-${date.replace(/[:.]/g, '-')}.json`,
    JSON.stringify({ date, database: server.database, connections, duration, rows }, null, 2),
  );
} finally {
  child.kill('SIGTERM');
  await exited;
}

if (profileDir) summarizeProfile(profileDir);

/** The functions with the most self time in the server's CPU profile (all three runs). */
function summarizeProfile(dir: string) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return console.log(`no profile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: Array<{
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }>;
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const where = frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
    const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  console.log(`\nserver profile (${join(dir, file)}), top self time of ${total} samples:`);
  for (const [key, n] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
}
