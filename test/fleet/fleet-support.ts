import pg from 'pg';
import type { Fleet } from '../../scripts/fleet/fleet.js';
import { call, customer, type Json } from '../support/spawned-server.js';

/*
 * What the fleet tests share beyond test/support/spawned-server.ts: a storefront over several
 * sources, the seller's approval of its queue, and reads of the fleet's own PostgreSQL (what an
 * operator would look at when no instance is running).
 */

function must(answer: { status: number; text: string; body: Json }, what: string): Json {
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`${what}: ${answer.status} ${answer.text}`);
  }
  return answer.body?.data;
}

/** A listed storefront whose sources are the MCP sellers given (no auth), every one ACTIVE. */
export async function storefrontOfSources(
  base: string,
  adminKey: string,
  sources: Array<{ sourceId: string; url: string }>,
  settings: Record<string, unknown> = {},
): Promise<{ id: number; platformId: string; sellerKey: string }> {
  const seller = await customer(base, adminKey, 'SELLER');
  const key = seller.key;
  const sf = must(
    await call(base, 'PUT', '/api/v2/storefront', {
      key,
      body: {
        defaultCurrency: 'USD',
        mediaBuyApproval: 'auto',
        creativeApproval: 'auto',
        ...settings,
      },
    }),
    'storefront',
  );
  for (const source of sources) {
    must(
      await call(base, 'POST', '/api/v2/storefront/inventory-sources', {
        key,
        body: {
          name: source.sourceId,
          sourceId: source.sourceId,
          endpointUrl: source.url,
          protocol: 'MCP',
          authenticationType: 'NO_AUTH',
        },
      }),
      `source ${source.sourceId}`,
    );
    must(
      await call(base, 'PUT', `/api/v2/storefront/inventory-sources/${source.sourceId}`, {
        key,
        body: { status: 'ACTIVE' },
      }),
      `activate ${source.sourceId}`,
    );
  }
  must(await call(base, 'POST', '/api/v2/storefront/activate', { key }), 'activate');
  must(
    await call(base, 'POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
      key: adminKey,
      body: { action: 'list' },
    }),
    'list',
  );
  return { id: sf.id, platformId: sf.platformId, sellerKey: key };
}

/** Approves every buy waiting in the storefront's queue; answers how many. */
export async function approveAll(base: string, sellerKey: string): Promise<number> {
  const queue = must(
    await call(base, 'GET', '/api/v2/storefront/media-buy-approvals', { key: sellerKey }),
    'queue',
  );
  const pending = (queue.items as Json[]).filter((e) => e.status === 'pending');
  for (const entry of pending) {
    must(
      await call(
        base,
        'POST',
        `/api/v2/storefront/media-buy-approvals/${entry.mediaBuyId}/decide`,
        {
          key: sellerKey,
          body: { status: 'approved' },
        },
      ),
      'decide',
    );
  }
  return pending.length;
}

/** One query on the fleet's PostgreSQL, with no instance in between. */
export async function queryFleetDatabase(fleet: Fleet, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: fleet.database.url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Json[];
  } finally {
    await client.end();
  }
}
