import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../harness.js';
import { startServerProcess, stopServerProcesses, tempDataDir } from './server-process.js';

/*
 * Interchange as a process of its own, killed with SIGKILL and started again on the same
 * database: what crash tests (test/crash) and the crash probe (scripts/crash-probe.ts) run, over
 * test/support/server-process.ts.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers read arbitrary JSON
export type Json = any;

export interface Answer {
  status: number;
  body: Json;
  text: string;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** Resolves when the process exits (by a crash point, say). */
  exited: Promise<unknown>;
}

/**
 * One deployment's database and settings, started as many times as a test needs: a database
 * of the test run's cluster under vitest (or of TEST_DATABASE_URL's server), else the embedded
 * cluster the server starts itself under a data directory on disk. Every start gets the same
 * admin key, secret key, crash file and environment.
 */
export interface Deployment {
  adminKey: string;
  /** Writes the crash point (`kind:phase`) the next seller write of that point dies at; '' clears. */
  crashAt(point: string): void;
  start(extraEnv?: Record<string, string>): Promise<ServerProcess>;
  /** Kills whatever is running and removes the data. */
  close(): Promise<void>;
}

export async function createDeployment(env: Record<string, string> = {}): Promise<Deployment> {
  const dir = tempDataDir('ix-crash-');
  // The embedded cluster's own user passes through it to the data directory.
  chmodSync(dir, 0o711);
  const crashFile = join(dir, 'crash-at');
  writeFileSync(crashFile, '');
  const adminKey = randomBytes(24).toString('base64url');
  const database =
    process.env['VITEST'] || process.env['TEST_DATABASE_URL']
      ? await createTestDatabase()
      : undefined;
  const baseEnv: Record<string, string> = {
    INTERCHANGE_ADMIN_KEY: adminKey,
    INTERCHANGE_SECRET_KEY: randomBytes(32).toString('base64'),
    INTERCHANGE_LOG_FORMAT: 'json',
    INTERCHANGE_RATE_LIMIT: '1000000',
    INTERCHANGE_PUBLIC_RATE_LIMIT: '1000000',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
    INTERCHANGE_TEST_CRASH_FILE: crashFile,
    ...env,
  };
  return {
    adminKey,
    crashAt: (point) => writeFileSync(crashFile, point),
    async start(extraEnv = {}) {
      const server = await startServerProcess({
        ...(database ? { databaseUrl: database.url } : { dataDir: join(dir, 'data') }),
        env: { ...baseEnv, ...extraEnv },
        readyTimeoutMs: 180_000,
      });
      return {
        url: server.url,
        child: server.child,
        output: server.output,
        exited: server.exited,
        kill: async () => void (await server.kill('SIGKILL')),
      };
    },
    async close() {
      await stopServerProcesses();
      await database?.drop();
    },
  };
}

/** A REST call to a running server; a refused connection (a dead server) throws. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.key && { authorization: `Bearer ${options.key}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  let body: Json;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

function must(answer: Answer, what: string, status = [200, 201]): Json {
  if (!status.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer.body?.data;
}

/** A customer with a key (terms accepted), created through the admin API. */
export async function customer(
  base: string,
  adminKey: string,
  role: 'BUYER' | 'SELLER',
  domain = `${role.toLowerCase()}-${randomBytes(4).toString('hex')}.example`,
): Promise<{ id: number; key: string; domain: string }> {
  const created = must(
    await call(base, 'POST', '/api/v2/admin/customers', {
      key: adminKey,
      body: { name: `${role} ${domain}`, customerRole: role, customerDomain: domain },
    }),
    'customer',
  );
  const key = must(
    await call(base, 'POST', `/api/v2/admin/customers/${created.id}/api-keys`, { key: adminKey }),
    'key',
  );
  must(await call(base, 'POST', '/api/v2/accounts/terms/accept', { key: key.key }), 'terms');
  return { id: created.id, key: key.key, domain };
}

/** A listed storefront whose one source is the seller at `sourceUrl` (MCP, no auth). */
export async function storefrontOver(
  base: string,
  adminKey: string,
  sourceUrl: string,
  settings: Record<string, unknown> = {},
): Promise<{ id: number; platformId: string; sellerKey: string }> {
  const seller = await customer(base, adminKey, 'SELLER');
  const sf = must(
    await call(base, 'PUT', '/api/v2/storefront', {
      key: seller.key,
      body: {
        defaultCurrency: 'USD',
        mediaBuyApproval: 'auto',
        creativeApproval: 'auto',
        ...settings,
      },
    }),
    'storefront',
  );
  must(
    await call(base, 'POST', '/api/v2/storefront/inventory-sources', {
      key: seller.key,
      body: {
        name: 'Seller',
        sourceId: 'seller',
        endpointUrl: sourceUrl,
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      },
    }),
    'source',
  );
  must(
    await call(base, 'PUT', '/api/v2/storefront/inventory-sources/seller', {
      key: seller.key,
      body: { status: 'ACTIVE' },
    }),
    'activate source',
  );
  must(await call(base, 'POST', '/api/v2/storefront/activate', { key: seller.key }), 'activate');
  must(
    await call(base, 'POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
      key: adminKey,
      body: { action: 'list' },
    }),
    'list',
  );
  return { id: sf.id, platformId: sf.platformId, sellerKey: seller.key };
}

/**
 * A buyer with an advertiser and a campaign over the first product the storefront offers it,
 * not executed yet: answers the buyer's key and the campaign id.
 */
export async function campaignOn(
  base: string,
  adminKey: string,
  storefront: { id: number; platformId: string },
  name = 'Crash campaign',
  /** The advertiser's brand: sellers that key accounts by brand alone keep one account per brand. */
  brand = `brand-${randomBytes(4).toString('hex')}.example`,
): Promise<{ key: string; campaignId: string; domain: string; brand: string }> {
  const buyer = await customer(base, adminKey, 'BUYER');
  const advertiser = must(
    await call(base, 'POST', '/api/v2/buyer/advertisers', {
      key: buyer.key,
      body: { name: `Advertiser ${brand}`, brand, primaryCurrency: 'USD' },
    }),
    'advertiser',
  );
  const found = must(
    await call(base, 'POST', '/api/v2/buyer/discovery/discover-products', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiser.id),
        brief: 'Outdoor display for a spring launch',
        storefrontIds: [storefront.id],
      },
    }),
    'discover',
  );
  const group = (found.productGroups as Json[]).find(
    (g) => g.groupId === `storefront-${storefront.platformId}`,
  );
  const product = group?.products?.[0];
  // What the discovery answered instead (a source's error, a cut budget) says why.
  if (!product)
    throw new Error(
      `the storefront offered no product: ${JSON.stringify(group ?? found).slice(0, 2000)}`,
    );
  const option = product.pricingOptions[0];
  const auction = typeof option.fixed_price !== 'number';
  must(
    await call(base, 'POST', `/api/v2/buyer/discovery/${found.discoveryId}/products`, {
      key: buyer.key,
      body: {
        products: [
          {
            productId: product.productId,
            salesAgentId: product.salesAgentId,
            pricingOptionId: option.pricing_option_id,
            budget: 16_000,
            ...(auction && {
              bidPrice: (option.floor_price ?? option.price_guidance?.p50 ?? 5) + 1,
            }),
          },
        ],
      },
    }),
    'select',
  );
  const start = new Date(Date.now() + 86_400_000);
  const campaign = must(
    await call(base, 'POST', '/api/v2/buyer/campaigns', {
      key: buyer.key,
      body: {
        advertiserId: Number(advertiser.id),
        name,
        flightDates: {
          startDate: start.toISOString(),
          endDate: new Date(start.getTime() + 14 * 86_400_000).toISOString(),
        },
        budget: { total: 40_000, currency: 'USD' },
        discoveryId: found.discoveryId,
      },
    }),
    'campaign',
  );
  return { key: buyer.key, campaignId: campaign.campaign.campaignId, domain: buyer.domain, brand };
}

/** The campaign's media buys as its buyer sees them (REST). */
export async function buysOf(base: string, key: string, campaignId: string): Promise<Json[]> {
  const got = must(
    await call(base, 'GET', `/api/v2/buyer/campaigns/${campaignId}`, { key }),
    'get',
  );
  return got.campaign.mediaBuys as Json[];
}
