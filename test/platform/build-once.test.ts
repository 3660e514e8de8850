import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';

/**
 * `npm start` builds dist/ once per change of the sources (scripts/build-once.mjs), on a
 * checkout made of the real script, a one-file src/ and the real TypeScript: what a start sees.
 */
const repo = resolve(import.meta.dirname, '../..');
let checkout: string;

beforeEach(() => {
  checkout = mkdtempSync(join(tmpdir(), 'ix-build-once-'));
  mkdirSync(join(checkout, 'scripts'));
  mkdirSync(join(checkout, 'src'));
  copyFileSync(join(repo, 'scripts/build-once.mjs'), join(checkout, 'scripts/build-once.mjs'));
  symlinkSync(join(repo, 'node_modules'), join(checkout, 'node_modules'));
  writeFileSync(join(checkout, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(checkout, 'package-lock.json'), '{}\n');
  writeFileSync(
    join(checkout, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, types: [] },
    }),
  );
  writeFileSync(
    join(checkout, 'tsconfig.build.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist' },
      include: ['src'],
    }),
  );
  writeFileSync(join(checkout, 'src/main.ts'), 'export const answer: number = 1;\n');
});

afterEach(() => rmSync(checkout, { recursive: true, force: true }));

function build(env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['scripts/build-once.mjs', '--install'], {
      cwd: checkout,
      env: { ...process.env, CI: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise(output) : reject(new Error(`exit ${code}: ${output}`)),
    );
  });
}

const builds = (output: string) => output.match(/building dist/g)?.length ?? 0;

test('two starts at once build once, and neither sees half a dist/', async () => {
  const outputs = await Promise.all([build(), build(), build()]);
  expect(outputs.map(builds).reduce((a, b) => a + b)).toBe(1);
  expect(readFileSync(join(checkout, 'dist/main.js'), 'utf8')).toContain('export const answer = 1');
  expect(existsSync(join(checkout, 'dist.lock'))).toBe(false);
}, 120_000);

test('a start on unchanged sources does not build; an edited or a deleted file does', async () => {
  writeFileSync(join(checkout, 'src/extra.ts'), 'export const extra = 3;\n');
  expect(builds(await build())).toBe(1);
  expect(existsSync(join(checkout, 'dist/extra.js'))).toBe(true);
  expect(builds(await build())).toBe(0);

  writeFileSync(join(checkout, 'src/main.ts'), 'export const answer: number = 2;\n');
  rmSync(join(checkout, 'src/extra.ts'));
  expect(builds(await build())).toBe(1);
  expect(readFileSync(join(checkout, 'dist/main.js'), 'utf8')).toContain('answer = 2');
  // A build from a tree without the file leaves no output of it behind.
  expect(existsSync(join(checkout, 'dist/extra.js'))).toBe(false);
}, 120_000);

test('npm install in CI leaves the build to npm start', async () => {
  const output = await build({ CI: 'true' });
  expect(builds(output)).toBe(0);
  expect(existsSync(join(checkout, 'dist'))).toBe(false);
}, 60_000);
