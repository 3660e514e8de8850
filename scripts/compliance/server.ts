import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { children, dataDirs, root, stopChild, tail } from './processes.js';

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

export async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'interchange-compliance-'));
  dataDirs.add(dataDir);
  const started = Date.now();
  const adminKey = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // What the README recommends for deployments: the SDK then skips its own request and
    // response validation, so the storefront must hold up without it.
    NODE_ENV: 'production',
    // Storefront (b) is set up through the admin and seller REST API, as an operator would.
    INTERCHANGE_ADMIN_KEY: adminKey,
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
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
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
