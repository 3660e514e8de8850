import { pino } from 'pino';
import type { Config } from './config.js';
import { type Database, openDatabase } from './platform/db/database.js';
import { loggerOptions, logStreamOf } from './platform/logging.js';

/**
 * Opens the configured database: DATABASE_URL's, or the embedded PostgreSQL under the data
 * directory, its warnings and errors through the logger (never its raw stderr). A module of its
 * own, light to import: `serve` starts it before loading the server's modules (src/main.ts), so
 * a first start's initdb runs in processes of their own on the other core meanwhile.
 */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  const logger = pino(loggerOptions(config.logLevel), logStreamOf(config)).child({
    component: 'postgres',
  });
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    log: (level, message) => logger[level](message),
  });
}
