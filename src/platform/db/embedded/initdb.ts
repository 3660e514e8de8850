import { spawn } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgBinaries } from './binaries.js';
import { EmbeddedClusterError } from './errors.js';
import { serverEnv, superuser } from './common.js';
import type { ServerUser } from './server-user.js';

export interface InitOptions {
  binaries: PgBinaries;
  user: ServerUser | undefined;
  directory: string;
  password: string;
  fast: boolean;
}

/** initdb into a side directory, then one rename: a crash mid-way never leaves half a cluster. */
export async function initialise({ binaries, user, directory, password, fast }: InitOptions) {
  const staging = `${directory}.initialising`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  const pwfile = join(staging, '.pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(staging, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  const data = join(staging, 'data');
  const result = await run(binaries, user, staging, binaries.initdb, [
    `--pgdata=${data}`,
    `--username=${superuser}`,
    `--pwfile=${pwfile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
    // A throwaway cluster needs no sync; a kept one is synced, on Linux with one syncfs rather
    // than an fsync per file (about a third of the time here).
    ...(fast ? ['--no-sync'] : process.platform === 'linux' ? ['--sync-method=syncfs'] : []),
  ]);
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new EmbeddedClusterError(`initdb failed (exit ${result.code}): ${result.output.trim()}`);
  }
  appendFileSync(join(data, 'postgresql.conf'), clusterDefaults);
  renameSync(data, directory);
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Settings of a new cluster, in its postgresql.conf so that an operator's ALTER SYSTEM overrides
 * them. Commits return before their WAL reaches the disk: a crash of Interchange or of PostgreSQL
 * loses nothing (the WAL is in the kernel's hands), and a crash of the machine itself loses at
 * most the last fraction of a second of commits, never consistency (fsync stays on). Waiting
 * for the disk on every commit halved the storefront's get_products throughput here; PGlite,
 * which this replaces, never synced at all. `ALTER SYSTEM SET synchronous_commit = on` (through
 * `interchange db url`) restores it.
 */
const clusterDefaults = `
# Interchange's defaults for its embedded cluster (ALTER SYSTEM overrides them)
synchronous_commit = off
`;

function run(
  binaries: PgBinaries,
  user: ServerUser | undefined,
  cwd: string,
  file: string,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      cwd,
      env: serverEnv(binaries),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user && { uid: user.uid, gid: user.gid }),
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}
