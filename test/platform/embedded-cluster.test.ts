import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parentPid,
  postgresProcessesOn,
  runCli,
  spawnServerProcess,
  startServerProcess,
  stopServerProcesses,
  tempDataDir,
  waitFor,
} from '../support/server-process.js';

/**
 * The embedded PostgreSQL's life as an operator meets it, on real server processes: first start,
 * SIGTERM, kill -9 (of the server, and of the server with the cluster's keeper), two servers on
 * one data directory, a port already taken, a stale pid file, and the throwaway memory mode.
 */
afterAll(stopServerProcesses);

const adminKey = `ix_test_admin_${randomBytes(16).toString('hex')}`;
const env = { INTERCHANGE_ADMIN_KEY: adminKey };

async function createCustomer(url: string, name: string): Promise<number> {
  const res = await fetch(`${url}/api/v2/admin/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, customerRole: 'BUYER', customerDomain: `${name}.example` }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { id: number } }).data.id;
}

async function customerName(url: string, id: number): Promise<string | undefined> {
  const res = await fetch(`${url}/api/v2/admin/customers/${id}`, {
    headers: { authorization: `Bearer ${adminKey}` },
  });
  if (res.status !== 200) return undefined;
  return ((await res.json()) as { data: { name: string } }).data.name;
}

const childrenOf = (pid: number) =>
  readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => parentPid(p) === pid);

const newDataDir = () => tempDataDir('ix-cluster-');

let template: Promise<string> | undefined;
/**
 * A data directory as a first start leaves it (initialised, migrated, cluster stopped): made once
 * by `interchange migrate`, then copied (`cp -a`, which keeps the cluster's owner when run as
 * root), for the cases about what happens after a first start. The first start itself is the
 * first case's, on an empty directory: initdb and the migrations run twice in the file, not six
 * times.
 */
async function startedDataDir(): Promise<string> {
  template ??= (async () => {
    const dir = newDataDir();
    const migrated = await runCli(['migrate'], { INTERCHANGE_DATA_DIR: dir });
    if (migrated.code !== 0) throw new Error(`migrate: ${migrated.stdout}${migrated.stderr}`);
    return dir;
  })();
  const dataDir = newDataDir();
  execFileSync('cp', ['-a', `${await template}/.`, dataDir]);
  return dataDir;
}

describe('the embedded PostgreSQL', { timeout: 180_000 }, () => {
  it('initialises on first start, reports itself on /ready, and stops with the server on SIGTERM', async () => {
    const dataDir = newDataDir();
    const server = await startServerProcess({ dataDir, env });
    expect(server.output()).toMatch(/listening on http:\S+ \(PostgreSQL \d+\.\d+, embedded\)/);
    expect(await (await fetch(`${server.url}/ready`)).json()).toEqual({
      status: 'ready',
      database: { kind: 'embedded', version: expect.stringMatching(/^18\./) },
    });
    const id = await createCustomer(server.url, 'sigterm');
    expect(postgresProcessesOn(dataDir)).toHaveLength(1);
    expect(existsSync(join(dataDir, 'interchange.lock'))).toBe(true);
    // On failure the server's own output says why it did not exit cleanly.
    const exit = await server.kill('SIGTERM');
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    // Stopped before the server exited, not merely on its way down.
    expect(postgresProcessesOn(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'interchange.lock'))).toBe(false);
    // The embedded server's own log lines never reach the terminal.
    expect(server.output()).not.toMatch(/database system is|LOG: /);

    const again = await startServerProcess({ dataDir, env });
    expect(await customerName(again.url, id)).toBe('sigterm');
    await again.kill('SIGTERM');
  });

  it('after kill -9 of the server, a start on the same data finds everything and leaves no orphan', async () => {
    const dataDir = await startedDataDir();
    const first = await startServerProcess({ dataDir, env });
    const id = await createCustomer(first.url, 'killed');
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await startServerProcess({ dataDir, env });
    expect(await customerName(second.url, id)).toBe('killed');
    expect(postgresProcessesOn(dataDir)).toHaveLength(1);
    await second.kill('SIGTERM');
    expect(postgresProcessesOn(dataDir)).toEqual([]);
  });

  it('a cluster left running (server and keeper killed -9) is stopped cleanly and started anew', async () => {
    const dataDir = await startedDataDir();
    const first = await startServerProcess({ dataDir, env });
    const id = await createCustomer(first.url, 'orphaned');
    const [postmaster] = postgresProcessesOn(dataDir);
    const keeper = parentPid(postmaster!)!;
    expect(keeper).not.toBe(first.pid);
    // The keeper and its stdin watcher, everything of it but PostgreSQL itself. The watcher
    // goes first: once the keeper is gone the server closes the keeper's stdin, and a watcher
    // still alive to read that would stop PostgreSQL (under load the test lost that race).
    for (const pid of [...childrenOf(keeper).filter((p) => p !== postmaster), keeper])
      process.kill(pid, 'SIGKILL');
    await waitFor(() => childrenOf(keeper).length === 0, 5_000);
    await first.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    // Nothing is left to stop it: it runs on, orphaned.
    expect(postgresProcessesOn(dataDir)).toEqual([postmaster]);

    const second = await startServerProcess({ dataDir, env });
    expect(second.output()).toMatch(/left running .* is being stopped/);
    expect(await customerName(second.url, id)).toBe('orphaned');
    const now = postgresProcessesOn(dataDir);
    expect(now).toHaveLength(1);
    expect(now).not.toContain(postmaster);
    await second.kill('SIGTERM');
    expect(postgresProcessesOn(dataDir)).toEqual([]);
  });

  it('refuses a second server on the same data directory with one line, and the first serves on', async () => {
    const dataDir = await startedDataDir();
    const first = await startServerProcess({ dataDir, env });
    const second = spawnServerProcess({ dataDir, env });
    expect((await second.exited).code).toBe(1);
    const lines = second.output().trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^interchange: the data directory .* is in use by another Interchange process \\(pid ${first.pid}\\)`,
        ),
      ),
    ]);
    expect((await fetch(`${first.url}/ready`)).status).toBe(200);
    expect(postgresProcessesOn(dataDir)).toHaveLength(1);
    await first.kill('SIGTERM');
  });

  it('with its port taken, says so in one line, stops the cluster it started, and starts later', async () => {
    const dataDir = await startedDataDir();
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const server = spawnServerProcess({ dataDir, env: { ...env, PORT: String(port) } });
      expect((await server.exited).code).toBe(1);
      expect(server.output().trim()).toBe(`interchange: PORT: 127.0.0.1:${port} is already in use`);
      expect(postgresProcessesOn(dataDir)).toEqual([]);
      expect(existsSync(join(dataDir, 'interchange.lock'))).toBe(false);
    } finally {
      taken.close();
    }
    const later = await startServerProcess({ dataDir, env });
    await later.kill('SIGTERM');
  });

  it('starts past a stale postmaster.pid naming a live process that is not PostgreSQL', async () => {
    const dataDir = await startedDataDir();
    const first = await startServerProcess({ dataDir, env });
    const id = await createCustomer(first.url, 'stale');
    await first.kill('SIGTERM');
    // As after a power loss: the pid file stays, and its pid now belongs to someone else (us).
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    writeFileSync(pidFile, `${process.pid}\n${join(dataDir, 'postgres')}\n0\n5432\n\n127.0.0.1\n`);
    const second = await startServerProcess({ dataDir, env });
    expect(await customerName(second.url, id)).toBe('stale');
    await second.kill('SIGTERM');
  });

  it('memory mode leaves no directory behind, after SIGTERM and after kill -9', async () => {
    // The server gets a temporary directory of its own, so that memory-mode clusters other
    // processes start at the same time (other test files, other checkouts) are not counted.
    const ownTmp = mkdtempSync(join(tmpdir(), 'ix-memory-mode-'));
    chmodSync(ownTmp, 0o1777); // as /tmp: the cluster's own user (when run as root) goes in too
    const clusters = () =>
      new Set(
        readdirSync(ownTmp).filter(
          (n) => n.startsWith('interchange-pg-') && !n.startsWith('interchange-pg-libs-'),
        ),
      );
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const before = clusters();
      const server = await startServerProcess({
        env: { ...env, INTERCHANGE_DATA_DIR: 'memory', TMPDIR: ownTmp },
      });
      const mine = [...clusters()].filter((n) => !before.has(n));
      expect(mine).toHaveLength(1);
      const dir = join(ownTmp, mine[0]!);
      expect(postgresProcessesOn(dir)).toHaveLength(1);
      await server.kill(signal);
      expect(await waitFor(() => !existsSync(dir), 20_000)).toBe(true);
      expect(postgresProcessesOn(dir)).toEqual([]);
    }
    rmSync(ownTmp, { recursive: true, force: true });
  });
});
