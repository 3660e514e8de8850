import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import PgBoss from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import {
  runCli,
  spawnServerProcess,
  startServerProcess,
  stopServerProcesses,
  tempDataDir,
} from '../support/server-process.js';

/**
 * A data directory from the PGlite days (`<dir>/pgdata`, our migrations and pg-boss's schema,
 * a customer): start-up refuses it with one line that says how to move the data, touching
 * nothing; `db export-pglite` then `db import` move it into the embedded PostgreSQL.
 */
afterAll(stopServerProcesses);

const adminKey = `ix_test_admin_${randomBytes(16).toString('hex')}`;
const env = { INTERCHANGE_ADMIN_KEY: adminKey };

async function oldDataDir(): Promise<{ dir: string; customerId: number }> {
  const dir = tempDataDir('ix-pglite-');
  mkdirSync(join(dir, 'pgdata'));
  const pglite = await PGlite.create(join(dir, 'pgdata'));
  await migrate(drizzle({ client: pglite }) as unknown as Db);
  // pg-boss's schema as PGlite ran it: scripts through exec, statements through query.
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values?: unknown[]) =>
        values?.length
          ? pglite.query(text, values)
          : { rows: (await pglite.exec(text)).at(-1)?.rows ?? [] },
    },
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  await boss.start();
  await boss.createQueue('old-queue');
  await boss.send('old-queue', { n: 1 });
  await boss.stop({ graceful: false, close: false, wait: true });
  const { rows } = await pglite.query<{ id: number }>(
    `insert into customers (name, company, customer_role, customer_domain)
     values ('From PGlite', 'From PGlite', 'BUYER', 'from-pglite.example') returning id`,
  );
  await pglite.close();
  return { dir, customerId: rows[0]!.id };
}

describe('moving from PGlite', { timeout: 240_000 }, () => {
  it('refuses an old PGlite data directory with one line, then exports and imports its data', async () => {
    const { dir, customerId } = await oldDataDir();
    const before = readdirSync(dir).sort();

    const refused = spawnServerProcess({ dataDir: dir, env });
    expect((await refused.exited).code).toBe(1);
    const lines = refused.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^interchange: ${join(dir, 'pgdata')} holds a PGlite database .*interchange db export-pglite`,
      ),
    );
    expect(readdirSync(dir).sort()).toEqual(before);

    const file = join(dir, 'pglite.sql');
    const exported = await runCli(['db', 'export-pglite', file], { INTERCHANGE_DATA_DIR: dir });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    renameSync(join(dir, 'pgdata'), join(dir, 'pgdata.old'));

    const imported = await runCli(['db', 'import', file], { INTERCHANGE_DATA_DIR: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/imported .*; 0 newer migration\(s\) applied/);
    expect(existsSync(join(dir, 'postgres', 'PG_VERSION'))).toBe(true);

    const server = await startServerProcess({ dataDir: dir, env });
    const res = await fetch(`${server.url}/api/v2/admin/customers/${customerId}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { name: string } }).data.name).toBe('From PGlite');
    await server.kill('SIGTERM');

    // A second import into the now populated database is refused, and changes nothing.
    const again = await runCli(['db', 'import', file], { INTERCHANGE_DATA_DIR: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^interchange: the database already has tables/);
  });
});
