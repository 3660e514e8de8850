import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import pg from 'pg';
import * as tar from 'tar';
import {
  clusterDirectoryOf,
  passwordFileName,
  runningClusterUrl,
  startEmbeddedCluster,
} from './cluster.js';
import { liveOwner } from './data-dir-lock.js';
import { refuseOldPgliteData } from './pglite-data.js';
import { serverUser } from './server-user.js';

/**
 * `interchange db backup` and `db restore` for the embedded cluster: a physical backup taken
 * while the cluster serves (PostgreSQL's low-level backup API: pg_backup_start, a copy of the
 * data directory, pg_backup_stop, and the WAL written meanwhile, kept by a temporary replication
 * slot), packed with the data directory's secret key and the cluster's password into one
 * .tar.gz. A restore unpacks it into a new data directory; PostgreSQL replays the WAL on first
 * start and the cluster is exactly as it was when the backup ended.
 *
 * The embedded binaries carry no pg_dump, so a backup is tied to PostgreSQL's major version;
 * moving to another server (DATABASE_URL) goes through pg_dump against the running cluster
 * (`interchange db url`), as the README says.
 */
export interface BackupResult {
  file: string;
  bytes: number;
  /** Whether the data directory's secret key went into the backup. */
  withSecretKey: boolean;
}

const secretKeyFile = 'secret.key';
const walSegment = /^[0-9A-F]{24}$/;
// Contents PostgreSQL rebuilds at start, or that belong to the running server only.
const skipFiles = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'backup_label.old',
  'tablespace_map',
  'current_logfiles',
  'pg_internal.init',
]);
const emptyDirs = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);

export async function backupDataDir(dataDir: string, file: string): Promise<BackupResult> {
  const dir = resolve(dataDir);
  refuseOldPgliteData(dir);
  const cluster = clusterDirectoryOf(dir);
  if (!existsSync(join(cluster, 'PG_VERSION')))
    throw new Error(`${dir} holds no embedded PostgreSQL cluster to back up`);
  // The running server's cluster when Interchange is up; otherwise one started for the backup.
  const url = runningClusterUrl(dir);
  const own = url ? undefined : await startEmbeddedCluster({ dataDir: dir });
  const staging = mkdtempSync(join(dirname(resolve(file)), '.interchange-backup-'));
  try {
    await copyLive(url ?? own!.url, cluster, join(staging, 'postgres'));
    for (const name of [secretKeyFile, passwordFileName]) {
      if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(staging, name));
    }
    const entries = readdirSync(staging);
    await tar.create({ gzip: true, file: resolve(file), cwd: staging, portable: true }, entries);
    return {
      file: resolve(file),
      bytes: statSync(file).size,
      withSecretKey: entries.includes(secretKeyFile),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await own?.stop();
  }
}

async function copyLive(url: string, cluster: string, target: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Keeps every WAL segment from here on until this session ends.
    await client.query('select pg_create_physical_replication_slot($1, true, true)', [
      `interchange_backup_${process.pid}`,
    ]);
    const started = await client.query<{ lsn: string }>(
      `select pg_backup_start('interchange db backup', true) lsn`,
    );
    copyTree(cluster, target, '');
    const stopped = await client.query<{
      labelfile: string;
      spcmapfile: string | null;
      lsn: string;
    }>('select labelfile, spcmapfile, lsn from pg_backup_stop(false)');
    const done = stopped.rows[0]!;
    writeFileSync(join(target, 'backup_label'), done.labelfile);
    if (done.spcmapfile) writeFileSync(join(target, 'tablespace_map'), done.spcmapfile);
    // Finish the segment holding the backup's end, then copy the WAL from its start to its end.
    await client.query('select pg_switch_wal()');
    const names = await client.query<{ first: string; last: string }>(
      'select pg_walfile_name($1) first, pg_walfile_name($2) last',
      [started.rows[0]!.lsn, done.lsn],
    );
    const { first, last } = names.rows[0]!;
    const wal = join(cluster, 'pg_wal');
    for (const name of readdirSync(wal)) {
      const keep =
        (walSegment.test(name) && name >= first && name <= last) || name.endsWith('.history');
      if (keep) copyFileSync(join(wal, name), join(target, 'pg_wal', name));
    }
  } finally {
    await client.end();
  }
}

/** Copies a live data directory; files that vanish meanwhile are skipped (WAL replay settles them). */
function copyTree(from: string, to: string, rel: string): void {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (skipFiles.has(entry.name) || entry.name.startsWith('pgsql_tmp')) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      if (emptyDirs.has(path)) mkdirSync(target, { mode: 0o700 });
      else copyTree(source, target, path);
    } else if (entry.isFile()) {
      try {
        copyFileSync(source, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}

export interface RestoreResult {
  dataDir: string;
  version: string;
  withSecretKey: boolean;
}

/**
 * Unpacks a backup into a data directory that has no cluster yet, then starts the cluster once
 * (replaying the backup's WAL) to check it, and stops it.
 */
export async function restoreDataDir(file: string, dataDir: string): Promise<RestoreResult> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (liveOwner(dir)) throw new Error(`${dir} is in use by a running Interchange: stop it first`);
  const cluster = clusterDirectoryOf(dir);
  if (existsSync(cluster))
    throw new Error(
      `${dir} already holds a cluster (${relative(process.cwd(), cluster) || cluster}); ` +
        'restore into a new data directory, or move that one aside first',
    );
  const staging = mkdtempSync(join(dir, '.restoring-'));
  try {
    await tar.extract({ file: resolve(file), cwd: staging, preserveOwner: false });
    if (
      !existsSync(join(staging, 'postgres', 'PG_VERSION')) ||
      !existsSync(join(staging, 'postgres', 'backup_label'))
    )
      throw new Error(
        `${file} is not an Interchange backup (no postgres/PG_VERSION and backup_label)`,
      );
    const keyOf = (d: string) =>
      existsSync(join(d, secretKeyFile)) ? readFileSync(join(d, secretKeyFile), 'utf8') : undefined;
    const backupKey = keyOf(staging);
    const currentKey = keyOf(dir);
    if (backupKey && currentKey && backupKey !== currentKey)
      throw new Error(
        `${dir} has a secret.key other than the backup's; the backup's data is encrypted with its own: ` +
          'restore into a new data directory',
      );
    if (backupKey && !currentKey)
      writeFileSync(join(dir, secretKeyFile), backupKey, { mode: 0o600 });
    const password = readFileSync(join(staging, passwordFileName), 'utf8');
    writeFileSync(join(dir, passwordFileName), password, { mode: 0o600 });
    const user = serverUser();
    ownTree(join(staging, 'postgres'), user);
    renameSync(join(staging, 'postgres'), cluster);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const started = await startEmbeddedCluster({ dataDir: dir });
  const version = started.version;
  await started.stop();
  return { dataDir: dir, version, withSecretKey: existsSync(join(dir, secretKeyFile)) };
}

/** PostgreSQL wants its directory 0700 and owned by the user it runs as. */
function ownTree(path: string, user: { uid: number; gid: number } | undefined): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    chmodSync(path, 0o700);
    for (const name of readdirSync(path)) ownTree(join(path, name), user);
  } else {
    chmodSync(path, 0o600);
  }
  if (user) chownSync(path, user.uid, user.gid);
}
