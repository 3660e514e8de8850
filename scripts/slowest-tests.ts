import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Prints the slowest test files of a vitest run from its JSON report
 * (`vitest run --reporter=json --outputFile.json=<file>`): `tsx scripts/slowest-tests.ts <file> [n]`.
 * A file's time is its own run in its worker (start to end), not the time it waited for one.
 */
interface Report {
  numTotalTests: number;
  startTime: number;
  testResults: { name: string; startTime: number; endTime: number; status: string }[];
}

const [file, count = '10'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx scripts/slowest-tests.ts <vitest json report> [n]\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
const files = report.testResults
  .map((r) => ({
    name: relative(process.cwd(), r.name),
    ms: r.endTime - r.startTime,
    status: r.status,
  }))
  .sort((a, b) => b.ms - a.ms);
const total = files.reduce((sum, f) => sum + f.ms, 0);
const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(7);
process.stdout.write(
  `${files.length} files, ${report.numTotalTests} tests, ${seconds(total).trim()} s of file time in all\n`,
);
process.stdout.write(`the slowest ${count}:\n`);
for (const f of files.slice(0, Number(count)))
  process.stdout.write(
    `${seconds(f.ms)} s  ${f.name}${f.status === 'passed' ? '' : ` (${f.status})`}\n`,
  );
