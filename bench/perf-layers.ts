import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { builtCustomer, startBuiltServer } from './built-server.js';
import { cpuMsOf } from './process-cpu.js';
import {
  connect,
  type FloorKind,
  productsOf,
  startFloor,
  startSellers,
  storefrontOver,
} from './storefront-sides.js';

/**
 * Where a storefront get_products call's CPU goes, by layer, against the floors (issue 30):
 * `perf record` of each side's process (the built server, or a floor proxy) while one client
 * calls it, JIT frames named by V8's --perf-basic-prof map. Each sample is given to the
 * innermost JavaScript frame on its stack (a builtin, the runtime or the kernel working for it
 * count as that frame's), and the frame to its layer: an npm package, a part of Node, or a
 * folder of Interchange's `dist/`; samples with no JavaScript frame are GC, kernel or native,
 * and other threads' are apart. Figures are ms of CPU per call: a layer's share of the samples
 * times the process's CPU per call over the recording (perf's own cost included, the same for
 * every side).
 *
 *   npm run build && npx tsx bench/perf-layers.ts --sides storefront,floor-adcp
 *   npx tsx bench/perf-layers.ts --sides storefront --by ours      # our frames, with their callees
 *
 * Options: --sides storefront,floor-mcp,floor-adcp --sources 1 --products 30 --warmup 30 (seconds
 * before recording: the JIT settles) --seconds 20 --rows 40 --checkout . --by layer|function|ours
 * ("ours": the innermost frame of Interchange's on the stack, inclusive of the synchronous work
 * it called; samples without one are left out) --data storefront=/tmp/x.data@5.1 (attribute
 * recordings again, printed as they are made, without recording). Needs `perf`.
 * Sampled attribution moves with inlining: compare layers, not single functions. A few frames
 * carry the name of code that ran at start-up (a module's body, `index.js:1:1`): V8 reused its
 * address and the perf map keeps the first name; they are a few hundredths of a ms a call.
 */
const { values: args } = parseArgs({
  options: {
    sides: { type: 'string', default: 'storefront,floor-adcp' },
    sources: { type: 'string', default: '1' },
    products: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '20' },
    rows: { type: 'string', default: '40' },
    checkout: { type: 'string', default: '.' },
    by: { type: 'string', default: 'layer' },
    // Attribute earlier recordings instead of recording: label=file@msPerCall (repeat).
    data: { type: 'string', multiple: true, default: [] },
  },
});
type Side = 'storefront' | `floor-${FloorKind}`;
const sides = args.sides.split(',') as Side[];
const by = args.by as 'layer' | 'function' | 'ours';
const log = (line: string) => process.stderr.write(`${line}\n`);
const perfNodeArgs = ['--perf-basic-prof', '--interpreted-frames-native-stack'];
let outDir: string | undefined;

const gcLeaf = /Scaveng|MarkCompact|Marking|Sweep|Heap::|GCTracer|Evacuat/;
const isOurs = (frame: string) =>
  !frame.includes('node_modules') && /\/(dist|src|bench)\//.test(frame);

/** The layer of a JIT frame's name (`JS:*fn file:///…/x.js:1:2`). */
function layerOf(frame: string): string {
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame);
  if (npm) return `npm ${npm[1]}`;
  const node = /node:(?:internal\/)?([\w]+)(?:\/([\w]+))?/.exec(frame);
  if (node) return node[1] === 'deps' ? `node deps/${node[2]}` : `node ${node[1]}`;
  const mine = /\/(?:dist|src)\/([\w-]+)(?:\/([\w-]+))?/.exec(frame);
  if (mine) return `Interchange ${mine[1]}${mine[2] ? `/${mine[2]}` : ''}`;
  // The floor proxy's own code (bench/mcp-proxy-floor-serve.ts).
  const bench = /\/bench\/([\w-]+)\./.exec(frame);
  if (bench) return `bench ${bench[1]}`;
  return 'JS without a file (generated code)';
}

const shortName = (frame: string) =>
  frame
    .replace(/^JS:[*^~+]?/, '')
    .replace(/file:\/\//, '')
    .replace(/\S*node_modules\//, '')
    .replace(/\S*\/(dist|src|bench)\//, '$1/');

/** Samples of a perf recording, each given to one key; answers the shares. */
async function attribute(data: string): Promise<Map<string, number>> {
  const script = spawn('perf', ['script', '-i', data, '-F', 'pid,tid,ip,sym'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const counts = new Map<string, number>();
  let total = 0;
  let frames: string[] = [];
  let mainThread = true;
  const settle = () => {
    if (frames.length === 0) return;
    total++;
    let key: string | undefined;
    if (!mainThread) key = '(other threads: GC helpers, compilers)';
    else if (by === 'ours') {
      const frame = frames.find((f) => f.startsWith('JS:') && isOurs(f));
      key = frame && shortName(frame);
    } else {
      const frame = frames.find((f) => f.startsWith('JS:'));
      if (frame) key = by === 'function' ? shortName(frame) : layerOf(frame);
      else if (gcLeaf.test(frames[0]!)) key = '(GC, no JavaScript frame)';
      else key = '(native or kernel, no JavaScript frame)';
    }
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    frames = [];
  };
  for await (const line of createInterface({ input: script.stdout })) {
    const head = /^\s*(\d+)\/(\d+)\s*$/.exec(line);
    if (head) {
      settle();
      mainThread = head[1] === head[2];
    } else if (line.trim()) frames.push(line.trim().replace(/^[0-9a-f]+\s+/, ''));
  }
  settle();
  const shares = new Map<string, number>();
  for (const [key, n] of counts) shares.set(key, n / total);
  return shares;
}

/** Drives `url` with one client: `warmup` s, then `seconds` s under perf; CPU ms per call. */
async function recorded(label: string, pid: number, url: string, headers = {}) {
  const client = await connect(url, headers);
  const expected = Number(args.sources) * Number(args.products);
  const call = async () => {
    const n = (await productsOf(client)).length;
    if (n !== expected) throw new Error(`${label}: ${n} products, not ${expected}`);
  };
  for (const until = Date.now() + Number(args.warmup) * 1000; Date.now() < until;) await call();
  outDir ??= mkdtempSync(join(tmpdir(), 'ix-perf-'));
  const data = join(outDir, `${label}.data`);
  const perf = spawn(
    'perf',
    ['record', '-F', '999', '-g', '-o', data, '-p', `${pid}`, '--', 'sleep', args.seconds],
    { stdio: 'ignore' },
  );
  const cpu0 = cpuMsOf(pid)!;
  let calls = 0;
  for (const until = Date.now() + Number(args.seconds) * 1000; Date.now() < until; calls++) {
    await call();
  }
  const msPerCall = (cpuMsOf(pid)! - cpu0) / calls;
  await new Promise((resolve) => perf.once('exit', resolve));
  await client.close();
  log(
    `${label}: ${calls} calls, ${msPerCall.toFixed(2)} ms of CPU a call (--data ${label}=${data}@${msPerCall.toFixed(3)})`,
  );
  return { label, msPerCall, shares: await attribute(data) };
}

const results: Array<Awaited<ReturnType<typeof recorded>>> = [];
for (const given of args.data) {
  const [, label, data, ms] = /^([^=]+)=(.+)@([\d.]+)$/.exec(given) ?? [];
  if (!label || !data || !ms) throw new Error(`--data ${given}: label=file@msPerCall?`);
  results.push({ label, msPerCall: Number(ms), shares: await attribute(data) });
}
if (args.data.length === 0) {
  const sellers = await startSellers(Number(args.sources), Number(args.products));
  try {
    for (const side of sides) {
      if (side === 'storefront') {
        const server = await startBuiltServer(args.checkout, perfNodeArgs);
        try {
          const agent = await storefrontOver(server, sellers.urls, 'Perf seller');
          const buyer = await builtCustomer(server, 'BUYER', 'Perf buyer');
          const headers = { authorization: `Bearer ${buyer.key}` };
          results.push(await recorded(side, server.child.pid!, agent, headers));
        } finally {
          server.stop();
        }
      } else {
        const floor = await startFloor(sellers.urls, side.slice(6) as FloorKind, perfNodeArgs);
        try {
          results.push(await recorded(side, floor.child.pid!, floor.url));
        } finally {
          floor.child.kill('SIGTERM');
        }
      }
    }
  } finally {
    sellers.child.kill('SIGTERM');
  }
}

const keys = [...new Set(results.flatMap((r) => [...r.shares.keys()]))];
const msOf = (r: (typeof results)[number], key: string) => (r.shares.get(key) ?? 0) * r.msPerCall;
const weight = (key: string) => Math.max(...results.map((r) => msOf(r, key)));
keys.sort((a, b) => weight(b) - weight(a));
const diff = results.length === 2;
console.log(
  [
    `CPU ms per call by ${by}, ${args.sources} × ${args.products}, one connection, ${new Date().toISOString()}`,
    '',
    `| ${by} | ${results.map((r) => r.label).join(' | ')}${diff ? ' | difference' : ''} |`,
    `| --- | ${results.map(() => '---:').join(' | ')}${diff ? ' | ---:' : ''} |`,
    `| whole process | ${results.map((r) => r.msPerCall.toFixed(3)).join(' | ')}${diff ? ` | ${(results[0]!.msPerCall - results[1]!.msPerCall).toFixed(3)}` : ''} |`,
    ...keys
      .slice(0, Number(args.rows))
      .map(
        (key) =>
          `| ${key} | ${results.map((r) => msOf(r, key).toFixed(3)).join(' | ')}${diff ? ` | ${(msOf(results[0]!, key) - msOf(results[1]!, key)).toFixed(3)}` : ''} |`,
      ),
  ].join('\n'),
);
