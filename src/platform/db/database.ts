import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';

/** The query surface every store uses; a transaction has the same type, so stores take either. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** Raw parameterized SQL, the shape @adcp/sdk's PostgreSQL stores take (a `pg.Pool` has it). */
export interface PgQueryable {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

export interface Database {
  readonly db: Db;
  /** For @adcp/sdk's durable stores (idempotency, tasks, state), over the same connection(s). */
  readonly queryable: PgQueryable;
  /**
   * Parameterless SQL that may hold several statements (a script with its own BEGIN/COMMIT, as
   * pg-boss migrates and maintains its schema); answers the rows of the last statement. A script
   * failing inside its transaction is rolled back, so the connection is not left aborted.
   */
  script(text: string): Promise<Record<string, unknown>[]>;
  readonly kind: 'pglite' | 'postgres';
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Directory for embedded data, or 'memory'. */
  dataDir: string;
  poolMax?: number;
}

/** Opens PostgreSQL when a URL is given, embedded PGlite otherwise; the same SQL runs on both. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolMax ?? 10);
  return openPglite(options.dataDir);
}

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzlePg({ client: pool }) as unknown as Db;
  return {
    db,
    queryable: pool,
    script: async (text) => {
      // One client for the whole script, so the rollback reaches the connection that failed.
      const client = await pool.connect();
      try {
        const result = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
        const last = Array.isArray(result) ? result.at(-1) : result;
        return (last?.rows ?? []) as Record<string, unknown>[];
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    kind: 'postgres',
    ping: async () => void (await pool.query('select 1')),
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  let client: PGlite;
  if (dataDir === 'memory') {
    client = await PGlite.create();
  } else {
    const dir = join(dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    client = await PGlite.create(dir);
  }
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    db,
    queryable: {
      query: async (text, values) => {
        const result = await client.query<Record<string, unknown>>(text, values);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      },
    },
    script: async (text) => {
      // PGlite is one connection shared by everything: a script failing inside its own BEGIN
      // must be rolled back before any other query runs, or that query meets an aborted
      // transaction. PGlite's transaction() holds the connection until its rollback is done; the
      // script's own BEGIN and COMMIT inside it only draw warnings.
      const results = await client.transaction((tx) => tx.exec(text));
      return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
    },
    kind: 'pglite',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}
