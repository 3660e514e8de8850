import type { AddressInfo } from 'node:net';
import { startBenchApp } from './bench-app.js';
import Fastify from 'fastify';
import { demoAgentUrls, registerDemoAgent } from '../src/demo/seller/index.js';

/**
 * The processes of the storefront get_products benchmark (bench/storefront-products.ts):
 * `sellers <copies> [count]` starts `count` (3) demo AdCP sellers of 30 × copies products each; `interchange <urls…>` starts
 * Interchange (the embedded PostgreSQL in memory, or PostgreSQL at PG_URL) with a listed composition
 * storefront over those sellers and a buyer. Each prints one JSON line once ready.
 */
const [role, ...sellerUrls] = process.argv.slice(2);

if (role === 'sellers') {
  const copies = Number(sellerUrls[0] ?? '1');
  const count = Number(sellerUrls[1] ?? '3');
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const app = Fastify({ logger: false });
    let origin = '';
    registerDemoAgent(app, {
      basePath: '/adcp/seller',
      publicUrl: () => origin,
      catalogCopies: copies,
      concurrency: 8,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    urls.push(demoAgentUrls(origin, '/adcp/seller').mcp);
  }
  console.log(JSON.stringify({ urls }));
} else if (role === 'interchange') {
  const { database, services, app, base } = await startBenchApp({
    INTERCHANGE_SOURCE_ANSWER_TTL_MS: process.env['INTERCHANGE_SOURCE_ANSWER_TTL_MS'] ?? '0',
  });
  const admin = await services.identity.createCustomer({
    name: 'Bench seller',
    customerRole: 'SELLER',
    customerDomain: 'bench-seller.example',
  });
  const buyer = await services.identity.createCustomer({
    name: 'Bench buyer',
    customerRole: 'BUYER',
    customerDomain: 'bench-buyer.example',
  });
  const sellerKey = (await services.identity.createCustomerApiKey(admin.id, 'bench')).key;
  const buyerKey = (await services.identity.createCustomerApiKey(buyer.id, 'bench')).key;
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { data: Record<string, unknown> };
  };
  await call('POST', '/api/v2/accounts/terms/accept', sellerKey);
  await call('POST', '/api/v2/accounts/terms/accept', buyerKey);
  const sf = (await call('PUT', '/api/v2/storefront', sellerKey, { defaultCurrency: 'USD' })).data;
  for (const [i, url] of sellerUrls.entries()) {
    const sourceId = `seller-${i + 1}`;
    await call('POST', '/api/v2/storefront/inventory-sources', sellerKey, {
      name: `Seller ${i + 1}`,
      sourceId,
      endpointUrl: url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    await call('PUT', `/api/v2/storefront/inventory-sources/${sourceId}`, sellerKey, {
      status: 'ACTIVE',
    });
  }
  await call('POST', '/api/v2/storefront/activate', sellerKey);
  await services.storefronts.setMarketplace(sf['id'] as number, 'list');
  console.log(
    JSON.stringify({
      port: (app.server.address() as AddressInfo).port,
      buyerKey,
      agentUrl: `${base}/adcp/storefront-${sf['platformId'] as string}/mcp`,
      database: database.kind,
    }),
  );
} else {
  console.error(
    'usage: storefront-products-serve.ts sellers <copies> [count] | interchange <seller urls…>',
  );
  process.exit(2);
}

// Exit normally on SIGTERM, so `--cpu-prof` gets to write its profile.
process.on('SIGTERM', () => process.exit(0));
