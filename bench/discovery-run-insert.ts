import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { discoveryRuns } from '../src/modules/discovery-runs/tables.js';
import { type NewDiscoveryRun, preparedRunInsert } from '../src/modules/discovery-runs/store.js';
import type { Db } from '../src/platform/db/database.js';
import { openTestDatabase } from '../test/harness.js';
import { descendantsCpu, descendantsCpuBetween, quantile } from './process-cpu.js';

/**
 * What recording one discovery run costs (issue 30), isolated from the rest of get_products so
 * a small difference shows on a loaded machine: CPU time is counted only while a process runs,
 * where calls/s follow everyone else's load. In one process on the embedded PostgreSQL,
 * alternated rounds of three variants, each inserting runs of `--products` ids in batches of
 * `--batch`:
 * - main: drizzle's multi-row VALUES insert, product ids compressed (STORAGE EXTENDED);
 * - uncompressed: the same insert, product ids STORAGE EXTERNAL (migration 0075);
 * - prepared: the prepared jsonb_to_recordset insert (store.preparedRunInsert), EXTERNAL.
 * Node CPU and PostgreSQL CPU (every process of the cluster) per run, medians over the rounds.
 *
 *   npx tsx bench/discovery-run-insert.ts --products 9000,90 --batch 1,4 --rounds 5 --runs 60
 */
const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '9000,90' },
    batch: { type: 'string', default: '1,4' },
    rounds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '60' },
  },
});

const { database, drop } = await openTestDatabase();
const db: Db = database.db;
const prepared = preparedRunInsert(db);
const storage = (mode: 'EXTENDED' | 'EXTERNAL') =>
  database.queryable.query(
    `alter table discovery_runs alter column product_ids set storage ${mode}`,
  );
const variants = {
  main: async (runs: NewDiscoveryRun[]) => {
    await db.insert(discoveryRuns).values(runs).returning({ id: discoveryRuns.id });
  },
  uncompressed: async (runs: NewDiscoveryRun[]) => {
    await db.insert(discoveryRuns).values(runs).returning({ id: discoveryRuns.id });
  },
  prepared: async (runs: NewDiscoveryRun[]) => {
    await prepared(runs);
  },
};
type Variant = keyof typeof variants;

function runOf(products: number, n: number): NewDiscoveryRun {
  return {
    storefrontId: 1,
    buyerCustomerId: 2,
    brandDomain: 'brand.example',
    buyingMode: 'wholesale',
    productIds: Array.from(
      { length: products },
      (_, i) => `seller-${(i % 3) + 1}__demo-${n}-${i}-display-standard`,
    ),
    packages: {},
    sourceOutcomes: [1, 2, 3].map((s) => ({
      sourceId: `seller-${s}`,
      ok: true,
      productCount: products / 3,
      latencyMs: 12,
    })),
    durationMs: 40,
    createdAt: new Date(),
  };
}

async function measure(variant: Variant, products: number, batch: number, runs: number) {
  await storage(variant === 'main' ? 'EXTENDED' : 'EXTERNAL');
  const batches = Array.from({ length: Math.ceil(runs / batch) }, (_, b) =>
    Array.from({ length: batch }, (_, i) => runOf(products, b * batch + i)),
  );
  const pg0 = descendantsCpu(process.pid);
  const node0 = process.cpuUsage();
  for (const runs of batches) await variants[variant](runs);
  const node = process.cpuUsage(node0);
  const written = batches.length * batch;
  return {
    nodeMsPerRun: (node.user + node.system) / 1000 / written,
    postgresMsPerRun: descendantsCpuBetween(pg0, descendantsCpu(process.pid)) / written,
  };
}

const rows: string[] = [];
try {
  for (const products of args.products.split(',').map(Number)) {
    for (const batch of args.batch.split(',').map(Number)) {
      const order = Object.keys(variants) as Variant[];
      for (const v of order) await measure(v, products, batch, batch * 2); // warm-up
      const load0 = loadavg()[0]!;
      const perRound: Array<Record<Variant, Awaited<ReturnType<typeof measure>>>> = [];
      for (let r = 0; r < Number(args.rounds); r++) {
        const round = {} as Record<Variant, Awaited<ReturnType<typeof measure>>>;
        for (let k = 0; k < order.length; k++) {
          const v = order[(r + k) % order.length]!;
          round[v] = await measure(v, products, batch, Number(args.runs));
        }
        perRound.push(round);
      }
      const load1 = loadavg()[0]!;
      const med = (f: (p: (typeof perRound)[number]) => number) =>
        quantile(perRound.map(f), 0.5).toFixed(2);
      for (const v of order) {
        const row = [
          `${products} ids, batch ${batch}`,
          v,
          med((p) => p[v].nodeMsPerRun),
          med((p) => p[v].postgresMsPerRun),
          med((p) => p[v].nodeMsPerRun + p[v].postgresMsPerRun),
          med(
            (p) =>
              (p[v].nodeMsPerRun + p[v].postgresMsPerRun) /
              (p.main.nodeMsPerRun + p.main.postgresMsPerRun),
          ),
          `${load0.toFixed(1)}-${load1.toFixed(1)}`,
        ];
        rows.push(`| ${row.join(' | ')} |`);
        process.stderr.write(`| ${row.join(' | ')} |\n`);
      }
    }
  }
} finally {
  await database.close();
  await drop();
}
console.log(
  [
    `discovery run insert, ${new Date().toISOString()}, ${args.rounds} rounds × ${args.runs} runs a variant`,
    '',
    '| case | variant | node CPU ms/run | PostgreSQL CPU ms/run | total | total ÷ main (per round, median) | load |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n'),
);
process.exit(0);
