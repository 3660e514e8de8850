import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { builtCustomer, startBuiltServer, type BuiltServer } from './built-server.js';
import { cpuMsOf, descendantsCpu, descendantsCpuBetween } from './process-cpu.js';

/**
 * What refusing bad input costs the server (issue 46 item 5: an attacker's garbage should cost
 * no more than a good request), against an ordinary read in the same run. Each kind of request
 * is sent one at a time for a window to the built server of each checkout, checkouts alternated
 * round by round; the figure is the server process's CPU per request (and its PostgreSQL's,
 * from /proc). The kinds, each to `PUT /api/v2/storefront` with a seller's key unless named:
 *
 * - `read`: `GET /api/v2/storefront`, the baseline;
 * - `nul`: a name with a NUL (refused by the validator, 400);
 * - `1 MB text`: a megabyte of text ending in a NUL (parsed, then refused, 400);
 * - `deep 100k`, `deep 1 MB`: a name nested 100,000 and 500,000 levels deep (400), as
 *   test/security/fuzz.test.ts sends to every body field.
 *
 *   npm run build && npx tsx bench/hostile-input.ts [--checkout ../before --checkout .]
 *     [--rounds 3] [--seconds 3]
 */
const args = parseArgs({
  options: {
    checkout: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
  },
}).values;
const checkouts = (args.checkout ?? ['.']).map((c) => resolve(c));
const windowMs = Number(args.seconds) * 1000;

const nested = (levels: number) => `{"name":${'['.repeat(levels)}${']'.repeat(levels)}}`;
const kinds: { name: string; method: string; body?: string; status: number }[] = [
  { name: 'read', method: 'GET', status: 200 },
  { name: 'nul', method: 'PUT', body: JSON.stringify({ name: 'a\u0000b' }), status: 400 },
  {
    name: '1 MB text',
    method: 'PUT',
    body: JSON.stringify({ name: `${'x'.repeat(999_000)}\u0000` }),
    status: 400,
  },
  { name: 'deep 100k', method: 'PUT', body: nested(100_000), status: 400 },
  { name: 'deep 1 MB', method: 'PUT', body: nested(500_000), status: 400 },
];

interface Running {
  checkout: string;
  server: BuiltServer;
  key: string;
}

/** Sends one kind for the window, one request at a time; CPU per request of node and PostgreSQL. */
async function window(run: Running, kind: (typeof kinds)[number]) {
  const pid = run.server.child.pid!;
  const pgBefore = descendantsCpu(pid);
  const cpuBefore = cpuMsOf(pid)!;
  const started = performance.now();
  let calls = 0;
  while (performance.now() - started < windowMs) {
    const res = await fetch(`${run.server.url}/api/v2/storefront`, {
      method: kind.method,
      headers: { authorization: `Bearer ${run.key}`, 'content-type': 'application/json' },
      ...(kind.body !== undefined && { body: kind.body }),
    });
    await res.arrayBuffer();
    if (res.status !== kind.status) throw new Error(`${kind.name}: answered ${res.status}`);
    calls++;
  }
  const wallMs = performance.now() - started;
  return {
    calls,
    perSecond: (calls * 1000) / wallMs,
    nodeMs: (cpuMsOf(pid)! - cpuBefore) / calls,
    pgMs: descendantsCpuBetween(pgBefore, descendantsCpu(pid)) / calls,
  };
}

const runs: Running[] = [];
for (const checkout of checkouts) {
  const server = await startBuiltServer(checkout);
  const { key } = await builtCustomer(server, 'SELLER', 'Hostile input seller');
  runs.push({ checkout, server, key });
}
type Figure = Awaited<ReturnType<typeof window>>;
const figures = new Map<string, Figure[]>();
try {
  for (const run of runs) for (const kind of kinds) await window(run, kind); // warm-up
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const run of round % 2 ? runs : [...runs].reverse()) {
      for (const kind of kinds) {
        const f = await window(run, kind);
        const at = `${run.checkout}\u0000${kind.name}`;
        figures.set(at, [...(figures.get(at) ?? []), f]);
        console.log(
          `round ${round} ${run.checkout} ${kind.name}: ${f.calls} calls, node ${f.nodeMs.toFixed(2)} ms, PostgreSQL ${f.pgMs.toFixed(2)} ms a call`,
        );
      }
    }
  }
} finally {
  for (const run of runs) run.server.stop();
}

// All rounds' calls and CPU together, per checkout and kind; the ratio is to the same
// checkout's read.
const sum = (fs: Figure[], pick: (f: Figure) => number) =>
  fs.reduce((s, f) => s + pick(f) * f.calls, 0) / fs.reduce((s, f) => s + f.calls, 0);
console.log(
  '\n| checkout | request | calls/s | node CPU ms/call | PostgreSQL CPU ms/call | ÷ read |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const run of runs) {
  const of = (name: string) => figures.get(`${run.checkout}\u0000${name}`)!;
  const read = sum(of('read'), (f) => f.nodeMs);
  for (const kind of kinds) {
    const fs = of(kind.name);
    const node = sum(fs, (f) => f.nodeMs);
    console.log(
      `| ${run.checkout} | ${kind.name} | ${sum(fs, (f) => f.perSecond).toFixed(0)} | ${node.toFixed(2)} | ${sum(fs, (f) => f.pgMs).toFixed(2)} | ${(node / read).toFixed(1)} |`,
    );
  }
}
