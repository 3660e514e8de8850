import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config.js';
import { createSecretBox, generateSecretKey } from '../../src/platform/crypto/secrets.js';
import { createServices } from '../../src/services.js';
import { openDatabase } from '../../src/platform/db/database.js';
import {
  type EmbeddedCluster,
  startEmbeddedCluster,
} from '../../src/platform/db/embedded/cluster.js';
import { migrate } from '../../src/platform/db/migrate.js';

/**
 * Vitest's global set-up: one PostgreSQL for the whole run (TEST_DATABASE_URL's server, or an
 * embedded throwaway cluster started here) and one migrated template database on it, so each
 * test file gets its own database with a CREATE DATABASE … TEMPLATE (test/harness.ts).
 */
export interface TestDatabaseCluster {
  /** A URL whose user may CREATE DATABASE (the maintenance database). */
  adminUrl: string;
  /** The migrated template (pg-boss's schema and job queues included) every test database is copied from. */
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseCluster: TestDatabaseCluster;
  }
}

let cluster: EmbeddedCluster | undefined;
let created: { adminUrl: string; template: string } | undefined;

export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    cluster = await startEmbeddedCluster({
      dataDir: 'memory',
      settings: { max_connections: '300' },
      log: (level, message) => process.stderr.write(`[test postgres] ${level}: ${message}\n`),
    });
    adminUrl = cluster.adminUrl;
  }
  const template = `ix_template_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `create database ${template}`);
  created = { adminUrl, template };
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const database = await openDatabase({
    databaseUrl: url.toString(),
    dataDir: 'memory',
    poolMax: 2,
  });
  try {
    await migrate(database.db);
    // pg-boss's schema and every job type's queue too (about 60 partitions of its job table),
    // which every file that starts jobs, and every server a test starts, would otherwise make.
    const config = loadConfig({ INTERCHANGE_DATA_DIR: 'memory', INTERCHANGE_DEMO: '0' });
    const secrets = createSecretBox(generateSecretKey());
    const services = createServices({ config, database, secrets });
    try {
      await services.jobs.prepare();
    } finally {
      await services.close();
    }
  } finally {
    await database.close();
  }
  // No one connects to the template again: copies need it idle.
  await admin(adminUrl, `alter database ${template} with allow_connections false`);
  project.provide('testDatabaseCluster', { adminUrl, template });
}

export async function teardown(): Promise<void> {
  if (created && !cluster) {
    await admin(created.adminUrl, `alter database ${created.template} with allow_connections true`);
    await admin(created.adminUrl, `drop database if exists ${created.template} with (force)`);
  }
  await cluster?.stop();
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
