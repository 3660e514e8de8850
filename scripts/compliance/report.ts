import { missesOf, runOf, sellerRunFor, type RunResult } from './baseline.js';
import { isClean, type Result } from './runs.js';
import type { Protocol } from './server.js';
import { sellerOf, serves, storefrontOf } from './targets.js';

/** What `npm run compliance` prints of its results: the table of runs, then each miss. */

export function cell(result: Result | undefined): string {
  if (!result) return '-';
  const mark = isClean(result) ? 'ok' : 'FAIL';
  if (result.error && (result.kind === 'fuzz' || result.passed + result.failed === 0)) {
    return 'ERROR';
  }
  if (result.kind === 'fuzz') return `${result.runs}/${result.failures} ${mark}`;
  const moot = result.moot ? ` (+${result.moot} moot)` : '';
  return `${result.passed}/${result.failed}/${result.skipped}${moot} ${mark}`;
}

/**
 * One row per run and protocol; per storefront, its cell and its seller's direct cell beside
 * it, then how many of the storefront's misses its seller does not share (those are ours).
 */
export function printTable(
  options: { targets: readonly string[]; protocols: readonly Protocol[] },
  results: RunResult[],
  label: string,
): void {
  const runs = [...new Set(results.map(runOf))];
  const pairs = Object.values(storefrontOf).filter((kind) =>
    options.targets.some((t) => t === kind || t === sellerOf[kind]),
  );
  const header = ['run', 'proto'];
  for (const pair of pairs) header.push(pair, `${sellerOf[pair]} (direct)`, 'own misses');
  const body: string[][] = [];
  for (const run of runs) {
    for (const protocol of options.protocols) {
      const row = [run === 'fuzz' ? 'fuzz (runs/failures)' : run, protocol.toUpperCase()];
      for (const pair of pairs) {
        const seller = sellerOf[pair];
        const sf = results.find(
          (r) => r.target === pair && r.protocol === protocol && runOf(r) === run,
        );
        const direct = results.find(
          (r) => r.target === seller && r.protocol === protocol && runOf(r) === run,
        );
        const sellerCell = serves(seller, protocol) ? cell(direct) : 'no A2A (vs MCP)';
        let own = '-';
        if (sf) {
          const against = sellerRunFor(results, sf);
          const theirs = new Set(against ? missesOf(against).map((m) => m.step) : []);
          own = sf.error ? 'ERROR' : String(missesOf(sf).filter((m) => !theirs.has(m.step)).length);
        }
        row.push(cell(sf), sellerCell, own);
      }
      body.push(row);
    }
  }
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${label}\n(storyboards: passed/failed/skipped steps; fuzz: runs/failures;`);
  console.log(' own misses: storefront misses its seller does not have when called directly)\n');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of body) console.log(line(row));
}

export function printDetails(results: RunResult[]): void {
  for (const result of results) {
    if (isClean(result)) continue;
    console.log(`\n${result.target} ${runOf(result)} over ${result.protocol} (${result.url})`);
    if (result.note) console.log(`  note: ${result.note}`);
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
