import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { demoSellerAgent } from '../src/demo/index.js';
import { createServices, type Services } from '../src/services.js';
import { type Config, loadConfig } from '../src/config.js';
import {
  createSecretBox,
  generateSecretKey,
  type SecretBox,
} from '../src/platform/crypto/secrets.js';
import { type Database, openDatabase } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import { startEmbeddedCluster } from '../src/platform/db/embedded/cluster.js';

/**
 * One database per test file, copied from the run's migrated template on the run's PostgreSQL
 * (test/support/database-cluster.ts: the embedded cluster, or TEST_DATABASE_URL's server).
 * Tests create their own customers and never truncate.
 */
export interface Harness {
  app: FastifyInstance;
  config: Config;
  database: Database;
  services: Services;
  secrets: SecretBox;
  adminKey: string;
  /** Log lines the app wrote, parsed. */
  logs: () => Record<string, unknown>[];
  rawLogs: () => string;
  call: (method: string, url: string, options?: CallOptions) => Promise<CallResult>;
  /** Builds another app over the same database, e.g. with tighter limits. */
  buildApp: (env?: Record<string, string>, own?: { services: true }) => Promise<FastifyInstance>;
  /** The services an app runs on (its own when built with `{ services: true }`). */
  servicesOf: (app: FastifyInstance) => Services;
  close: () => Promise<void>;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
  app?: FastifyInstance;
}

export interface CallResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

const baseEnv = {
  INTERCHANGE_DATA_DIR: 'memory',
  INTERCHANGE_ALLOW_PRIVATE_NETWORK: '1',
  // A capability probe gets production's 8 s: at load 9 a storefront agent on this machine,
  // reached over a proxy, took longer than the 2 s this was, and the source could not go ACTIVE
  // (feed-mirror-signals' first case). Tests of a probe's deadline set their own.
  INTERCHANGE_PROBE_TIMEOUT_MS: '8000',
  // Production gives a source 4 s to answer get_products; a test machine running many files at
  // once can take longer to answer from a healthy source. Tests of timeouts set their own.
  INTERCHANGE_SOURCE_BUDGET_MS: '15000',
  // The same for a buyer's discovery across storefronts (production 6 s): under CI's load a
  // storefront answering a campaign's discovery took 7.2 s. Tests of that deadline set their own.
  INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '20000',
  // The same for a campaign's execute at each seller (production 15 s): a create goes buyer →
  // storefront → seller, and with files at once on two cores that chain ran past 15 s, so a buy
  // came back "being established" ("1 of 2 buys": buying-flow, campaign-goals). Tests of that
  // deadline set their own.
  INTERCHANGE_EXECUTE_AGENT_BUDGET_MS: '45000',
  INTERCHANGE_DEMO: '0',
  INTERCHANGE_LOG_LEVEL: 'info',
  INTERCHANGE_RATE_LIMIT: '1000000',
  INTERCHANGE_PUBLIC_RATE_LIMIT: '1000000',
  // No compliance runs on registration or schedule (storyboards book at the test sellers and
  // take seconds each); the compliance tests turn them on.
  INTERCHANGE_COMPLIANCE_POLICY: 'off',
};

export async function createHarness(env: Record<string, string> = {}): Promise<Harness> {
  const config = loadConfig({ ...baseEnv, ...env });
  const { database, drop } = await openTestDatabase({
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  });
  const secrets = createSecretBox(generateSecretKey());
  const services = createServices({ config, database, secrets });
  let logText = '';
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  const apps: FastifyInstance[] = [];
  const servicesByApp = new Map<FastifyInstance, Services>();
  const make = async (extra: Record<string, string> = {}, own?: { services: true }) => {
    const config = loadConfig({ ...baseEnv, ...env, ...extra });
    // Settings that shape the services (e.g. the private-network guard) need services of their own.
    const appServices = own ? createServices({ config, database, secrets }) : services;
    const app = await buildApp({
      config,
      database,
      secrets,
      services: appServices,
      logStream,
      extensions: [demoSellerAgent],
    });
    if (own) app.addHook('onClose', () => appServices.close());
    apps.push(app);
    servicesByApp.set(app, appServices);
    return app;
  };
  const app = await make();
  const admin = await services.identity.createAdminApiKey('test harness');

  const call = async (method: string, url: string, options: CallOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    const res = await (options.app ?? app).inject({
      method: method as 'GET',
      url,
      headers,
      ...(options.body !== undefined && { payload: options.body as object }),
    });
    let body: unknown;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, body, headers: res.headers, text: res.body };
  };

  return {
    app,
    config,
    database,
    services,
    secrets,
    adminKey: admin.key,
    logs: () =>
      logText
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    rawLogs: () => logText,
    call,
    buildApp: make,
    servicesOf: (app) => {
      const found = servicesByApp.get(app);
      if (!found) throw new Error('not an app of this harness');
      return found;
    },
    close: async () => {
      // Each step's time is said when it is slow, so a close that runs long names what it waited on.
      const timed = async (step: string, work: () => Promise<unknown>) => {
        const started = Date.now();
        await work();
        const ms = Date.now() - started;
        if (ms > 10_000) console.warn(`harness close: ${step} took ${ms} ms`);
      };
      for (const a of apps) await timed('app close', () => a.close());
      await timed('services close', () => services.close());
      await timed('pool close', () => database.close());
      await timed('database drop', drop);
    },
  };
}

/**
 * A fresh database of this run's cluster, copied from the migrated template (well under a
 * second), with its URL for anything that needs its own connection to it: a second pool, or a
 * server child process (`DATABASE_URL`, see test/support/server-process.ts). Dropped by `drop`.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { adminUrl, template } = await testCluster();
  const name = `ix_test_${randomBytes(6).toString('hex')}`;
  // FILE_COPY rather than PostgreSQL's default WAL_LOG: the template's ~1,500 files are copied
  // whole instead of written page by page through the WAL, a third of the time a copy; its two
  // checkpoints cost little on the test cluster (fsync off) and were not seen to stall other files
  // (bench/history/2026-11-28-ci-parallel.md).
  const copy = template ? ` template ${template} strategy file_copy` : '';
  await adminQuery(adminUrl, `create database ${name}${copy}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

/** A fresh database (see createTestDatabase), opened with a pool as the app opens one. */
export async function openTestDatabase(options: { statementTimeoutMs?: number } = {}): Promise<{
  database: Database;
  url: string;
  drop: () => Promise<void>;
}> {
  const { url, drop } = await createTestDatabase();
  const database = await openDatabase({
    databaseUrl: url,
    dataDir: 'memory',
    poolMax: 5,
    ...(options.statementTimeoutMs !== undefined && {
      statementTimeoutMs: options.statementTimeoutMs,
    }),
  });
  // Nothing to do on a copy of the template; a database made outside vitest starts empty.
  await migrate(database.db);
  return { database, url, drop };
}

let ownCluster: Promise<{ adminUrl: string }> | undefined;

/**
 * The run's cluster and template under vitest; outside it (the benchmarks reuse this harness)
 * TEST_DATABASE_URL's server, or an embedded throwaway cluster of this process's own.
 */
async function testCluster(): Promise<{ adminUrl: string; template?: string }> {
  if (process.env.VITEST) return inject('testDatabaseCluster');
  if (process.env.TEST_DATABASE_URL) return { adminUrl: process.env.TEST_DATABASE_URL };
  ownCluster ??= startEmbeddedCluster({ dataDir: 'memory' }).then((c) => ({
    adminUrl: c.adminUrl,
  }));
  return ownCluster;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestCustomer {
  id: number;
  key: string;
  keyId: string;
}

/** Creates a customer and a key through the admin API, accepting the terms unless told not to. */
export async function createCustomer(
  h: Harness,
  options: {
    role: 'BUYER' | 'SELLER';
    name?: string;
    domain?: string;
    acceptTerms?: boolean;
  },
): Promise<TestCustomer> {
  const suffix = randomBytes(4).toString('hex');
  const created = await h.call('POST', '/api/v2/admin/customers', {
    key: h.adminKey,
    body: {
      name: options.name ?? `${options.role === 'SELLER' ? 'Publisher' : 'Agency'} ${suffix}`,
      customerRole: options.role,
      customerDomain: options.domain ?? `${options.role.toLowerCase()}-${suffix}.example`,
    },
  });
  if (created.status !== 201) throw new Error(`create customer: ${created.text}`);
  const key = await h.call('POST', `/api/v2/admin/customers/${created.body.data.id}/api-keys`, {
    key: h.adminKey,
  });
  if (key.status !== 201) throw new Error(`create key: ${key.text}`);
  if (options.acceptTerms !== false) {
    const accepted = await h.call('POST', '/api/v2/accounts/terms/accept', {
      key: key.body.data.key,
    });
    if (accepted.status !== 200) throw new Error(`accept terms: ${accepted.text}`);
  }
  return { id: created.body.data.id, key: key.body.data.key, keyId: key.body.data.id };
}

/**
 * A buyer whose customer has no domain: one created before the domain was required of buyers
 * (admin create, join-link signup and create-child all give one now), made by clearing it.
 */
export async function createBuyerWithoutDomain(h: Harness): Promise<TestCustomer> {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  await h.database.queryable.query('update customers set customer_domain = null where id = $1', [
    buyer.id,
  ]);
  return buyer;
}
