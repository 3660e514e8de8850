import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { children, stopAll, tail } from './compliance/processes.js';
import { cell, printDetails, printTable } from './compliance/report.js';
import { baselineOf, judge, type Baseline, type RunResult } from './compliance/baseline.js';
import { prepareRunner, removeRunner } from './compliance/patches/runner-patch.js';
import { isClean, runFuzz, runStoryboard, type Result } from './compliance/runs.js';
import { protocols, startServer, type Protocol, type Server } from './compliance/server.js';
import { buildServer, makeDataTemplate, type SharedServer } from './compliance/shared-server.js';
import { pool, startOrder } from './compliance/jobs/schedule.js';
import { run31, run31Stock } from './compliance/spec31.js';
import { runStock } from './compliance/stock/run-stock.js';
import { printTimes, timed, timesOf, type SetupTime } from './compliance/jobs/timing.js';
import {
  exampleOf,
  isExampleSeller,
  gradedOn,
  isStorefront,
  seedTestProduct,
  serves,
  startSdkSeller,
  targetOf,
  targetsOf,
  type SdkSeller,
  type TargetKind,
} from './compliance/targets.js';

/**
 * `npm run compliance`: @adcp/sdk's storyboard runner and fuzzer, in production mode
 * (NODE_ENV=production), against two storefront agents and, in the same run, against each
 * storefront's seller called directly (scripts/compliance/targets.ts):
 *   (a) the demo storefront over our demo seller, beside the demo seller itself;
 *   (b) a storefront whose only source is @adcp/sdk's example seller, beside that seller;
 *   (c) a storefront whose only source is @adcp/sdk's social example seller, beside that
 *       seller, on the sales_social storyboard (the others on everything else; 3.1.19 opt-in);
 * and, over (b) with its seller, AdCP 3.1.19's assessment, pinned (compliance/spec31.ts). Opt-in
 * (named by --target only): (d) a storefront over @adcp/sdk's guaranteed example seller, beside it.
 * Each job (one storyboard or the fuzzer, one protocol, storefronts or sellers) gets a fresh
 * server and example seller (storyboards reuse fixed ids, so state must not carry over). What
 * the servers are made from is prepared once per run (shared-server.ts): the server compiled as
 * `npm run build` compiles it, and one migrated, empty data directory each job's server starts on
 * a copy of, so it seeds the demo as a first start does. Jobs start longest first, and the report
 * ends with where the time went (compliance/jobs/); the runner is a patched SDK copy.
 *
 * Prints one table; exits 1 on any failed or skipped step, runner error or fuzz failure, or,
 * with --baseline, only on a miss the baseline does not explain (compliance/baseline.ts). Moot
 * skips (an either/or phase's other branch ran) do not fail it. The fuzzer skips unserved tools.
 *
 *   npm run compliance -- --only idempotency --protocol a2a --details
 *
 * Options: --target <kinds> (comma-separated, of targets.ts targetKinds; default all but the
 * opt-in ones), --only <storyboard|adcp_3.1.19|fuzz>, --protocol mcp|a2a, --json <file> (full
 * results), --details (each miss with its message), --jobs <n> (default 2), --fuzz-seed <n>
 * (default 1), --write-baseline <file> (record this run's misses), --baseline <file>.
 */

const storyboards = [
  'capability_discovery',
  'media_buy_seller', // with its requires_scenarios (media_buy_seller/*)
  'sales_non_guaranteed',
  'sales_guaranteed',
  'schema_validation',
  'error_compliance',
  'idempotency',
  'sales_social', // the social pair only (targets.ts gradedOn)
  run31, // AdCP 3.1.19, pinned (compliance/spec31.ts); where: targets.ts gradedOn
  run31Stock, // the same, the stock CLI behind a pinning proxy (compliance/stock/), --only
] as const;

interface Options {
  targets: readonly TargetKind[];
  /** --target named them (targets.ts gradedOn: some runs are graded only on demand). */
  named: boolean;
  only: string | undefined;
  protocols: readonly Protocol[];
  jsonFile: string | undefined;
  details: boolean;
  jobs: number;
  fuzzSeed: number;
  baseline: string | undefined;
  writeBaseline: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      only: { type: 'string' },
      protocol: { type: 'string' },
      json: { type: 'string' },
      details: { type: 'boolean', default: false },
      jobs: { type: 'string', default: '2' },
      'fuzz-seed': { type: 'string', default: '1' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
    },
  });
  const { targets, named } = targetsOf(values.target);
  const only = values.only;
  if (only !== undefined && only !== 'fuzz' && !storyboards.some((id) => id === only)) {
    throw new Error(`--only must be fuzz or one of: ${storyboards.join(', ')}`);
  }
  const protocol = values.protocol;
  if (protocol !== undefined && protocol !== 'mcp' && protocol !== 'a2a') {
    throw new Error(`--protocol must be mcp or a2a (got ${protocol})`);
  }
  const jobs = Number(values.jobs);
  const fuzzSeed = Number(values['fuzz-seed']);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error('--jobs must be a positive integer');
  if (!Number.isInteger(fuzzSeed)) throw new Error('--fuzz-seed must be an integer');
  return {
    targets,
    named,
    only,
    protocols: protocol ? [protocol] : protocols,
    jsonFile: values.json,
    details: values.details,
    jobs,
    fuzzSeed,
    baseline: values.baseline,
    writeBaseline: values['write-baseline'],
  };
}

interface Job {
  run: string;
  protocol: Protocol;
  /** The agents this job grades, one after the other, on its own server and example seller. */
  targets: TargetKind[];
}

/** Storefronts in one job, their sellers in another: each job has its own fresh state. */
function jobsOf(options: Options): Job[] {
  const runs = [
    ...storyboards.filter((id) => (options.only ? options.only === id : id !== run31Stock)),
    ...(!options.only || options.only === 'fuzz' ? ['fuzz'] : []),
  ];
  return runs.flatMap((run) =>
    options.protocols.flatMap((protocol) =>
      [options.targets.filter(isStorefront), options.targets.filter((t) => !isStorefront(t))]
        .map((group) => group.filter((t) => serves(t, protocol) && gradedOn(t, run, options.named)))
        .filter((group) => group.length > 0)
        .map((targets) => ({ run, protocol, targets })),
    ),
  );
}

async function runJob(
  options: Options,
  runner: string,
  shared: SharedServer,
  job: Job,
): Promise<RunResult[]> {
  const needsServer = job.targets.some((t) => !isExampleSeller(t));
  // One job grades one pair's targets (gradedOn), so it needs at most one example seller.
  const example = job.targets.map((t) => exampleOf[t]).find((kind) => kind !== undefined);
  let server: Server | undefined;
  let sdk: SdkSeller | undefined;
  const results: RunResult[] = [];
  try {
    let sellerStartMs = 0;
    [server, sdk] = await Promise.all([
      needsServer ? startServer(shared) : undefined,
      example
        ? timed(
            () => startSdkSeller(example, 120_000),
            (ms) => (sellerStartMs = ms),
          )
        : undefined,
    ]);
    for (const kind of job.targets) {
      const started = Date.now();
      let result: Result;
      try {
        const target = await targetOf(kind, job.protocol, server, sdk);
        const stock = job.run === run31Stock;
        const mcp = target.url.replace(/\/a2a$/, '/mcp');
        const seeds = job.run === 'idempotency' || job.run === run31 || stock;
        const note = seeds ? await seedTestProduct(target, mcp, job.run !== 'idempotency') : '';
        result =
          job.run === 'fuzz'
            ? await runFuzz(runner, job.protocol, target, options.fuzzSeed)
            : stock
              ? await runStock(job.run, job.protocol, target)
              : await runStoryboard(runner, job.run, job.protocol, target);
        if (note) result.note = note;
      } catch (error) {
        result = erroredRun(job, options.fuzzSeed, (error as Error).message, Date.now() - started);
      }
      result.serverStartMs = server?.startMs ?? 0;
      result.sellerStartMs = sellerStartMs;
      if (!isClean(result) && server) result.serverLogTail = tail(server.output(), 200);
      process.stderr.write(
        `  ${kind} ${job.run} over ${job.protocol}: ${cell(result)} (${timesOf(result)})\n`,
      );
      results.push({ ...result, target: kind });
    }
  } catch (error) {
    for (const kind of job.targets.slice(results.length)) {
      const result = erroredRun(job, options.fuzzSeed, (error as Error).message, 0);
      process.stderr.write(`  ${kind} ${job.run} over ${job.protocol}: ERROR ${result.error}\n`);
      results.push({ ...result, target: kind });
    }
  } finally {
    await Promise.all([server?.stop(), sdk?.close()]);
  }
  return results;
}

/** A run that could not grade anything (setup or the runner failed): counts as an error. */
function erroredRun(job: Job, fuzzSeed: number, message: string, durationMs: number): Result {
  const error = message.slice(0, 2000);
  const base = { protocol: job.protocol, url: '', error, durationMs, serverStartMs: 0 };
  return job.run === 'fuzz'
    ? {
        ...base,
        kind: 'fuzz',
        seed: fuzzSeed,
        runs: 0,
        failures: 0,
        failureList: [],
        notServed: [],
      }
    : {
        ...base,
        kind: 'storyboard',
        storyboard: job.run,
        passed: 0,
        failed: 0,
        skipped: 0,
        moot: 0,
        steps: [],
      };
}

async function main(): Promise<number> {
  const options = readOptions();
  const started = Date.now();
  const setup: SetupTime = { buildMs: 0, templateMs: 0, runnerMs: 0, ms: 0 };
  // The build runs in a child process, so the runner's copy (synchronous) proceeds beside it.
  const building = timed(buildServer, (ms) => (setup.buildMs = ms));
  const runner = await timed(prepareRunner, (ms) => (setup.runnerMs = ms));
  const main = await building;
  const shared = {
    main,
    template: await timed(
      () => makeDataTemplate(main),
      (ms) => (setup.templateMs = ms),
    ),
  };
  setup.ms = Date.now() - started;
  const jobs = jobsOf(options);
  process.stderr.write(
    `Running ${jobs.length} job(s) (${options.targets.join(', ')}), ` +
      `${options.jobs} at a time, each on a fresh server (set up in ${Math.round(setup.ms / 1000)} s)\n`,
  );
  const times = await pool(jobs, startOrder(jobs), options.jobs, async (job) => {
    const jobStarted = Date.now();
    const results = await runJob(options, runner, shared, job);
    const label = `${job.run} over ${job.protocol}: ${job.targets.join(', ')}`;
    return { label, ms: Date.now() - jobStarted, results };
  });
  const results = times.flatMap((time) => time.results);
  const seconds = Math.round((Date.now() - started) / 1000);

  printTable(options, results, `AdCP compliance (NODE_ENV=production), ${seconds} s`);
  if (options.details) printDetails(results);
  printTimes(setup, times, options.jobs);
  if (options.jsonFile) {
    const report = { startedAt: new Date(started), seconds, results };
    writeFileSync(options.jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nFull results: ${options.jsonFile}`);
  }
  const dirty = results.filter((r) => !isClean(r)).length;
  console.log(dirty ? `\n${dirty} run(s) not clean.` : '\nAll clean.');
  if (options.writeBaseline) {
    writeFileSync(options.writeBaseline, `${JSON.stringify(baselineOf(results), null, 2)}\n`);
    console.log(`Baseline written: ${options.writeBaseline}`);
  }
  if (!options.baseline) return dirty ? 1 : 0;
  const baseline = JSON.parse(readFileSync(options.baseline, 'utf8')) as Baseline;
  const { violations, stale, lateMisses } = judge(results, baseline);
  for (const line of stale) console.log(`NO LONGER MISSED (drop from the baseline) ${line}`);
  for (const line of lateMisses) console.log(`LATE (a seller timed out; not failed) ${line}`);
  for (const line of violations) console.log(`NOT EXPLAINED ${line}`);
  console.log(
    violations.length
      ? `\n${violations.length} miss(es) not named in ${options.baseline}.`
      : `\nEvery miss is a seller's own or a storefront miss still open, named in ${options.baseline}` +
          ` (${baseline.openStorefrontMisses?.length ?? 0} open).`,
  );
  return violations.length ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping ${children.size} child process(es)\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

try {
  const matrix = process.argv.includes('--matrix') && (await import('./compliance/matrix/main.js'));
  process.exitCode = matrix ? await matrix.matrixMain() : await main();
} catch (error) {
  process.stderr.write(`compliance: ${(error as Error).message}\n`);
  process.exitCode = 2;
} finally {
  await stopAll();
  removeRunner();
}
