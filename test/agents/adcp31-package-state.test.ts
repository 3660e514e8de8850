import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';
import { creative } from './storefront-creatives-support.js';

/*
 * AdCP 3.1's package state on a storefront agent, as media_buy_seller's storyboards check it
 * (create_buy, pending_creatives_to_start, dependency_impairment): the buyer's context persisted
 * from create_media_buy and echoed on get_media_buys (the buy's and each package's), and
 * update_media_buy's `affected_packages`, each a full package after the update. A 3.0 buyer's
 * answers are unchanged. Over MCP with the official client, pinned `adcp_version: "3.1"`.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const account = { account_id: 'acme_media' };

async function buyer() {
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }]);
  const customer = await createCustomer(h, { role: 'BUYER' });
  return agentClient(base, sf.platformId, customer.key);
}

describe('a 3.1 buyer', () => {
  it(
    'gets its buy and package context back on create and get_media_buys, and the updated packages in full',
    { timeout: 120_000 },
    async () => {
      const agent = await buyer();
      try {
        const creativeId = `cr_${randomUUID().slice(0, 8)}`;
        const synced = await agent.call('sync_creatives', {
          idempotency_key: randomUUID(),
          account,
          creatives: [creative(creativeId)],
        });
        expect(synced.isError, JSON.stringify(synced)).toBe(false);
        const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
        const order = buyOf(products[0], account);
        const line = { buyer_ref: 'line-001' };
        const asked = {
          ...order,
          ...v31,
          context: { correlation_id: 'buy-ctx' },
          packages: [{ ...order.packages[0]!, context: line }],
        };
        const created = await agent.call('create_media_buy', asked);
        expect(created.isError, JSON.stringify(created)).toBe(false);
        expect(created.packages[0]).toMatchObject({
          product_id: products[0].product_id,
          context: line,
        });
        const id = created.media_buy_id as string;
        const packageId = created.packages[0].package_id as string;

        const read = await agent.call('get_media_buys', {
          media_buy_ids: [id],
          ...v31,
          context: { correlation_id: 'read-ctx' },
        });
        expect(read.context).toEqual({ correlation_id: 'read-ctx' });
        expect(read.media_buys[0].context).toEqual({ correlation_id: 'buy-ctx' });
        expect(read.media_buys[0].packages[0]).toMatchObject({
          package_id: packageId,
          context: line,
        });
        // A 3.0 read of the same buy: no persisted context, as before 3.1.
        const old = await agent.call('get_media_buys', { media_buy_ids: [id] });
        expect(old.media_buys[0]).not.toHaveProperty('context');
        expect(old.media_buys[0].packages[0]).not.toHaveProperty('context');

        const update = (extra: Record<string, unknown>) =>
          agent.call('update_media_buy', {
            idempotency_key: randomUUID(),
            account,
            media_buy_id: id,
            packages: [
              { package_id: packageId, creative_assignments: [{ creative_id: creativeId }] },
            ],
            ...extra,
          });
        const updated = await update(v31);
        expect(updated.isError, JSON.stringify(updated)).toBe(false);
        expect(updated.affected_packages).toEqual([
          {
            package_id: packageId,
            product_id: products[0].product_id,
            pricing_option_id: order.packages[0]!.pricing_option_id,
            budget: order.packages[0]!.budget,
            // As the seller reports the package, read back after the update.
            paused: false,
            creative_assignments: [{ creative_id: creativeId }],
            context: line,
          },
        ]);
        // The same update from a 3.0 buyer answers as before 3.1.
        const legacy = await update({});
        expect(legacy.isError, JSON.stringify(legacy)).toBe(false);
        expect(legacy).not.toHaveProperty('affected_packages');
      } finally {
        await agent.close();
      }
    },
  );
});
