import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { demoSellerAgent } from '../src/demo/index.js';
import { loadConfig } from '../src/config.js';
import { resolveSecretBox } from '../src/platform/crypto/keyring-file.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import { createServices } from '../src/services.js';
import { recordQueries } from './query-recorder.js';

/**
 * The server under benchmark, in its own process so the load generator never shares its event
 * loop. Prints one JSON line ({@link ServeReady}) on stdout once listening; stops, dropping the
 * database it made, on SIGTERM/SIGINT or when stdin closes (the parent went away).
 *
 * Environment: PG_URL or TEST_DATABASE_URL (a server where the user may CREATE DATABASE), else
 * the embedded PostgreSQL in memory (a throwaway cluster). BENCH_CUSTOMERS sets how many customers to create (default 20).
 */
export interface ServeReady {
  port: number;
  adminKey: string;
  /** A seller whose storefront has `readinessSources` probed sources, for the readiness target. */
  sellerKey: string;
  readinessSources: number;
  /** Slug of an auto-approve join link on the seller's storefront, for the join-context target. */
  joinSlug: string;
  /** A buyer key, and how many listed storefronts (with 5 ACTIVE sources each) it can browse. */
  buyerKey: string;
  listedStorefronts: number;
  customers: number;
  database: { kind: 'embedded' | 'external'; version: string; poolMax: number };
  /** For a bare-pool twin on the same database (bench/list-reads.ts); a throwaway cluster's. */
  databaseUrl: string;
}

const baseUrl = process.env.PG_URL || process.env.TEST_DATABASE_URL || undefined;
const customerCount = Number(process.env.BENCH_CUSTOMERS ?? 20);

// A database of its own, so a run never reads another run's rows nor leaves its own behind.
let dropDatabase: () => Promise<void> = async () => undefined;
let databaseUrl: string | undefined;
if (baseUrl) {
  const name = `ix_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = () => adminQuery(baseUrl, `drop database if exists ${name} with (force)`);
}

const config = loadConfig({
  DATABASE_URL: databaseUrl,
  INTERCHANGE_DATA_DIR: 'memory',
  INTERCHANGE_SECRET_KEY: randomBytes(32).toString('base64'),
  INTERCHANGE_DEMO: '0',
  INTERCHANGE_LOG_LEVEL: 'warn',
  INTERCHANGE_RATE_LIMIT: '100000000',
  INTERCHANGE_PUBLIC_RATE_LIMIT: '100000000',
  PORT: '0',
});
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  poolMax: config.databasePoolMax,
});
await migrate(database.db);
// Every query of the pool, recorded on request ("record …" on stdin, see below).
const recorder = recordQueries(database.queryable);
const secrets = resolveSecretBox(config);
const services = createServices({ config, database, secrets });
// stdout carries the handshake line, so the app logs to stderr.
const app = await buildApp({
  config,
  database,
  secrets,
  services,
  logStream: process.stderr,
  extensions: [demoSellerAgent],
});

for (let i = 1; i <= customerCount; i += 1) {
  await services.identity.createCustomer({
    name: `Bench customer ${i}`,
    customerRole: i % 2 === 0 ? 'SELLER' : 'BUYER',
    customerDomain: `bench-${i}.example`,
  });
}
const admin = await services.identity.createAdminApiKey('bench');

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('server has no TCP address');

// Readiness target: a seller with 20 sources on the in-process demo agent, each probed once at
// registration, so readiness reads cached probe results as it does in production.
const readinessSources = Number(process.env.BENCH_READINESS_SOURCES ?? 20);
const own = `http://127.0.0.1:${address.port}`;
services.trustOwnOrigin(own);
const seller = await services.identity.createCustomer({
  name: 'Bench seller',
  customerRole: 'SELLER',
  customerDomain: 'bench-seller.example',
});
const sellerKey = (await services.identity.createCustomerApiKey(seller.id, 'bench')).key;
const sellerPrincipal = await services.identity.authenticate(sellerKey);
if (sellerPrincipal?.kind !== 'customer') throw new Error('bench seller key did not authenticate');
await services.identity.acceptTerms(sellerPrincipal, undefined);
for (let i = 1; i <= readinessSources; i += 1) {
  await services.inventorySources.create(sellerPrincipal, {
    name: `Bench source ${i}`,
    executionType: 'AGENT',
    type: 'SALES',
    endpointUrl: `${own}/adcp/demo-seller/mcp`,
    protocol: 'MCP',
    authenticationType: 'NO_AUTH',
    requiresCredentials: false,
  });
}

const sellerStorefront = await services.storefronts.requireOwn(sellerPrincipal);
const joinLink = await services.joinLinks.create(sellerPrincipal, {
  storefrontId: sellerStorefront.id,
  approvalPolicy: 'auto_approve',
});

// Buyer browse target: listed storefronts with five ACTIVE sources each, all on the demo agent.
const listedStorefronts = Number(process.env.BENCH_LISTED_STOREFRONTS ?? 200);
async function listedStorefront(i: number) {
  const owner = await services.identity.createCustomer({
    name: `Listed storefront ${i}`,
    customerRole: 'SELLER',
    customerDomain: `listed-${i}.example`,
  });
  const key = (await services.identity.createCustomerApiKey(owner.id, 'bench')).key;
  const principal = await services.identity.authenticate(key);
  if (principal?.kind !== 'customer') throw new Error('bench seller key did not authenticate');
  await services.identity.acceptTerms(principal, undefined);
  const accepted = await services.identity.authenticate(key);
  if (accepted?.kind !== 'customer') throw new Error('bench seller key did not authenticate');
  for (let s = 1; s <= 5; s += 1) {
    const source = await services.inventorySources.create(accepted, {
      name: `Source ${s}`,
      executionType: 'AGENT',
      type: 'SALES',
      endpointUrl: `${own}/adcp/demo-seller/mcp`,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
      requiresCredentials: s % 2 === 0,
    });
    await services.inventorySources.update(accepted, source.sourceId, { status: 'ACTIVE' });
  }
  const storefront = await services.storefronts.requireOwn(accepted);
  await services.storefronts.setMarketplace(storefront.id, 'list');
}
for (let i = 1; i <= listedStorefronts; i += 10) {
  await Promise.all(
    Array.from({ length: Math.min(10, listedStorefronts - i + 1) }, (_, k) =>
      listedStorefront(i + k),
    ),
  );
}
const buyer = await services.identity.createCustomer({
  name: 'Bench buyer',
  customerRole: 'BUYER',
  customerDomain: 'bench-buyer.example',
});
const buyerKey = (await services.identity.createCustomerApiKey(buyer.id, 'bench')).key;

const ready: ServeReady = {
  port: address.port,
  adminKey: admin.key,
  sellerKey,
  readinessSources,
  joinSlug: joinLink.slug,
  buyerKey,
  listedStorefronts,
  customers: customerCount,
  database: {
    kind: database.kind,
    version: await serverVersion(),
    poolMax: config.databasePoolMax,
  },
  databaseUrl: database.url,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await app.close();
    await services.close();
    await database.close();
    await dropDatabase();
  } finally {
    process.exit(0);
  }
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();

// "record <path> <admin|seller|buyer>": GET the path twice with that key (the first warms the
// caches a steady stream of requests keeps warm), recording the second's queries; answers one
// JSON line, { "recorded": RecordedQuery[] }, for the bare-pool twin (bench/list-reads.ts).
const keys = { admin: admin.key, seller: sellerKey, buyer: buyerKey } as Record<string, string>;
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, path, role] = line.split(' ');
  if (command !== 'record' || !path || !role) return;
  const get = () =>
    fetch(`${own}${path}`, { headers: { authorization: `Bearer ${keys[role]}` } }).then((r) =>
      r.ok ? r.text() : Promise.reject(new Error(`${path}: ${r.status}`)),
    );
  void get()
    .then(async () => {
      recorder.start();
      await get();
      process.stdout.write(`${JSON.stringify({ recorded: recorder.stop() })}\n`);
    })
    .catch((error: unknown) => {
      process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
    });
});

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function serverVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('show server_version');
    return `PostgreSQL ${result.rows[0]?.server_version ?? 'unknown'}${databaseUrl ? '' : ' (embedded, memory)'}`;
  } finally {
    await client.end();
  }
}
