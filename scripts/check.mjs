#!/usr/bin/env node
/**
 * `npm run check`: the type check, the lint, and the format, structure and source-map checks,
 * run at once rather than one after the other. tsc and eslint are single-threaded and take about
 * the same time, so on two cores the whole check takes about as long as the slowest of them.
 * Each check's output is printed whole, in this order, once it is done; the run fails when any
 * check fails, and says which.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import process from 'node:process';

/** Checks in one lane run one after another; the lanes run at once. */
const lanes = [
  [['typecheck', 'npm', ['run', '-s', 'typecheck']]],
  [['lint', 'npm', ['run', '-s', 'lint']]],
  [
    ['format', 'npm', ['run', '-s', 'format:check']],
    ['structure', 'npm', ['run', '-s', 'structure']],
    ['source map', 'npm', ['run', '-s', 'source-map', '--', '--check']],
    ['doc paths', 'npm', ['run', '-s', 'doc-paths']],
  ],
];

function run([name, command, args]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code) =>
      resolve({ name, ok: code === 0, output: Buffer.concat(output), ms: Date.now() - started }),
    );
  });
}

async function runLane(lane) {
  const results = [];
  for (const check of lane) results.push(await run(check));
  return results;
}

const results = (await Promise.all(lanes.map(runLane))).flat();
for (const { name, ok, output, ms } of results) {
  process.stdout.write(`\n> ${name}: ${ok ? 'ok' : 'FAILED'} (${(ms / 1000).toFixed(1)} s)\n`);
  process.stdout.write(output);
}
const failed = results.filter((result) => !result.ok).map((result) => result.name);
if (failed.length > 0) {
  process.stdout.write(`\ncheck failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
