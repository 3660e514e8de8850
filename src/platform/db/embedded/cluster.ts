import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { findBinaries } from './binaries.js';
import { readLines, superuser } from './common.js';
import { type DataDirLock, liveOwner, lockDataDir } from './data-dir-lock.js';
import { initialise } from './initdb.js';
import { stopLeftover } from './leftover.js';
import { refuseOldPgliteData } from './pglite-data.js';
import { freePort, startServer } from './postmaster.js';
import type { ServerLogSink } from './server-log.js';
import { assertReachable, serverUser, type ServerUser } from './server-user.js';

/**
 * Interchange's own PostgreSQL: with no DATABASE_URL, a cluster under INTERCHANGE_DATA_DIR
 * (`<dir>/postgres`, initialised on first start, its superuser's generated password in
 * `<dir>/postgres.password`), listening on a free port on 127.0.0.1 only, started and stopped
 * by this process. `memory` makes a throwaway cluster in a temporary directory instead.
 *
 * The server runs under a small shell "keeper" whose stdin is a pipe from this process: however
 * this process ends (a clean stop, a crash, kill -9), the pipe closes and the keeper asks
 * PostgreSQL for a fast shutdown (and removes a throwaway cluster's directory), so no server is
 * left behind. The keeper runs in its own process group, so a Ctrl-C at the terminal reaches
 * Interchange (which drains, then stops the cluster) and not PostgreSQL directly.
 */
export interface EmbeddedCluster {
  /** A superuser URL of the app's database (`interchange`) on the cluster. */
  readonly url: string;
  /** The same cluster's maintenance database (`postgres`), for creating databases. */
  readonly adminUrl: string;
  readonly port: number;
  /** The PostgreSQL server version, e.g. `18.4`. */
  readonly version: string;
  /** The cluster's data directory (PGDATA). */
  readonly directory: string;
  /** False once the server process has exited (stopped, or died). */
  running(): boolean;
  /** Fast shutdown; resolves once the server has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface EmbeddedClusterOptions {
  /** INTERCHANGE_DATA_DIR: a directory, or `memory`. */
  dataDir: string;
  /** Where the server's warnings and errors go (our logger at warn and above). */
  log?: ServerLogSink;
  /** Durability off (fsync, full-page writes): for throwaway clusters. Default: memory only. */
  throwaway?: boolean;
  /** More server settings (`-c name=value`), e.g. max_connections for a test cluster. */
  settings?: Record<string, string>;
  /** Chooses the port to try (tests); a free loopback port by default. */
  pickPort?: () => Promise<number>;
}

export const appDatabase = 'interchange';

export { EmbeddedClusterError } from './errors.js';

export async function startEmbeddedCluster(
  options: EmbeddedClusterOptions,
): Promise<EmbeddedCluster> {
  const memory = options.dataDir === 'memory';
  const dataDir = memory ? undefined : resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  let lock: DataDirLock | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    refuseOldPgliteData(dataDir);
    lock = lockDataDir(dataDir);
  }
  try {
    const binaries = findBinaries();
    const user = serverUser();
    const base = dataDir ?? makeTempDir(user);
    const directory = join(base, 'postgres');
    if (user) {
      // The server user only passes through the data directory (secret.key and the password
      // file stay 0600) into its own `postgres/`.
      if (dataDir) chmodSync(dataDir, statSync(dataDir).mode | 0o001);
      assertReachable(user, [
        { path: binaries.postgres, what: 'the PostgreSQL binary', read: true },
        { path: base, what: 'the data directory' },
      ]);
    }
    const password = dataDir ? storedPassword(dataDir) : randomPassword();
    if (!existsSync(join(directory, 'PG_VERSION'))) {
      await initialise({ binaries, user, directory, password, fast: memory });
    } else {
      await stopLeftover(directory, log);
    }
    const throwaway = options.throwaway ?? memory;
    const server = await startServer({
      binaries,
      user,
      directory,
      removeOnExit: memory ? base : undefined,
      log,
      password,
      settings: {
        ...(throwaway && { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
        ...options.settings,
      },
      pickPort: options.pickPort ?? freePort,
    });
    const urlOf = (database: string) =>
      `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${database}`;
    let version = '';
    try {
      version = await ensureAppDatabase(urlOf('postgres'));
    } catch (error) {
      await server.stop();
      throw error;
    }
    let stopping: Promise<void> | undefined;
    return {
      url: urlOf(appDatabase),
      adminUrl: urlOf('postgres'),
      port: server.port,
      version,
      directory,
      running: server.running,
      stop: () => {
        stopping ??= server.stop().finally(() => lock?.release());
        return stopping;
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * The URL of a cluster another live Interchange process runs on this data directory, for a
 * command (backup, an admin command) that should use it rather than start its own.
 */
export function runningClusterUrl(dataDir: string): string | undefined {
  const dir = resolve(dataDir);
  if (!liveOwner(dir)) return undefined;
  const pidFile = readLines(join(dir, 'postgres', 'postmaster.pid'));
  const port = Number(pidFile?.[3]);
  const password = readLines(join(dir, passwordFileName))?.[0];
  if (!Number.isInteger(port) || port <= 0 || !password) return undefined;
  return `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/${appDatabase}`;
}

export const passwordFileName = 'postgres.password';

function storedPassword(dataDir: string): string {
  const file = join(dataDir, passwordFileName);
  const existing = readLines(file)?.[0];
  if (existing) return existing;
  const password = randomPassword();
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

function makeTempDir(user: ServerUser | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'interchange-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

async function ensureAppDatabase(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [appDatabase]);
    if (found.rowCount === 0) await client.query(`create database ${appDatabase}`);
    const { rows } = await client.query<{ v: string }>(
      `select current_setting('server_version') v`,
    );
    return rows[0]?.v ?? '';
  } finally {
    await client.end();
  }
}

/** For commands that need the cluster's directory without starting it (backup, restore). */
export function clusterDirectoryOf(dataDir: string): string {
  return join(resolve(dataDir), 'postgres');
}
