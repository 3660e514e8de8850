import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * `interchange db import`: loads a plain-SQL pg_dump made with INSERTs (what
 * `db export-pglite` writes, or `pg_dump --inserts --no-owner --no-acl` of another server) into
 * an empty database, in one transaction. It runs before migrations, so the migrations the dump
 * predates are applied after it, as on any upgrade.
 */
export class DumpRefused extends Error {}

export async function importDump(url: string, file: string): Promise<{ statements: number }> {
  const text = readFileSync(file, 'utf8');
  if (/^COPY .* FROM stdin;$/m.test(text))
    throw new DumpRefused(
      `${file} holds COPY … FROM stdin blocks, which need psql: dump it with --inserts`,
    );
  // psql's \restrict/\unrestrict (pg_dump 17.6 and later) guard psql itself; nothing else may
  // be a psql meta-command.
  const sql = text.replace(/^\\(?:un)?restrict\b.*$/gm, '');
  const meta = /^\\\S+/m.exec(sql);
  if (meta)
    throw new DumpRefused(`${file} holds the psql command ${meta[0]}, which only psql runs`);
  // Its own client: the dump sets search_path for its session, which must not reach the pool.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`,
    );
    if (Number(rows[0]?.n) > 0)
      throw new DumpRefused(
        'the database already has tables; import only into a new one (a fresh data directory, ' +
          'or an empty DATABASE_URL database)',
      );
    await client.query('begin');
    try {
      await client.query(sql);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
    return { statements: (sql.match(/;\s*$/gm) ?? []).length };
  } finally {
    await client.end();
  }
}
