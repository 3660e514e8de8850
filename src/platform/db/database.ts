import { drizzle } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { type EmbeddedCluster, startEmbeddedCluster } from './embedded/cluster.js';
import type { ServerLogSink } from './embedded/server-log.js';

/** The query surface every store uses; a transaction has the same type, so stores take either. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** Raw parameterized SQL, the shape @adcp/sdk's PostgreSQL stores take (a `pg.Pool` has it). */
export interface PgQueryable {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** What /ready reports about the database. */
export interface DatabaseStatus {
  /** `embedded`: Interchange's own cluster; `external`: DATABASE_URL's server. */
  kind: 'embedded' | 'external';
  /** The server's version, e.g. `18.4`. */
  version: string;
}

export interface Database {
  readonly db: Db;
  /** For @adcp/sdk's durable stores (idempotency, tasks, state), over the same pool. */
  readonly queryable: PgQueryable;
  /**
   * Parameterless SQL that may hold several statements (a script with its own BEGIN/COMMIT, as
   * pg-boss migrates and maintains its schema); answers the rows of the last statement. A script
   * failing inside its transaction is rolled back, so the pooled connection is not returned
   * aborted.
   */
  script(text: string): Promise<Record<string, unknown>[]>;
  readonly kind: 'embedded' | 'external';
  /** The URL the pool connects to (the embedded cluster's carries its generated password). */
  readonly url: string;
  /** The pool's connections now, for metrics. */
  poolStats(): { total: number; idle: number; waiting: number; max: number };
  /** Throws when the database cannot answer a trivial query (or the embedded server is down). */
  ping(): Promise<DatabaseStatus>;
  /** Ends the pool, then stops the embedded cluster, if this process started one. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** INTERCHANGE_DATA_DIR: where the embedded cluster lives, or 'memory'. */
  dataDir: string;
  poolMax?: number;
  /**
   * The longest a statement of the pool may run, in ms (PostgreSQL's statement_timeout, set on
   * every connection as it opens); 0 or omitted: no limit. A statement stuck behind a lock or
   * on a slow plan is cancelled at it (SQLSTATE 57014), so a request never holds its connection,
   * or its caller, for longer. Long work that needs more lifts it for its own transaction.
   */
  statementTimeoutMs?: number;
  /** The embedded server's warnings and errors. */
  log?: ServerLogSink;
}

/**
 * Opens DATABASE_URL's PostgreSQL, or, without one, starts Interchange's embedded PostgreSQL
 * under the data directory (see embedded/cluster.ts). Either way the app gets the same pool.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const pool = {
    max: options.poolMax ?? 10,
    statementTimeoutMs: options.statementTimeoutMs ?? 0,
  };
  if (options.databaseUrl) return openPool(options.databaseUrl, pool, 'external');
  const cluster = await startEmbeddedCluster({
    dataDir: options.dataDir,
    ...(options.log && { log: options.log }),
  });
  return openPool(cluster.url, pool, 'embedded', cluster);
}

function openPool(
  url: string,
  { max, statementTimeoutMs }: { max: number; statementTimeoutMs: number },
  kind: Database['kind'],
  cluster?: EmbeddedCluster,
): Database {
  // A database that does not answer a connect within 5 s fails the request (503) rather than hang it.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // Sent with the connection's start-up packet, so it holds for every statement on it, whatever
    // the server's own default (the embedded cluster's or an external one's).
    ...(statementTimeoutMs > 0 && { statement_timeout: statementTimeoutMs }),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db: Db = drizzle({ client: pool });
  let version: string | undefined;
  let closing: Promise<void> | undefined;
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
    kind,
    url,
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max,
    }),
    ping: async () => {
      if (cluster && !cluster.running()) throw new Error('the embedded PostgreSQL is not running');
      const { rows } = await pool.query<{ v: string }>(
        `select current_setting('server_version') v`,
      );
      version ??= rows[0]?.v ?? '';
      return { kind, version };
    },
    close: () => {
      closing ??= (async () => {
        try {
          await pool.end();
        } finally {
          await cluster?.stop();
        }
      })();
      return closing;
    },
  };
}
