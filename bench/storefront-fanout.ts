import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type BuiltServer, builtCustomer, startBuiltServer } from './built-server.js';
import {
  connect,
  type FloorKind,
  floorLabels,
  productsOf,
  startFloor,
  startSellers,
  storefrontOver,
} from './storefront-sides.js';
import { cpuMsOf, descendantsCpu, descendantsCpuBetween, quantile } from './process-cpu.js';

/**
 * Storefront get_products against what a buyer would do without us (issue 30): in one run, in
 * alternated rounds, (a) the official MCP client fanning out get_products to N demo sellers
 * itself and concatenating the products, and (b) the same client calling get_products once on a
 * storefront agent over the same N sellers. Interchange is the built server (`npm run build`)
 * in production mode on the embedded PostgreSQL; the sellers are one light process; the client
 * is this process. Per case and connection count: calls/s, p50/p99 and CPU per call of the
 * server's node process, its PostgreSQL, the sellers and the client, medians over the rounds.
 *
 *   npm run build && NODE_ENV=production npx tsx bench/storefront-fanout.ts
 *
 * Options: --cases 1x30,3x30,10x30,30x30,3x300,3x3000 (sources × products each)
 * --connections 1,8 --rounds 5 --seconds 3 (a measured side of a round) --warmup 10 (seconds per side
 * before measuring: the servers' JIT compiles for the first seconds, see bench/README.md)
 * --checkout . (the built tree to serve; repeat it to compare builds: each gets its storefront
 * over the same sellers, and every round drives the fan-out and each storefront in turn)
 * --profile <dir> (the servers' --cpu-prof there), --node-args=<node options> (the servers',
 * e.g. --node-args=--perf-basic-prof for `perf record`). --no-floor leaves out the two-hop
 * floor: the same call through a proxy that is only the official MCP server and client
 * (bench/mcp-proxy-floor-serve.ts), driven in the same rounds; storefront rows then also give
 * their calls/s and node CPU against it. --floors mcp,adcp runs two such proxies: the bare MCP
 * server's (the SDK floor) and @adcp/sdk's (the AdCP SDK floor), each a side of its own.
 */
const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '1x30,3x30,10x30,30x30,3x300,3x3000' },
    connections: { type: 'string', default: '1,8' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '10' },
    // Repeat to serve several built trees side by side (e.g. main's and this branch's).
    checkout: { type: 'string', multiple: true, default: ['.'] },
    profile: { type: 'string' },
    // More Node options for the servers, e.g. "--perf-basic-prof" for `perf record`.
    'node-args': { type: 'string', default: '' },
    // The SDK-only proxy (bench/mcp-proxy-floor-serve.ts) as another side: the two-hop floor.
    floor: { type: 'boolean', default: true },
    // Which floors (bench/mcp-proxy-floor-serve.ts FLOOR_SERVER): mcp (the bare MCP server's),
    // adcp (@adcp/sdk's), or both, in that order.
    floors: { type: 'string', default: 'mcp' },
  },
  allowNegative: true,
});
const cases = args.cases.split(',').map((c) => c.split('x').map(Number) as [number, number]);
const connectionCounts = args.connections.split(',').map(Number);
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const log = (line: string) => process.stderr.write(`${line}\n`);

const floorKinds = args.floor
  ? args.floors.split(',').map((kind): FloorKind => {
      if (kind !== 'mcp' && kind !== 'adcp') throw new Error(`--floors: ${kind}?`);
      return kind;
    })
  : [];

/** One buyer's call: the storefront's answer, or the N sellers' answers merged. */
type Call = () => Promise<number>;

interface Side {
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerCall: { server: number; postgres: number; sellers: number; client: number };
}

async function drive(workers: Call[], ms: number, pids: { server: number; sellers: number }) {
  const latencies: number[] = [];
  const cpu0 = { server: cpuMsOf(pids.server)!, sellers: cpuMsOf(pids.sellers)! };
  const pg0 = descendantsCpu(pids.server);
  const client0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    workers.map(async (call) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - started;
  const client = process.cpuUsage(client0);
  const n = latencies.length;
  return {
    callsPerSec: (n * 1000) / elapsed,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuMsPerCall: {
      server: (cpuMsOf(pids.server)! - cpu0.server) / n,
      postgres: descendantsCpuBetween(pg0, descendantsCpu(pids.server)) / n,
      sellers: (cpuMsOf(pids.sellers)! - cpu0.sellers) / n,
      client: (client.user + client.system) / 1000 / n,
    },
  } satisfies Side;
}

const median = (xs: number[]) => quantile(xs, 0.5);
const fixed = (x: number, d = 1) => x.toFixed(d);

const spawnedAt = performance.now();
const servers: BuiltServer[] = [];
for (const checkout of args.checkout) {
  servers.push(
    await startBuiltServer(checkout, [
      ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : []),
      ...args['node-args'].split(' ').filter(Boolean),
    ]),
  );
}
const label = (i: number) => (servers.length > 1 ? ` (${args.checkout[i]})` : '');

const results: unknown[] = [];
const rows: string[] = [];
try {
  const buyers = await Promise.all(servers.map((s) => builtCustomer(s, 'BUYER', 'Fanout buyer')));
  for (const [count, perSource] of cases) {
    const sellers = await startSellers(count, perSource);
    const floors = await Promise.all(floorKinds.map((kind) => startFloor(sellers.urls, kind)));
    try {
      const agentUrls: string[] = [];
      for (const server of servers) {
        agentUrls.push(await storefrontOver(server, sellers.urls, `Seller ${count}x${perSource}`));
      }
      for (const connections of connectionCounts) {
        const opened: Client[] = [];
        // Side 0: the buyer's own fan-out; side 1 + i: the storefront on servers[i]; then the
        // floors (--floors), the SDK-only proxies.
        const sides: Call[][] = [[], ...servers.map((): Call[] => []), ...floors.map(() => [])];
        const firstFloor = 1 + servers.length;
        const floorOf = (side: number) => (side >= firstFloor ? side - firstFloor : -1);
        for (let c = 0; c < connections; c++) {
          const clients = await Promise.all(sellers.urls.map((url) => connect(url)));
          opened.push(...clients);
          sides[0]!.push(async () => (await Promise.all(clients.map(productsOf))).flat().length);
          for (const [i, url] of agentUrls.entries()) {
            const client = await connect(url, { authorization: `Bearer ${buyers[i]!.key}` });
            opened.push(client);
            sides[1 + i]!.push(async () => (await productsOf(client)).length);
          }
          for (const [f, floor] of floors.entries()) {
            const client = await connect(floor.url);
            opened.push(client);
            sides[firstFloor + f]!.push(async () => (await productsOf(client)).length);
          }
        }
        for (const side of sides) {
          const n = await side[0]!();
          if (n !== count * perSource) throw new Error(`products: ${n}, not ${count * perSource}`);
        }
        const pidsOf = (side: number) => ({
          server:
            floorOf(side) >= 0
              ? floors[floorOf(side)]!.child.pid!
              : servers[Math.max(0, side - 1)]!.child.pid!,
          sellers: sellers.child.pid!,
        });
        for (const [i, side] of sides.entries()) await drive(side, warmup * 1000, pidsOf(i));
        const load0 = loadavg()[0]!;
        // For bench/cpu-profile-summary.ts --since: the servers' start and set-up come before.
        const at = ((performance.now() - spawnedAt) / 1000).toFixed(1);
        log(`${count} × ${perSource}, ${connections} conns: measuring from ${at} s`);
        const perRound: Side[][] = [];
        for (let r = 0; r < rounds; r++) {
          // Each round starts with another side, so every side sees starts and ends alike.
          const round: Side[] = [];
          for (let k = 0; k < sides.length; k++) {
            const i = (r + k) % sides.length;
            round[i] = await drive(sides[i]!, seconds * 1000, pidsOf(i));
          }
          perRound.push(round);
        }
        const load1 = loadavg()[0]!;
        await Promise.all(opened.map((client) => client.close()));
        const m = (i: number, f: (x: Side) => number) => median(perRound.map((p) => f(p[i]!)));
        for (let i = 1; i < sides.length; i++) {
          const ratio = median(perRound.map((p) => p[i]!.callsPerSec / p[0]!.callsPerSec));
          // Against each two-hop floor: calls/s, and node CPU per call (storefront rows only).
          const vsFloors = floors.flatMap((_, f) =>
            [(x: Side) => x.callsPerSec, (x: Side) => x.cpuMsPerCall.server].map((of) =>
              floorOf(i) < 0
                ? fixed(median(perRound.map((p) => of(p[i]!) / of(p[firstFloor + f]!))), 2)
                : '',
            ),
          );
          const cpuRatio = median(
            perRound.map((p) => p[i]!.cpuMsPerCall.server / p[0]!.cpuMsPerCall.client),
          );
          const p50Ratio = median(perRound.map((p) => p[i]!.p50Ms / p[0]!.p50Ms));
          results.push({
            case: `${count} × ${perSource}`,
            connections,
            checkout: args.checkout[i - 1],
            side: floorOf(i) >= 0 ? `floor ${floorKinds[floorOf(i)]}` : 'storefront',
            rounds: perRound.map((p) => ({
              direct: p[0],
              storefront: p[i],
              floors: Object.fromEntries(floorKinds.map((kind, f) => [kind, p[firstFloor + f]])),
            })),
            load: [load0, load1],
            ratio,
            cpuRatio,
            p50Ratio,
          });
          const row = [
            `${count} × ${perSource}${floorOf(i) >= 0 ? ` ${floorLabels[floorKinds[floorOf(i)]!]}` : label(i - 1)}`,
            connections,
            fixed(m(i, (x) => x.callsPerSec)),
            fixed(m(0, (x) => x.callsPerSec)),
            `**${fixed(ratio, 2)}**`,
            `${fixed(m(i, (x) => x.p50Ms))} / ${fixed(m(i, (x) => x.p99Ms))}`,
            `${fixed(m(0, (x) => x.p50Ms))} / ${fixed(m(0, (x) => x.p99Ms))}`,
            fixed(p50Ratio, 2),
            fixed(
              m(i, (x) => x.cpuMsPerCall.server),
              2,
            ),
            fixed(
              m(i, (x) => x.cpuMsPerCall.postgres),
              2,
            ),
            fixed(
              m(0, (x) => x.cpuMsPerCall.client),
              2,
            ),
            fixed(cpuRatio, 2),
            fixed(
              m(i, (x) => x.cpuMsPerCall.client),
              2,
            ),
            `${fixed(
              m(i, (x) => x.cpuMsPerCall.sellers),
              2,
            )} / ${fixed(
              m(0, (x) => x.cpuMsPerCall.sellers),
              2,
            )}`,
            ...vsFloors,
            `${fixed(load0)}-${fixed(load1)}`,
          ].join(' | ');
          rows.push(`| ${row} |`);
          log(`| ${row} |`);
        }
      }
    } finally {
      sellers.child.kill('SIGTERM');
      for (const floor of floors) floor.child.kill('SIGTERM');
    }
  }
} finally {
  for (const server of servers) server.stop();
}
console.log(
  [
    `storefront get_products vs the buyer's own fan-out, ${new Date().toISOString()}, ${rounds} rounds × ${seconds} s a side`,
    '',
    `| case | conns | storefront calls/s | fan-out calls/s | ratio | storefront p50 / p99 ms | fan-out p50 / p99 ms | p50 ratio | Interchange node CPU ms/call | its PostgreSQL | fan-out client CPU ms/call | CPU ratio | storefront client CPU | sellers CPU (sf / fan-out) | ${floorKinds.map((kind) => `calls/s ÷ ${floorLabels[kind]} | node CPU ÷ ${floorLabels[kind]} | `).join('')}load |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ${floorKinds.map(() => '---: | ---: | ').join('')}---: |`,
    ...rows,
  ].join('\n'),
);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(
  `${dir}storefront-fanout-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  JSON.stringify(results, null, 2),
);
