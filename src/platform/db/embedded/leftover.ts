import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readLines, sleep } from './common.js';
import { EmbeddedClusterError } from './errors.js';
import { commandOf, isAlive } from './process-check.js';
import type { ServerLogSink } from './server-log.js';

/**
 * A server still running on this cluster (its Interchange was killed and its keeper too, or the
 * keeper is still shutting it down) is asked to stop, and waited for; a postmaster.pid naming a
 * process that is not PostgreSQL (a pid reused after a crash) is removed, since PostgreSQL itself
 * would refuse to start on it.
 */
export async function stopLeftover(directory: string, log: ServerLogSink): Promise<void> {
  const pidFile = join(directory, 'postmaster.pid');
  const lines = readLines(pidFile);
  if (!lines) return;
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const command = commandOf(pid);
  // Not this cluster's server (where the command line can be read): a reused pid.
  if (command !== undefined && !(/postgres/.test(command) && command.includes(directory))) {
    rmSync(pidFile, { force: true });
    return;
  }
  log('warn', `a PostgreSQL server left running on ${directory} (pid ${pid}) is being stopped`);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGKILL'];
  for (const signal of signals) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await exited(pid, signal === 'SIGINT' ? 30_000 : 10_000)) return;
  }
  throw new EmbeddedClusterError(`the PostgreSQL server left running (pid ${pid}) did not stop`);
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}
