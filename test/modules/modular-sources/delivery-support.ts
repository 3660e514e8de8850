import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Harness } from '../../harness.js';
import { agencyBuying, agentClient } from '../../agents/storefront-agent-support.js';
import { availRow, commitCsv, header, modularStorefront, sources } from './support.js';

/** The UTC calendar day `n` days from now (YYYY-MM-DD). */
export const dayOf = (n: number) =>
  new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A modular storefront selling one avail at `cpm`, and a buyer's buy of `budget` on it over MCP
 * (booked at once by the ledger), flying from `start` to `end` (a function: read as the buy is
 * made): the buyer's agent client, the
 * storefront's buy id, the source's own buy id (what the publisher's work items name) and the
 * final report's work item.
 */
export async function modularBuy(
  h: Harness,
  base: string,
  options: { budget: number; cpm: number; start: string; end: string | (() => string) },
) {
  const sf = await modularStorefront(h);
  await commitCsv(
    h,
    sf.seller.key,
    sf.sourceId,
    `${header}\n${availRow('spring', 5_000_000, options.cpm)}`,
  );
  const { buyer, account } = await agencyBuying(h);
  const agent = await agentClient(base, sf.platformId, buyer.key);
  const found = await agent.call('get_products', {
    buying_mode: 'brief',
    brief: 'homepage takeover',
    account,
  });
  expect(found.isError, JSON.stringify(found)).toBe(false);
  const product = found.products[0];
  const created = await agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    start_time: options.start,
    end_time: typeof options.end === 'string' ? options.end : options.end(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0].pricing_option_id,
        budget: options.budget,
      },
    ],
  });
  expect(created.isError, JSON.stringify(created)).toBe(false);
  const mediaBuyId = created.media_buy_id as string;
  expect(mediaBuyId, JSON.stringify(created)).toBeTruthy();
  const queue = await h.call(
    'GET',
    `${sources}/${sf.sourceId}/modular/work-items?kind=UPLOAD_FINAL_REPORT`,
    { key: sf.seller.key },
  );
  const item = queue.body.data.items[0] as { id: string; mediaBuyId: string };
  expect(item, queue.text).toBeDefined();
  const src = `${sources}/${sf.sourceId}`;
  return {
    sf,
    key: sf.seller.key,
    src,
    agent,
    account,
    mediaBuyId,
    sourceBuyId: item.mediaBuyId,
    reportItem: item.id,
    reports: `${src}/modular/media-buys/${item.mediaBuyId}/delivery-reports`,
    /** The buyer's get_media_buy_delivery of this buy over MCP. */
    delivery: (extra: Record<string, unknown> = {}) =>
      agent.call('get_media_buy_delivery', { media_buy_ids: [mediaBuyId], account, ...extra }),
  };
}
