import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isFresh } from '../../scripts/build-once.mjs';

/**
 * The real server as a child process (`node dist/main.js serve` when dist/ is built from these
 * sources, else `node --import tsx src/main.ts serve`: builtEntry below), for tests that
 * need a process to signal, kill -9 or restart: on its own embedded cluster under a data
 * directory (the default: a new temp directory; pass one to restart on the same data), or on a
 * database of the test run's cluster (`databaseUrl`, from createTestDatabase in test/harness.ts).
 *
 *   const server = await startServerProcess({ dataDir });   // waits for "Ready."
 *   await fetch(`${server.url}/ready`);
 *   await server.kill('SIGKILL');                           // resolves once it has exited
 *   afterAll(stopServerProcesses);
 */
export interface ServerProcessOptions {
  /** INTERCHANGE_DATA_DIR; a new temp directory when neither this nor databaseUrl is given. */
  dataDir?: string;
  /** DATABASE_URL: serve from this database instead of an embedded cluster. */
  databaseUrl?: string;
  /** More environment (PORT defaults to 0, the demo seed to off, logs to warn). */
  env?: Record<string, string>;
  /** How long to wait for "Ready." (default 90 s: a first start runs initdb and migrations). */
  readyTimeoutMs?: number;
  /**
   * Serve this checkout's build (`node dist/main.js serve` there, NODE_ENV=production, as an
   * operator runs it; `npm run build` first) instead of this tree's sources through tsx.
   */
  builtCheckout?: string;
  /** Flags for node itself (`--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedServer {
  child: ChildProcessByStdio<null, Readable, Readable>;
  pid: number;
  dataDir: string | undefined;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<Exit>;
  /** Resolves with its base URL once it printed "Ready."; rejects if it exits or times out. */
  ready(): Promise<string>;
  /** Sends the signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface ServerProcess extends SpawnedServer {
  url: string;
}

const root = resolve(import.meta.dirname, '../..');

let builtFromSources: boolean | undefined;
/**
 * Whether this tree's dist/ was built from its sources as they are now (scripts/build-once.mjs:
 * `npm start` builds it, and so does .ci/run before the suite). Then a spawned server or CLI runs
 * `node dist/main.js`, the code `npm start` serves, instead of compiling every module through tsx
 * on each start (most of a start's time on two cores); otherwise tsx, as before. Asked once per
 * worker: the sources do not change under a test run.
 */
function builtEntry(): string[] | undefined {
  builtFromSources ??= process.env['INTERCHANGE_TEST_FROM_SOURCES'] !== '1' && isFresh();
  return builtFromSources ? [join(root, 'dist/main.js')] : undefined;
}

/** Node's arguments before the CLI's own: `interchange` as this tree runs it (builtEntry). */
export function cliEntry(): string[] {
  return builtEntry() ?? ['--import', 'tsx', join(root, 'src/main.ts')];
}
const running = new Set<SpawnedServer>();
const tempDirs = new Set<string>();

/** A new temporary directory (a data directory, a place for a backup), removed by stopServerProcesses. */
export function tempDataDir(prefix = 'ix-server-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function spawnServerProcess(options: ServerProcessOptions = {}): SpawnedServer {
  let dataDir = options.dataDir;
  if (!dataDir && !options.databaseUrl) dataDir = tempDataDir();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    INTERCHANGE_DEMO: '0',
    INTERCHANGE_LOG_LEVEL: 'warn',
    INTERCHANGE_ALLOW_PRIVATE_NETWORK: '1',
  };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (dataDir) env.INTERCHANGE_DATA_DIR = dataDir;
  if (options.builtCheckout) env.NODE_ENV = 'production';
  Object.assign(env, options.env);
  // Node itself, not the tsx wrapper, so signals reach the server and nothing is orphaned.
  const entry = options.builtCheckout ? ['dist/main.js'] : cliEntry();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, 'serve'], {
    cwd: options.builtCheckout ? resolve(options.builtCheckout) : root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<Exit>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const server: SpawnedServer = {
    child,
    pid: child.pid!,
    dataDir,
    output: () => text,
    exited,
    ready: () =>
      new Promise<string>((resolvePromise, reject) => {
        const timeoutMs = options.readyTimeoutMs ?? 90_000;
        const timer = setTimeout(
          () => reject(new Error(`no "Ready." within ${timeoutMs / 1000} s:\n${text}`)),
          timeoutMs,
        );
        const check = () => {
          if (!/^Ready\.$/m.test(text)) return;
          clearTimeout(timer);
          const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
          if (url) resolvePromise(url);
          else reject(new Error(`no URL printed:\n${text}`));
        };
        child.stdout.on('data', check);
        check();
        void exited.then((e) => {
          clearTimeout(timer);
          reject(new Error(`server exited (${e.code ?? e.signal}) before "Ready.":\n${text}`));
        });
      }),
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  running.add(server);
  void exited.then(() => running.delete(server));
  return server;
}

export async function startServerProcess(
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const server = spawnServerProcess(options);
  try {
    return { ...server, url: await server.ready() };
  } catch (error) {
    await server.kill('SIGKILL');
    throw error;
  }
}

/** Kills every server still running and waits for them to exit; the directories stay. */
export async function killServerProcesses(): Promise<void> {
  await Promise.all([...running].map((s) => s.kill('SIGKILL')));
}

/**
 * For afterAll: kills every server still running and removes the temporary directories, once no
 * PostgreSQL runs on them (up to 30 s each): a cluster the test process started itself under one
 * (scripts/fleet) must be stopped before this, or this waits the 30 s out.
 */
export async function stopServerProcesses(): Promise<void> {
  await killServerProcesses();
  // Their keepers stop the clusters once the servers are gone; then the directories can go.
  for (const dir of tempDirs) {
    await waitFor(() => postgresProcessesOn(dir).length === 0, 30_000);
    rmSync(dir, { recursive: true, force: true });
  }
  tempDirs.clear();
}

/** Pids of PostgreSQL server processes whose data directory lies under `dir` (Linux /proc). */
export function postgresProcessesOn(dir: string): number[] {
  const target = resolve(dir);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const d = argv.indexOf('-D');
    if (argv[0]?.endsWith('/postgres') && d > 0 && argv[d + 1]?.startsWith(target)) {
      pids.push(Number(name));
    }
  }
  // A backend just forked keeps its postmaster's command line until it renames itself; after
  // the pid counter wraps it can even come first. Only a process whose parent is not one of
  // these is a postmaster.
  return pids.filter((pid) => !pids.includes(parentPid(pid) ?? -1));
}

/** The parent's pid of a process (Linux /proc); undefined once it is gone. */
export function parentPid(pid: number): number | undefined {
  try {
    // The command in parentheses may hold spaces; the parent's pid is the second field after it.
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return undefined;
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/**
 * Runs `interchange <args>` (dist/main.js when built from these sources, else src/main.ts through
 * tsx) to completion; never throws on exit codes.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, INTERCHANGE_LOG_LEVEL: 'warn' };
  delete childEnv.DATABASE_URL;
  delete childEnv.TEST_DATABASE_URL;
  Object.assign(childEnv, env);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...cliEntry(), ...args], {
      cwd: root,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
