import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { children, stopAll } from '../processes.js';
import { prepareRunner, removeRunner, pinVariable } from '../patches/runner-patch.js';
import { runStoryboard, type StoryboardResult } from '../runs.js';
import { startServer, type Server } from '../server.js';
import { buildServer, makeDataTemplate, type SharedServer } from '../shared-server.js';
import { pin31, runnerInvocation, spec31Dir } from '../spec31.js';
import { seedTestProduct } from '../targets.js';
import {
  pairKinds,
  startPair,
  type Boot,
  type Pair,
  type PairKind,
  type SourceRecord,
} from './pairs.js';

/**
 * The conformance matrix (issue 70 item 3): for each storefront-over-source pair (pairs.ts),
 * the AdCP 3.1.19 media-buy storyboards that apply, pinned 3.1 as the compliance run sends them
 * (or, with `--release 3.0.6`, the runner's bundled 3.0.6 ones, unpinned),
 * each followed by what reached the source by the source's own record (the SDK example seller's
 * mock platform: its `POST /v1/orders` and line items; the spreadsheet's ledger bookings; a linked
 * storefront's own buys; the fake Reddit's campaigns and ad groups; the fake Ad Manager's orders
 * and line items; the fake FreeWheel's insertion orders and placements; the fake SpringServe's
 * campaigns and demand tags) beside
 * what the storefront recorded, by the source its legs went to: the source, or its own sandbox
 * book (`~sandbox`, fixtures the storyboards seeded through comply_test_controller).
 *
 *   npx tsx scripts/compliance/matrix/main.ts [--pairs sdk-non-guaranteed,spreadsheet]
 *     [--storyboards media_buy_seller,idempotency] [--release 3.0.6] [--json f]
 *   (the JSON has each run's misses)
 *   npm run compliance -- --matrix
 *
 * One server per pair, the storyboards run one after the other on it (state carries over, as in
 * one assessment); the figures per storyboard are the differences before and after it. Not in CI
 * (about 15 minutes for the first three kinds, 3-4 minutes a kind after, on a loaded 2-core machine).
 */

const storyboardsOf: Record<PairKind, string[]> = {
  'sdk-non-guaranteed': [
    'media_buy_seller',
    'sales_non_guaranteed',
    'media_buy_state_machine',
    'idempotency',
  ],
  'sdk-guaranteed': [
    'media_buy_seller',
    'sales_guaranteed',
    'media_buy_state_machine',
    'idempotency',
  ],
  // The social seller takes no buys: its storyboard syncs audiences, catalogs, creatives and
  // event sources, and logs events (counted at its platform as writes by route).
  'sdk-social': ['sales_social'],
  // A spreadsheet's avails are guaranteed (its storefront declares sales-guaranteed).
  spreadsheet: ['media_buy_seller', 'sales_guaranteed', 'media_buy_state_machine', 'idempotency'],
  // The upstream sells its spreadsheet's guaranteed avails.
  'linked-storefront': [
    'media_buy_seller',
    'sales_guaranteed',
    'media_buy_state_machine',
    'idempotency',
  ],
  // Reddit sells auction (non-guaranteed) placements.
  'provider-reddit': [
    'media_buy_seller',
    'sales_non_guaranteed',
    'media_buy_state_machine',
    'idempotency',
  ],
  // An Ad Manager network's products are standard (guaranteed) line items.
  gam: ['media_buy_seller', 'sales_guaranteed', 'media_buy_state_machine', 'idempotency'],
  // FreeWheel's and SpringServe's products are guaranteed line items too (video).
  freewheel: ['media_buy_seller', 'sales_guaranteed', 'media_buy_state_machine', 'idempotency'],
  springserve: ['media_buy_seller', 'sales_guaranteed', 'media_buy_state_machine', 'idempotency'],
};

interface Row {
  pair: PairKind;
  storyboard: string;
  steps: string;
  /** Buys the storefront recorded, by where its legs went. */
  atSource: number;
  onSandboxBook: number;
  /** The source's own record: orders and line items it took during the storyboard. */
  sourceBuys: number;
  sourcePackages: number;
  /** A storefront source: of its legs, on its own sandbox book; an ad server: buys approved. */
  sourceNote: string;
  seconds: number;
  /** Steps failed or skipped, with the runner's message (the JSON report only). */
  misses: string[];
}

/** The 3.1.19 storyboard `id`, pinned 3.1 (spec31.ts's assessment, one storyboard of it). */
const invocation31 = (id: string) => ({
  positional: [id],
  env: { ...process.env, ADCP_COMPLIANCE_DIR: spec31Dir(), [pinVariable]: pin31 },
});

/** The releases the matrix runs: 3.1.19 pinned, or the runner's bundled 3.0.6 unpinned. */
const releases = ['3.1.19', '3.0.6'] as const;
type Release = (typeof releases)[number];
const invocationFor = (release: Release, id: string) =>
  release === '3.1.19' ? invocation31(id) : runnerInvocation(id);

/** The writes a platform took between two readings of its record, as `route n` pairs. */
const writesBetween = (a: SourceRecord, b: SourceRecord) =>
  Object.entries(a.writes ?? {})
    .map(([route, n]) => [route, n - (b.writes?.[route] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([route, n]) => `${route} ${n}`);

const minus = (a: SourceRecord, b: SourceRecord) => ({
  buys: a.buys - b.buys,
  packages: a.packages - b.packages,
  note: [
    a.onOwnBook !== undefined && `its ~sandbox ${a.onOwnBook - (b.onOwnBook ?? 0)}`,
    a.approved !== undefined && `approved ${a.approved - (b.approved ?? 0)}`,
    ...writesBetween(a, b),
  ]
    .filter(Boolean)
    .join(', '),
});

async function storefrontSplit(pair: Pair) {
  const counts = await pair.storefrontBuys();
  const onSandboxBook = counts['~sandbox'] ?? 0;
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return { atSource: total - onSandboxBook, onSandboxBook };
}

async function runPair(
  runner: string,
  shared: SharedServer,
  kind: PairKind,
  only: readonly string[] | undefined,
  release: Release,
): Promise<Row[]> {
  let server: Server | undefined;
  let pair: Pair | undefined;
  const rows: Row[] = [];
  const boot: Boot = async (env) => (server = await startServer(shared, env));
  try {
    pair = await startPair(kind, boot);
    // idempotency buys the literal test-product (compliance.ts seeds it the same way).
    const note = await seedTestProduct(pair.target, pair.target.url, true);
    process.stderr.write(`  ${kind}: ${note}\n`);
    for (const storyboard of storyboardsOf[kind].filter((id) => !only || only.includes(id))) {
      const [recordBefore, splitBefore] = [await pair.sourceRecord(), await storefrontSplit(pair)];
      const result: StoryboardResult = await runStoryboard(
        runner,
        storyboard,
        'mcp',
        pair.target,
        invocationFor(release, storyboard),
      );
      const record = minus(await pair.sourceRecord(), recordBefore);
      const split = await storefrontSplit(pair);
      const row: Row = {
        pair: kind,
        storyboard,
        steps: result.error
          ? `ERROR ${result.error.slice(0, 80)}`
          : `${result.passed}/${result.failed}/${result.skipped}`,
        atSource: split.atSource - splitBefore.atSource,
        onSandboxBook: split.onSandboxBook - splitBefore.onSandboxBook,
        sourceBuys: record.buys,
        sourcePackages: record.packages,
        sourceNote: record.note,
        seconds: Math.round(result.durationMs / 1000),
        misses: result.steps
          .filter((step) => step.status === 'failed' || step.status === 'skipped')
          .map((step) => `${step.status} ${step.scenario} > ${step.step}: ${step.message ?? ''}`),
      };
      process.stderr.write(`  ${JSON.stringify({ ...row, misses: row.misses.length })}\n`);
      rows.push(row);
    }
  } finally {
    await pair?.close().catch(() => undefined);
    await server?.stop();
  }
  return rows;
}

function printMatrix(rows: Row[], seconds: number, release: Release): void {
  const header = [
    'pair',
    `storyboard (${release})`,
    'steps p/f/s',
    'storefront: to source',
    'storefront: ~sandbox',
    'source: orders',
    'source: line items',
    'source: note',
  ];
  const body = rows.map((r) => [
    r.pair,
    r.storyboard,
    r.steps,
    String(r.atSource),
    String(r.onSandboxBook),
    String(r.sourceBuys),
    String(r.sourcePackages),
    r.sourceNote,
  ]);
  console.log(`\nConformance matrix, ${new Date().toISOString().slice(0, 10)}, ${seconds} s\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of body) console.log(`| ${row.join(' | ')} |`);
  const sum = (key: 'atSource' | 'onSandboxBook' | 'sourceBuys' | 'sourcePackages') =>
    String(rows.reduce((total, r) => total + r[key], 0));
  const totals = [sum('atSource'), sum('onSandboxBook'), sum('sourceBuys'), sum('sourcePackages')];
  console.log(`| all | | | ${totals.join(' | ')} | |`);
}

export async function matrixMain(argv: string[] = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pairs: { type: 'string' },
      storyboards: { type: 'string' },
      json: { type: 'string' },
      matrix: { type: 'boolean' },
      release: { type: 'string', default: '3.1.19' },
    },
  });
  const kinds = (values.pairs?.split(',') ?? [...pairKinds]) as PairKind[];
  for (const kind of kinds) {
    if (!pairKinds.includes(kind)) throw new Error(`--pairs takes ${pairKinds.join(', ')}`);
  }
  const release = values.release as Release;
  if (!releases.includes(release)) throw new Error(`--release takes ${releases.join(', ')}`);
  const started = Date.now();
  const [runner, main] = await Promise.all([prepareRunner(), buildServer()]);
  const shared = { main, template: await makeDataTemplate(main) };
  const rows: Row[] = [];
  for (const kind of kinds) {
    process.stderr.write(`${kind}\n`);
    rows.push(...(await runPair(runner, shared, kind, values.storyboards?.split(','), release)));
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  printMatrix(rows, seconds, release);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ seconds, rows }, null, 2)}\n`);
  return 0;
}

const isMain = process.argv[1]?.endsWith('matrix/main.ts');
if (isMain) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping ${children.size} child process(es)\n`);
      void stopAll().finally(() => process.exit(130));
    });
  }
  try {
    process.exitCode = await matrixMain();
  } catch (error) {
    process.stderr.write(`matrix: ${(error as Error).stack}\n`);
    process.exitCode = 2;
  } finally {
    await stopAll();
    removeRunner();
  }
}
