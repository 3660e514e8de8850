import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEntry } from './support/server-process.js';

const run = promisify(execFile);

function cli(args: string[], env: Record<string, string>) {
  return run(process.execPath, [...cliEntry(), ...args], {
    env: { ...process.env, INTERCHANGE_LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

// Each step starts a process that starts (and migrates) its own embedded PostgreSQL: seconds each.
describe('interchange CLI', { timeout: 240_000 }, () => {
  it('migrates, creates a customer and a key on the embedded database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ix-cli-'));
    const env = { INTERCHANGE_DATA_DIR: dir };
    expect((await cli(['migrate'], env)).stdout).toContain('migrations applied');
    const customer = JSON.parse(
      (
        await cli(
          [
            'admin',
            'create-customer',
            '--name',
            'CLI Pub',
            '--role',
            'seller',
            '--domain',
            'cli.example',
          ],
          env,
        )
      ).stdout,
    );
    expect(customer).toMatchObject({
      name: 'CLI Pub',
      customerRole: 'SELLER',
      customerDomain: 'cli.example',
    });
    const key = JSON.parse(
      (await cli(['admin', 'create-key', '--customer', String(customer.id)], env)).stdout,
    );
    expect(key.key).toMatch(/^ix_/);
    expect(key.customerId).toBe(customer.id);
  });

  it('stops with one line naming a bad variable', async () => {
    const error: unknown = await cli(['migrate'], { PORT: 'eighty' }).catch((e: unknown) => e);
    expect((error as { code: number }).code).toBe(1);
    const stderr = (error as { stderr: string }).stderr.trim();
    expect(stderr.split('\n').filter((l) => l.startsWith('interchange:'))).toEqual([
      expect.stringMatching(/^interchange: PORT: /),
    ]);
  });

  it('serves on the embedded database, seeds the demo once, answers probes, and exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ix-serve-'));
    const start = async () => {
      // Node itself, not the tsx wrapper, so signals reach the server and nothing is orphaned.
      const child = spawn(process.execPath, [...cliEntry(), 'serve'], {
        env: {
          ...process.env,
          INTERCHANGE_DATA_DIR: dir,
          PORT: '0',
          INTERCHANGE_LOG_LEVEL: 'warn',
        },
      });
      children.push(child);
      let out = '';
      child.stdout.on('data', (d) => (out += d.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 90_000);
        child.stdout.on('data', () => {
          // The server prints Ready. once migrations, the demo seed and listening are done.
          if (out.includes('\nReady.\n')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1] as string;
      return { child, url, output: () => out };
    };

    const first = await start();
    expect(first.output()).toMatch(/Platform admin key \(shown once, stored hashed\): ix_/);
    expect(first.output()).toContain('Demo workspace created');
    expect(first.output()).toMatch(
      /Storefront "Demo Publisher" \(demo-publisher\) is listed and TRANSACTING/,
    );
    const sellerKey = /Seller .* key: (ix_\S+)/.exec(first.output())?.[1] as string;
    const joinUrl = /Join page \(auto-approve\): (\S+)/.exec(first.output())?.[1] as string;
    expect((await fetch(joinUrl)).status).toBe(200);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${first.url}/ready`)).json()).toEqual({
      status: 'ready',
      database: { kind: 'embedded', version: expect.any(String) },
    });
    const me = await fetch(`${first.url}/api/v2/accounts/current`, {
      headers: { authorization: `Bearer ${sellerKey}` },
    });
    const body = (await me.json()) as { data: { customerRole: string } };
    expect(body.data.customerRole).toBe('SELLER');
    const exited = new Promise<number | null>((r) => first.child.on('exit', (code) => r(code)));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // A second start on the same data keeps the data and prints no new keys.
    const second = await start();
    expect(second.output()).not.toContain('Demo workspace created');
    expect(second.output()).not.toContain('Platform admin key');
    const again = await fetch(`${second.url}/api/v2/accounts/current`, {
      headers: { authorization: `Bearer ${sellerKey}` },
    });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
  });
});
