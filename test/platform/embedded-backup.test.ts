import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  runCli,
  startServerProcess,
  stopServerProcesses,
  tempDataDir,
} from '../support/server-process.js';

/**
 * `interchange db backup` taken while the server runs, then `db restore` into a new data
 * directory: a server started on it answers as the original did at the backup, keys included.
 */
afterAll(stopServerProcesses);

const adminKey = `ix_test_admin_${randomBytes(16).toString('hex')}`;
const env = { INTERCHANGE_ADMIN_KEY: adminKey };
const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };

async function post(url: string, path: string, body: unknown, headers = admin) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data: Record<string, unknown> } };
}

describe('interchange db backup and restore', { timeout: 240_000 }, () => {
  it('restores a backup taken while serving into a new data directory that answers the same', async () => {
    const original = tempDataDir('ix-backup-a-');
    const server = await startServerProcess({ dataDir: original, env });
    const buyer = await post(server.url, '/api/v2/admin/customers', {
      name: 'Backed Up',
      customerRole: 'BUYER',
      customerDomain: 'backed-up.example',
    });
    expect(buyer.status).toBe(201);
    const key = await post(
      server.url,
      `/api/v2/admin/customers/${buyer.body.data.id}/api-keys`,
      {},
    );
    expect(key.status).toBe(201);
    const buyerKey = key.body.data.key as string;
    const current = async (url: string) => {
      const res = await fetch(`${url}/api/v2/accounts/current`, {
        headers: { authorization: `Bearer ${buyerKey}` },
      });
      return { status: res.status, data: ((await res.json()) as { data: unknown }).data };
    };
    const before = await current(server.url);
    expect(before.status).toBe(200);

    const file = join(tempDataDir('ix-backup-file-'), 'interchange.tar.gz');
    const backup = await runCli(['db', 'backup', file], { INTERCHANGE_DATA_DIR: original });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`backup written: ${file}`);
    // Written after the backup: not in it.
    const later = await post(server.url, '/api/v2/admin/customers', {
      name: 'After The Backup',
      customerRole: 'BUYER',
      customerDomain: 'after.example',
    });
    expect(later.status).toBe(201);
    await server.kill('SIGTERM');

    const copy = tempDataDir('ix-backup-b-');
    const restore = await runCli(['db', 'restore', file], { INTERCHANGE_DATA_DIR: copy });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(existsSync(join(copy, 'secret.key'))).toBe(true);

    const restored = await startServerProcess({ dataDir: copy, env });
    expect(await current(restored.url)).toEqual(before);
    const missing = await fetch(`${restored.url}/api/v2/admin/customers/${later.body.data.id}`, {
      headers: admin,
    });
    expect(missing.status).toBe(404);
    await restored.kill('SIGTERM');

    // A data directory that already holds a cluster is never overwritten.
    const again = await runCli(['db', 'restore', file], { INTERCHANGE_DATA_DIR: copy });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^interchange: .* already holds a cluster/);
  });
});
