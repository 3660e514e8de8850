// Builds dist/ once per change of the sources, never on every start (issue 46): `npm start`
// (scripts/start.mjs) and `npm install` (the `prepare` script) call it. Plain JavaScript, so it
// runs before anything is compiled and without tsx.
//
//   node scripts/build-once.mjs            build if dist/ is missing or older than the sources
//   node scripts/build-once.mjs --install  the same, skipped in CI (see `prepare` below)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
/** Written last into a finished build: the hash of the sources it was built from. */
const stampName = '.sources-hash';
const lockFile = join(root, 'dist.lock');
/** What the JavaScript in dist/ depends on: the sources, the compiler options, the compiler. */
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

function* filesUnder(path) {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    yield* filesUnder(join(path, entry.name));
  }
}

/**
 * A hash of every input's path and content: an edit, an added or a deleted file, or a checkout
 * of another commit changes it; a `touch` or a checkout back to the same content does not.
 * About 1,000 files, 5 MB: tens of milliseconds.
 */
export function sourcesHash() {
  const hash = createHash('sha256');
  for (const input of inputs)
    for (const file of filesUnder(join(root, input))) {
      hash.update(`${relative(root, file)}\0`);
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  return hash.digest('hex');
}

/**
 * Whether dist/ was built from the sources as they are. A build made without a stamp (`npm run
 * build`, which runs tsc straight into dist/) counts when its entry point is newer than every
 * input, files and folders (a deleted file changes its folder's time).
 */
export function isFresh(hash = sourcesHash()) {
  const main = join(dist, 'main.js');
  if (!existsSync(main)) return false;
  const stamp = join(dist, stampName);
  if (existsSync(stamp)) return readFileSync(stamp, 'utf8').trim() === hash;
  const built = statSync(main).mtimeMs;
  for (const input of inputs) {
    const path = join(root, input);
    if (!existsSync(path)) continue;
    if (statSync(path).mtimeMs > built) return false;
    for (const file of filesUnder(path)) if (statSync(file).mtimeMs > built) return false;
  }
  return true;
}

function compilerPath() {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

/**
 * The SDK's request validators, compiled once here instead of on every start (dist/validators/,
 * src/agents/hosting/precompiled-validators/). A build that cannot make them still serves: the
 * server then compiles them at start, as before.
 */
function precompileValidators(side, log) {
  const generator = join(side, 'agents', 'hosting', 'precompiled-validators', 'generate.js');
  if (!existsSync(generator)) return;
  const result = spawnSync(process.execPath, [generator, join(side, 'validators')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    rmSync(join(side, 'validators'), { recursive: true, force: true });
    log('interchange: the validators were not precompiled: the server compiles them at start');
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * One builder at a time per checkout: two servers started at once from one checkout would
 * otherwise both write dist/. The lock is a file holding its owner's pid, taken by an exclusive
 * create; a lock whose owner is gone (a build killed mid-way) is taken over.
 */
function withLock(run) {
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8').trim() || 0);
      // An empty file is an owner between its create and its write: wait for it.
      if (owner > 0 && !alive(owner)) rmSync(lockFile, { force: true });
      else sleep(200);
    }
  }
  try {
    return run();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/**
 * Builds dist/ from the sources when it is missing or stale; answers whether it built. The build
 * goes to a side folder, gets its stamp, then replaces dist/ by renames: a build killed part-way
 * leaves the old dist/ (or none) and never a half one that looks finished.
 *
 * The compile skips type checking (`tsc --noCheck`): its JavaScript is byte-identical to a
 * checked build's (checked on this tree), in a third of the time. Types are checked by
 * `npm run typecheck` (in `npm run check`, so in CI) and by `npm run build`.
 */
export function ensureBuilt({
  log = (line) => process.stderr.write(`${line}\n`),
  install = false,
} = {}) {
  if (isFresh()) return false;
  return withLock(() => {
    // Another process may have built while this one waited for the lock.
    const hash = sourcesHash();
    if (isFresh(hash)) return false;
    const tsc = compilerPath();
    if (!tsc && install) {
      log('interchange: TypeScript is not installed: dist/ is left as it is');
      return false;
    }
    if (!tsc) {
      // A production install (`npm ci --omit=dev`) has no compiler: run what is there.
      if (existsSync(join(dist, 'main.js'))) {
        log(
          'interchange: dist/ may be older than src/, and TypeScript is not installed to rebuild it',
        );
        return false;
      }
      throw new Error(
        'dist/ is missing and TypeScript is not installed (npm install, without --omit=dev)',
      );
    }
    log('interchange: building dist/ from src/ (once per change of the sources)...');
    const started = Date.now();
    const side = join(root, `dist.building-${process.pid}`);
    rmSync(side, { recursive: true, force: true });
    const result = spawnSync(
      process.execPath,
      [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--outDir', side],
      { cwd: root, stdio: 'inherit' },
    );
    if (result.status !== 0) {
      rmSync(side, { recursive: true, force: true });
      throw new Error(`the build failed (tsc exit ${result.status ?? result.signal})`);
    }
    precompileValidators(side, log);
    writeFileSync(join(side, stampName), `${hash}\n`);
    const old = join(root, `dist.old-${process.pid}`);
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(side, dist);
    rmSync(old, { recursive: true, force: true });
    log(`interchange: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return true;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `prepare` runs on every `npm install` and `npm ci` in this folder. CI (CI=true) builds dist/
  // in a step of its own (.ci/run, after the type check, for the suite's spawned servers and the
  // compliance run), timed apart from the install; `npm start` still builds if it is ever asked.
  if (process.argv.includes('--install') && process.env.CI && process.env.CI !== 'false') {
    process.stderr.write('interchange: CI: dist/ is built by `npm start` when needed\n');
  } else {
    try {
      ensureBuilt({ install: process.argv.includes('--install') });
    } catch (error) {
      process.stderr.write(`interchange: ${error.message}\n`);
      process.exit(1);
    }
  }
}
