import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { builtCustomer, startBuiltServer } from './built-server.js';
import { connect, getProductsCall, startSellers, storefrontOver } from './storefront-sides.js';

/**
 * Storefront get_products in machine instructions per call (issue 30): the figure that does not
 * move with the machine's load, so two builds or two ideas can be told apart on a busy machine,
 * where calls/s and CPU time per call scatter by tens of per cent. Three processes are each run
 * under valgrind's callgrind with instrumentation off, warmed up, then counted over the same
 * number of calls:
 *
 *  - Interchange (the built server, production mode; its embedded PostgreSQL is not counted),
 *    a storefront over N demo sellers, called by this process with the official MCP client;
 *  - the SDK floor (bench/mcp-proxy-floor-serve.ts): the same call through a proxy that is only
 *    the official MCP server and client, called the same way;
 *  - the buyer's own fan-out (bench/mcp-fanout-client.ts): the official client asking the N
 *    sellers itself, which is what the issue compares the storefront with.
 *
 * The sellers run normally and are not counted. Figures: instructions per call (valgrind's Ir)
 * of each, and their ratios. Instructions are not time (a cache miss or a system call costs
 * more than its count says), so confirm a change found here with bench/storefront-fanout.ts.
 *
 *   npm run build && npx tsx bench/storefront-instructions.ts --sources 1 --products 30
 *   npx tsx bench/storefront-instructions.ts --checkout ../main --checkout .   # two builds
 *
 * Options: --sources 1 --products 30 (a multiple of 30) --calls 200 --warmup 2500 (calls before
 * counting: at 400 the servers' JIT was still compiling, and a 1 × 30 call counted 17.8 M
 * instructions against 10.3 M once settled; bench/README.md)
 * --checkout . (repeat for several builds) --no-storefront --no-floor --no-direct
 * --node-args "<node options>" ("--single-threaded --predictable": V8's deterministic mode, no
 * concurrent compilation or GC, counts within 1% run to run; the default modes scatter by ~10%).
 * FLOOR_CANNED=1 (bench/mcp-proxy-floor-serve.ts) passes through to the floor. --floors mcp,adcp
 * counts the AdCP SDK floor too (the same proxy with @adcp/sdk's server).
 */
const { values: args } = parseArgs({
  options: {
    sources: { type: 'string', default: '1' },
    products: { type: 'string', default: '30' },
    calls: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '2500' },
    checkout: { type: 'string', multiple: true, default: ['.'] },
    storefront: { type: 'boolean', default: true },
    floor: { type: 'boolean', default: true },
    // Which floors (bench/mcp-proxy-floor-serve.ts FLOOR_SERVER): mcp (the bare MCP server's),
    // adcp (@adcp/sdk's), or both.
    floors: { type: 'string', default: 'mcp' },
    direct: { type: 'boolean', default: true },
    // Node options for every counted process, e.g. "--single-threaded --predictable" for V8's
    // deterministic mode (no concurrent compilation or GC): closer counts run to run.
    'node-args': { type: 'string', default: '' },
  },
  allowNegative: true,
});
const sources = Number(args.sources);
const perSource = Number(args.products);
const calls = Number(args.calls);
const nodeArgs = args['node-args'].split(' ').filter(Boolean);
const warmup = Number(args.warmup);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const outDir = mkdtempSync(join(tmpdir(), 'ix-callgrind-'));
const callgrind = (label: string) => [
  'valgrind',
  '--tool=callgrind',
  '--instr-atstart=no',
  '--dump-instr=no',
  '--separate-threads=yes',
  `--callgrind-out-file=${join(outDir, `${label}.%p`)}`,
];

/**
 * Runs `work` with the process's counting on, from zero, and answers the instructions it ran:
 * on its main thread (the event loop, where a request's JavaScript runs) and on all its threads
 * (with V8's background compilers and garbage collection helpers, whose share depends on timing).
 * Counts a process once.
 */
async function counted(
  pid: number,
  label: string,
  work: () => Promise<void>,
  host?: string,
): Promise<{ main: number; all: number }> {
  // vgdb finds the process by files named with its HOST variable: the server's is set.
  const env = { ...process.env, HOST: host };
  if (!host) delete env.HOST;
  const control = (...flags: string[]) =>
    execFileSync('callgrind_control', [...flags, String(pid)], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
  control('--zero');
  control('--instr=on');
  await work();
  control('--instr=off');
  // One file per thread and dump: `<label>.<pid>.<dump>-<thread>`.
  const dumpsOf = () => readdirSync(outDir).filter((f) => f.startsWith(`${label}.${pid}.1-`));
  control('--dump');
  // The dump is written by the process itself, soon after the command is taken.
  for (let waited = 0; dumpsOf().length === 0; waited += 100) {
    if (waited > 30_000) throw new Error(`${label}: no dump written`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  let main = 0;
  let all = 0;
  for (const file of dumpsOf()) {
    const total = Number(/^totals: (\d+)/m.exec(readFileSync(join(outDir, file), 'utf8'))?.[1]);
    all += total;
    if (file.endsWith('-01')) main = total;
  }
  return { main, all };
}

function started(
  command: string[],
  label: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, NODE_ENV: 'production', HOST: undefined, ...env },
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, line }));
  });
}

/** Warms a server up with `warmup` calls, then counts `calls` calls of this process's client. */
async function countServer(
  pid: number,
  label: string,
  client: Client,
  host?: string,
): Promise<{ main: number; all: number }> {
  const expected = sources * perSource;
  const one = async () => {
    const result = await client.callTool(getProductsCall);
    const n = (result.structuredContent as { products?: unknown[] } | undefined)?.products?.length;
    if (n !== expected) throw new Error(`${label}: ${n} products, not ${expected}`);
  };
  for (let i = 0; i < warmup; i++) await one();
  return counted(
    pid,
    label,
    async () => {
      for (let i = 0; i < calls; i++) await one();
    },
    host,
  );
}

const sellers = await startSellers(sources, perSource);
const sellerUrls = sellers.urls;
const load0 = loadavg()[0]!;
const rows: Array<{ side: string; main: number; all: number }> = [];
/** Records a side's counts per call and says them. */
function record(side: string, counts: { main: number; all: number }) {
  const row = { side, main: counts.main / calls, all: counts.all / calls };
  rows.push(row);
  log(
    `${side}: ${(row.main / 1e6).toFixed(2)} M instructions a call (${(row.all / 1e6).toFixed(2)} M, all threads)`,
  );
}
try {
  for (const checkout of args.storefront ? args.checkout : []) {
    log(`Interchange (${checkout}) under callgrind: starting`);
    const server = await startBuiltServer(checkout, nodeArgs, {}, callgrind('interchange'));
    try {
      const agent = await storefrontOver(server, sellerUrls, 'Instructions seller');
      const buyer = await builtCustomer(server, 'BUYER', 'Instructions buyer');
      const client = await connect(agent, { authorization: `Bearer ${buyer.key}` });
      record(
        `storefront (${checkout})`,
        await countServer(server.child.pid!, 'interchange', client, '127.0.0.1'),
      );
      await client.close();
    } finally {
      server.stop();
    }
  }
  for (const kind of args.floor ? args.floors.split(',') : []) {
    const floor = await started(
      [
        ...callgrind(`floor-${kind}`),
        process.execPath,
        ...nodeArgs,
        '--import',
        'tsx',
        'bench/mcp-proxy-floor-serve.ts',
        ...sellerUrls,
      ],
      'floor proxy',
      { FLOOR_SERVER: kind },
    );
    try {
      const client = await connect((JSON.parse(floor.line) as { url: string }).url);
      const side = kind === 'adcp' ? 'AdCP SDK floor (proxy)' : 'SDK floor (proxy)';
      record(side, await countServer(floor.child.pid!, `floor-${kind}`, client));
      await client.close();
    } finally {
      floor.child.kill('SIGTERM');
    }
  }
  if (args.direct) {
    const direct = await started(
      [
        ...callgrind('direct'),
        process.execPath,
        ...nodeArgs,
        '--import',
        'tsx',
        'bench/mcp-fanout-client.ts',
        ...sellerUrls,
      ],
      'fan-out client',
    );
    try {
      const lines = createInterface({ input: direct.child.stdout! });
      const run = (n: number) =>
        new Promise<void>((resolve, reject) => {
          lines.once('line', (line) => {
            const products = Number(/^ok (\d+)$/.exec(line)?.[1]);
            if (products === sources * perSource) resolve();
            else reject(new Error(`fan-out client: ${line}`));
          });
          direct.child.stdin!.write(`run ${n}\n`);
        });
      await run(warmup);
      record(
        "buyer's own fan-out (client)",
        await counted(direct.child.pid!, 'direct', () => run(calls)),
      );
    } finally {
      direct.child.stdin!.end();
      direct.child.kill('SIGTERM');
    }
  }
} finally {
  sellers.child.kill('SIGTERM');
}
const floor = rows.find((r) => r.side.startsWith('SDK floor'));
const direct = rows.find((r) => r.side.startsWith("buyer's"));
const ratio = (x: number, base: number | undefined) => (base ? (x / base).toFixed(2) : '');
const m = (x: number) => (x / 1e6).toFixed(2);
console.log(
  [
    `storefront get_products in instructions per call, ${sources} × ${perSource}, ${calls} calls after ${warmup}, ${new Date().toISOString()}, load ${load0.toFixed(1)}-${loadavg()[0]!.toFixed(1)}`,
    '',
    '| process | M instructions / call, main thread | ÷ SDK floor | ÷ fan-out client | all threads | ÷ SDK floor | ÷ fan-out client |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) =>
      [
        '',
        r.side,
        m(r.main),
        ratio(r.main, floor?.main),
        ratio(r.main, direct?.main),
        m(r.all),
        ratio(r.all, floor?.all),
        ratio(r.all, direct?.all),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ].join('\n'),
);
