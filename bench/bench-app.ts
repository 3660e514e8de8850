import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { storefrontSkills, warmRequestValidators } from '../src/agents/merchandising/index.js';
import { buildApp } from '../src/app.js';
import { demoSellerAgent } from '../src/demo/index.js';
import { registerDemoAgent } from '../src/demo/seller/index.js';
import { loadConfig } from '../src/config.js';
import { createSecretBox } from '../src/platform/crypto/secrets.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import { createServices } from '../src/services.js';

/**
 * Interchange as a benchmark serves it: PG_URL's PostgreSQL or the embedded one (memory), freshly
 * migrated, no demo seed, warn-level logs, rate limits out of the way, private networks allowed
 * (every peer is on loopback), listening on a free loopback port, its schema validators compiled
 * before it listens as `serve` does them (server.ts): a compile is seconds of CPU a first call
 * would otherwise pay inside a measurement. `env` adds or overrides variables (e.g. a
 * benchmark's time budgets).
 */
export async function startBenchApp(env: Record<string, string> = {}) {
  const config = loadConfig({
    DATABASE_URL: process.env.PG_URL || undefined,
    INTERCHANGE_DATA_DIR: 'memory',
    INTERCHANGE_DEMO: '0',
    INTERCHANGE_LOG_LEVEL: 'warn',
    INTERCHANGE_ALLOW_PRIVATE_NETWORK: '1',
    INTERCHANGE_RATE_LIMIT: '100000000',
    INTERCHANGE_PUBLIC_RATE_LIMIT: '100000000',
    // No storyboard runs on registration competing with the figures.
    INTERCHANGE_COMPLIANCE_POLICY: 'off',
    PORT: '0',
    ...env,
  });
  await warmRequestValidators(Object.keys(storefrontSkills));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: 'memory' });
  await migrate(database.db);
  const secrets = createSecretBox(randomBytes(32).toString('base64'));
  const services = createServices({ config, database, secrets });
  const app = await buildApp({
    config,
    database,
    secrets,
    services,
    extensions: [demoSellerAgent],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { config, database, services, app, base };
}

/**
 * A customer of the bench app with an API key that has accepted the terms, and a caller of the
 * REST API with that key: answers the envelope's data, throws on any non-2xx answer.
 */
export async function benchCustomer(
  app: Awaited<ReturnType<typeof startBenchApp>>,
  role: 'BUYER' | 'SELLER',
  name = role === 'BUYER' ? 'Bench buyer' : 'Bench seller',
) {
  const customer = await app.services.identity.createCustomer({
    name,
    customerRole: role,
    customerDomain: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`,
  });
  const key = (await app.services.identity.createCustomerApiKey(customer.id, 'bench')).key;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { data: Record<string, unknown> };
  };
  await call('POST', '/api/v2/accounts/terms/accept');
  return { customer, key, call };
}

/**
 * The demo seller on a loopback port, every request waiting `delay()` ms first (read per request,
 * so it can change); `url` is its MCP endpoint.
 */
export async function startDemoSeller(delay: () => number = () => 0) {
  const app = Fastify({ logger: false });
  let origin = '';
  app.addHook('onRequest', async () => {
    const ms = delay();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  });
  registerDemoAgent(app, {
    basePath: '/adcp/demo-seller',
    publicUrl: () => origin,
    concurrency: 64,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, url: `${origin}/adcp/demo-seller/mcp` };
}
