import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { children, stopAll, tail } from './compliance/processes.js';
import { isClean, runFuzz, runStoryboard, type Result } from './compliance/runs.js';
import {
  protocols,
  startServer,
  targetOf,
  type AgentKind,
  type Protocol,
} from './compliance/server.js';

/**
 * `npm run compliance`: @adcp/sdk's storyboard runner and fuzzer against our AdCP agents, each
 * run on a fresh server (storyboards reuse fixed idempotency keys, so state must not carry over).
 * Prints one table; exits 1 on any failed or skipped step, runner error or fuzz failure. Steps
 * the runner skips as moot (the other branch of an either/or phase ran) are counted apart and
 * do not fail the run. The fuzzer gets its default tools minus those the agent does not serve
 * (the runner grades those missing_tool; the fuzzer would report "tool not found").
 *
 *   npm run compliance                              # the demo storefront's agent, MCP and A2A
 *   npm run compliance -- --agent demo-seller --details
 *   npm run compliance -- --only idempotency --protocol a2a --json results.json
 *
 * Options: --agent storefront|demo-seller, --only <storyboard|fuzz>, --protocol mcp|a2a,
 * --json <file> (full results, raw runner output included), --details (each failing or skipped
 * step with its message), --jobs <n> (servers at once; default 2), --fuzz-seed <n> (default 1),
 * --write-baseline <file> (record these counts), --baseline <file> (exit 1 only on a run worse
 * than the recorded one: what CI runs while the agent is not yet fully conformant).
 */

const storyboards = [
  'capability_discovery',
  // The runner also runs the storyboard's requires_scenarios (media_buy_seller/*).
  'media_buy_seller',
  'sales_non_guaranteed',
  'sales_guaranteed',
  'schema_validation',
  'error_compliance',
  'idempotency',
] as const;

interface Options {
  agent: AgentKind;
  only: string | undefined;
  protocols: readonly Protocol[];
  jsonFile: string | undefined;
  details: boolean;
  jobs: number;
  fuzzSeed: number;
  /** Compare with this recorded baseline: fail only on a run worse than it. */
  baseline: string | undefined;
  writeBaseline: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      agent: { type: 'string', default: 'storefront' },
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
  const agent = values.agent;
  if (agent !== 'storefront' && agent !== 'demo-seller') {
    throw new Error(`--agent must be storefront or demo-seller (got ${agent})`);
  }
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
    agent,
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

async function runJob(
  options: Options,
  job: { storyboard: string | 'fuzz'; protocol: Protocol },
): Promise<Result> {
  const server = await startServer();
  try {
    const target = targetOf(server, options.agent, job.protocol);
    const result =
      job.storyboard === 'fuzz'
        ? await runFuzz(job.protocol, target, options.fuzzSeed)
        : await runStoryboard(job.storyboard, job.protocol, target);
    const full: Result = { ...result, serverStartMs: server.startMs };
    if (!isClean(full)) full.serverLogTail = tail(server.output(), 200);
    process.stderr.write(`  ${job.storyboard} over ${job.protocol}: ${cell(full)}\n`);
    return full;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

function cell(result: Result | undefined): string {
  if (!result) return '-';
  const mark = isClean(result) ? 'ok' : 'FAIL';
  if (result.error && result.kind === 'storyboard' && result.passed + result.failed === 0) {
    return 'ERROR';
  }
  if (result.kind === 'fuzz')
    return result.error ? 'ERROR' : `${result.runs}/${result.failures} ${mark}`;
  const moot = result.moot ? ` (+${result.moot} moot)` : '';
  return `${result.passed}/${result.failed}/${result.skipped}${moot} ${mark}`;
}

function printTable(options: Options, results: Result[], label: string): void {
  const rows = [
    ...storyboards.filter((id) => !options.only || options.only === id),
    ...(!options.only || options.only === 'fuzz' ? ['fuzz'] : []),
  ];
  const find = (row: string, protocol: Protocol) =>
    results.find((r) =>
      r.kind === 'fuzz'
        ? row === 'fuzz' && r.protocol === protocol
        : r.storyboard === row && r.protocol === protocol,
    );
  const header = ['storyboard', ...options.protocols.map((p) => p.toUpperCase())];
  const body = rows.map((row) => [
    row === 'fuzz' ? 'fuzz (runs/failures)' : row,
    ...options.protocols.map((p) => cell(find(row, p))),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${label}   (storyboards: passed/failed/skipped steps)\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of body) console.log(line(row));
}

function printDetails(results: Result[]): void {
  for (const result of results) {
    if (isClean(result)) continue;
    const name = result.kind === 'fuzz' ? 'fuzz' : result.storyboard;
    console.log(`\n${name} over ${result.protocol} (${result.url})`);
    if (result.error) console.log(`  ERROR ${result.error}`);
    if (result.kind === 'fuzz') {
      for (const f of result.failureList) console.log(`  FAILED ${f.tool}: ${f.message}`);
      if (result.notServed.length) console.log(`  (not served: ${result.notServed.join(', ')})`);
      continue;
    }
    for (const step of result.steps) {
      if (step.status === 'passed' || step.status === 'moot') continue;
      const why = step.status === 'skipped' ? ` [${step.skipReason ?? 'skipped'}]` : '';
      console.log(
        `  ${step.status.toUpperCase()} ${step.scenario} › ${step.step} (${step.task})${why}`,
      );
      if (step.message) console.log(`      ${step.message}`);
    }
  }
}

/** Runs the jobs `concurrency` at a time, keeping their order in the result. */
async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

async function main(): Promise<number> {
  const options = readOptions();
  const started = Date.now();
  const jobs = [
    ...storyboards.filter((id) => !options.only || options.only === id),
    ...(!options.only || options.only === 'fuzz' ? (['fuzz'] as const) : []),
  ].flatMap((storyboard) => options.protocols.map((protocol) => ({ storyboard, protocol })));
  process.stderr.write(
    `Running ${jobs.length} job(s) against the ${options.agent} agent, ` +
      `${options.jobs} fresh server(s) at a time\n`,
  );
  const results = await pool(jobs, options.jobs, (job) => runJob(options, job));
  const seconds = Math.round((Date.now() - started) / 1000);

  printTable(options, results, `AdCP compliance: ${options.agent} agent, ${seconds} s`);
  if (options.details) printDetails(results);
  if (options.jsonFile) {
    const report = { agent: options.agent, startedAt: new Date(started), seconds, results };
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
  const worse = regressions(
    results,
    JSON.parse(readFileSync(options.baseline, 'utf8')) as Baseline,
  );
  for (const line of worse) console.log(`REGRESSION ${line}`);
  console.log(
    worse.length
      ? `\n${worse.length} run(s) worse than the baseline ${options.baseline}.`
      : `\nNo run worse than the baseline ${options.baseline}.`,
  );
  return worse.length ? 1 : 0;
}

/** Per run (storyboard or fuzz, per protocol): the counts a later run must not fall below. */
type Baseline = Record<string, { passed: number; failed: number; skipped?: number }>;

const keyOf = (r: Result) => `${r.kind === 'fuzz' ? 'fuzz' : r.storyboard} ${r.protocol}`;

function baselineOf(results: Result[]): Baseline {
  return Object.fromEntries(
    results.map((r) => [
      keyOf(r),
      r.kind === 'fuzz'
        ? { passed: r.runs - r.failures, failed: r.failures }
        : { passed: r.passed, failed: r.failed, skipped: r.skipped },
    ]),
  );
}

/** Runs with fewer passing steps or more failures than recorded, or that errored. */
function regressions(results: Result[], baseline: Baseline): string[] {
  const now = baselineOf(results);
  return results.flatMap((r) => {
    const key = keyOf(r);
    const before = baseline[key];
    const after = now[key]!;
    if (r.error) return [`${key}: ${r.error}`];
    if (!before) return [];
    const problems = [
      ...(after.failed > before.failed ? [`failed ${before.failed} → ${after.failed}`] : []),
      ...(r.kind !== 'fuzz' && after.passed < before.passed
        ? [`passed ${before.passed} → ${after.passed}`]
        : []),
    ];
    return problems.length ? [`${key}: ${problems.join(', ')}`] : [];
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping ${children.size} child process(es)\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`compliance: ${(error as Error).message}\n`);
  process.exitCode = 2;
} finally {
  await stopAll();
}
