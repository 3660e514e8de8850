import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Child processes of `npm run compliance`: every one is tracked, so an error or Ctrl-C never
 * leaves a server (or its temp data directory) behind.
 */

/** The repository root: children run there. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

export const children = new Set<ChildProcess>();
/** Temp data directories of servers still running, removed once their server stops. */
export const dataDirs = new Set<string>();

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (or kills it after timeoutMs), collecting its output. */
export function runCommand(
  command: string,
  args: string[],
  timeoutMs: number,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env && { env: options.env }),
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[compliance] killed after ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running and removes the servers' temp data directories. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
