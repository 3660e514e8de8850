import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { children, dataDirs, root, stopChild, tail } from './processes.js';
import { freshDataDir, serverEnv, type SharedServer } from './shared-server.js';

export const protocols = ['mcp', 'a2a'] as const;
export type Protocol = (typeof protocols)[number];

// Generous: CI machines (2 cores) start several servers at once.
const serverStartTimeoutMs = 240_000;

export interface Server {
  baseUrl: string;
  adminKey: string;
  demoAgentMcpUrl: string | undefined;
  storefrontPlatformId: string | undefined;
  startMs: number;
  /** Everything the server printed (startup lines and warn-level logs). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A server of its own for one job: the run's compiled server (`node <build>/main.js serve`)
 * on a fresh copy of the migrated, empty data directory (shared-server.ts), so it seeds the
 * demo and makes its admin and secret keys as a first start does. `extraEnv` adds to its
 * environment (a fake third party's URLs, which the server reads at start).
 */
export async function startServer(
  shared: SharedServer,
  extraEnv: Record<string, string> = {},
): Promise<Server> {
  const started = Date.now();
  const dataDir = freshDataDir(shared.template);
  const adminKey = randomBytes(24).toString('base64url');
  const env = { ...serverEnv(dataDir, adminKey), ...extraEnv };
  const child = spawn(process.execPath, [shared.main, 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('exit', () => children.delete(child));
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
    dataDirs.delete(dataDir);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "Ready." within ${serverStartTimeoutMs / 1000} s`)),
        serverStartTimeoutMs,
      );
      const check = () => {
        if (/^Ready\.$/m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before "Ready."`));
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${tail(output, 40)}`);
  }

  const match = (pattern: RegExp) => pattern.exec(output)?.[1];
  const baseUrl = match(/Interchange is listening on (\S+)/);
  if (!baseUrl) {
    await stop();
    throw new Error(`the server did not print its URL\n${tail(output, 40)}`);
  }
  return {
    baseUrl,
    adminKey,
    demoAgentMcpUrl: match(/Demo AdCP sales agent: (\S+)/),
    storefrontPlatformId: match(/Storefront ".*" \((\S+)\) is listed/),
    startMs: Date.now() - started,
    output: () => output,
    stop,
  };
}

export interface Target {
  url: string;
  auth: string | undefined;
}
