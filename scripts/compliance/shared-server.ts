import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirs, root, runCommand, tail } from './processes.js';

/**
 * What every job's server is made from, prepared once per run instead of once per job:
 *
 * - the server as `npm start` serves it: dist/, built by scripts/build-once.mjs only when the
 *   sources changed since it was last built (tsc --noCheck; `npm run check` checks the types), so
 *   in CI, where .ci/run built it before the suite, this costs nothing. Run as
 *   `node dist/main.js serve`, rather than through tsx on every start. build-once holds a lock,
 *   so an `npm start` in the same checkout never writes dist/ at the same time.
 * - a data directory template: `migrate` on an empty INTERCHANGE_DATA_DIR, which initialises the
 *   embedded cluster, applies every migration and stops it cleanly. Each job's server starts on a
 *   copy of it (freshDataDir), so it finds a migrated database with nothing in it and seeds the
 *   demo exactly as on a first start; the secret key is left out of the template so each server
 *   makes its own, as a first start does (the cluster's password file stays: it is the one the
 *   copied cluster was initialised with).
 */
export interface SharedServer {
  /** The compiled entry point (`<build>/main.js`). */
  main: string;
  /** The migrated, stopped data directory every job's server copies. */
  template: string;
}

const buildTimeoutMs = 600_000;
const migrateTimeoutMs = 240_000;

/**
 * The environment every server of the run gets, on its own data directory; `adminKey` is left
 * out for the template's `migrate` (scripts/compliance/shared-server.ts), which stores none.
 */
export function serverEnv(dataDir: string, adminKey?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // What the README recommends for deployments: the SDK then skips its own request and
    // response validation, so the storefront must hold up without it.
    NODE_ENV: 'production',
    // Storefront (b) is set up through the admin and seller REST API, as an operator would.
    ...(adminKey !== undefined && { INTERCHANGE_ADMIN_KEY: adminKey }),
    PORT: '0',
    HOST: '127.0.0.1',
    INTERCHANGE_DATA_DIR: dataDir,
    INTERCHANGE_DEMO: '1',
    // This script runs the storyboards itself, each on fresh state: the product's own runs
    // (on registration, on schedule) would book at the same sellers first.
    INTERCHANGE_COMPLIANCE_POLICY: 'off',
    INTERCHANGE_ALLOW_PRIVATE_NETWORK: '1',
    INTERCHANGE_LOG_LEVEL: 'warn',
    // The fuzzer sends hundreds of calls a minute from one IP with one key.
    INTERCHANGE_RATE_LIMIT: '1000000',
    INTERCHANGE_PUBLIC_RATE_LIMIT: '1000000',
    // @adcp/sdk refuses http:// push_notification_config URLs; the runner's receiver is loopback.
    ADCP_DECISIONING_ALLOW_HTTP_WEBHOOKS: '1',
  };
  // The demo seed runs only on the embedded database, and must print the keys it made.
  for (const name of ['DATABASE_URL', 'INTERCHANGE_PUBLIC_URL']) {
    delete env[name];
  }
  return env;
}

/** Builds dist/ if the sources changed since it was built; answers its entry point. */
export async function buildServer(): Promise<string> {
  const args = [join(root, 'scripts', 'build-once.mjs')];
  const exit = await runCommand(process.execPath, args, buildTimeoutMs);
  if (exit.code !== 0) {
    throw new Error(`scripts/build-once.mjs failed:\n${tail(exit.stdout + exit.stderr, 30)}`);
  }
  return join(root, 'dist', 'main.js');
}

/** Initialises and migrates the template data directory with the compiled server. */
export async function makeDataTemplate(main: string): Promise<string> {
  const template = mkdtempSync(join(tmpdir(), 'interchange-compliance-template-'));
  dataDirs.add(template);
  const exit = await runCommand(process.execPath, [main, 'migrate'], migrateTimeoutMs, {
    env: serverEnv(template),
  });
  if (exit.code !== 0) {
    throw new Error(`migrate on the template failed:\n${tail(exit.stdout + exit.stderr, 30)}`);
  }
  // A cluster stopped cleanly leaves no postmaster.pid; a copy of a running one is not a copy.
  if (
    !existsSync(join(template, 'postgres', 'PG_VERSION')) ||
    existsSync(join(template, 'postgres', 'postmaster.pid'))
  ) {
    throw new Error(`migrate left no stopped cluster in ${template}`);
  }
  rmSync(join(template, 'secret.key'), { force: true });
  return template;
}

/**
 * A job's own data directory: a copy of the template. `cp -a`, since run as root the cluster's
 * files belong to the `postgres` user that runs PostgreSQL and must stay so.
 */
export function freshDataDir(template: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'interchange-compliance-'));
  dataDirs.add(dataDir);
  execFileSync('cp', ['-a', `${template}/.`, dataDir]);
  return dataDir;
}
