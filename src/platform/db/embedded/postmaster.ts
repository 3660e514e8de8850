import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import type { PgBinaries } from './binaries.js';
import { readLines, serverEnv, sleep, superuser } from './common.js';
import { EmbeddedClusterError } from './errors.js';
import { createServerLogParser, type ServerLogSink } from './server-log.js';
import type { ServerUser } from './server-user.js';

/**
 * Runs `postgres` on a cluster under the keeper (see cluster.ts) on a free loopback port, and
 * waits until it takes connections.
 */
const startTimeoutMs = 60_000;
const stopTimeoutMs = 60_000;

// $1 the postgres binary, $2 PGDATA, $3 a directory to remove once the server has exited (or
// empty), then the server's own arguments. The watcher reads stdin (fd 3, since a background
// job's stdin is /dev/null) until it closes, then asks for a fast shutdown.
const keeperScript = `
pg=$1; data=$2; remove=$3; shift 3
"$pg" -D "$data" "$@" &
pid=$!
exec 3<&0
( while IFS= read -r _ <&3; do :; done; kill -INT "$pid" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$pid"
status=$?
kill "$watcher" 2>/dev/null
[ -n "$remove" ] && rm -rf "$remove"
exit "$status"
`;

export interface ServerOptions {
  binaries: PgBinaries;
  user: ServerUser | undefined;
  directory: string;
  removeOnExit: string | undefined;
  log: ServerLogSink;
  password: string;
  settings: Record<string, string>;
  pickPort: () => Promise<number>;
}

export interface Server {
  port: number;
  running(): boolean;
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<Server> {
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await options.pickPort();
    const started = await startOn(port, options);
    if ('server' in started) return started.server;
    lastError = started.output;
    // Someone took the port between our check and the server's bind: try another.
    if (
      !/could not bind|address already in use|could not create any TCP\/IP sockets/i.test(lastError)
    )
      break;
  }
  if (options.removeOnExit) rmSync(options.removeOnExit, { recursive: true, force: true });
  throw new EmbeddedClusterError(`PostgreSQL did not start: ${lastError.trim().slice(-2000)}`);
}

async function startOn(
  port: number,
  { binaries, user, directory, removeOnExit, log, password, settings }: ServerOptions,
): Promise<{ server: Server } | { output: string }> {
  const all: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: '',
    log_line_prefix: '%e|',
    log_min_messages: 'warning',
    log_min_error_statement: 'panic',
    lc_messages: 'C',
    ...settings,
  };
  const args = Object.entries(all).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const keeper = spawn(
    '/bin/sh',
    [
      '-c',
      keeperScript,
      'interchange-postgres',
      binaries.postgres,
      directory,
      removeOnExit ?? '',
      ...args,
    ],
    {
      cwd: directory,
      env: serverEnv(binaries),
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      ...(user && { uid: user.uid, gid: user.gid }),
    },
  );
  let output = '';
  let ready = false;
  const parse = createServerLogParser(log);
  keeper.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    if (!ready) output += text;
    parse(text);
  });
  let alive = true;
  const exit = new Promise<number | null>((r) =>
    keeper.on('exit', (code) => {
      alive = false;
      r(code);
    }),
  );
  // A stop request is a closed pipe; an EPIPE on it (the keeper already gone) is not an error.
  keeper.stdin.on('error', () => undefined);

  const url = `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + startTimeoutMs;
  while (alive && Date.now() < deadline) {
    if (await accepting(url)) {
      ready = true;
      break;
    }
    await Promise.race([sleep(50), exit]);
  }
  if (!ready) {
    keeper.stdin.end();
    if (alive) {
      const timer = setTimeout(() => keeper.kill('SIGKILL'), stopTimeoutMs);
      await exit;
      clearTimeout(timer);
    }
    return { output: output || `no answer on port ${port} within ${startTimeoutMs / 1000} s` };
  }
  keeper.on('exit', (code, signal) => {
    if (!stopping)
      log('error', `embedded PostgreSQL exited unexpectedly (code ${code}, signal ${signal})`);
  });
  let stopping = false;
  return {
    server: {
      port,
      running: () => alive,
      stop: async () => {
        stopping = true;
        if (!alive) return;
        keeper.stdin.end();
        const timer = setTimeout(() => {
          // A server that will not stop: an immediate shutdown, then the keeper goes too.
          const pid = Number(readLines(join(directory, 'postmaster.pid'))?.[0]);
          if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGQUIT');
        }, stopTimeoutMs);
        await exit;
        clearTimeout(timer);
      },
    },
  };
}

/** Whether the server takes a connection yet. */
async function accepting(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePromise(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
