import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Harness } from '../../harness.js';
import { agencyBuying, agentClient } from '../../agents/storefront-agent-support.js';
import { dayOf } from '../modular-sources/delivery-support.js';
import { availRow, commitCsv, day, header, modularStorefront } from '../modular-sources/support.js';

type Agent = Awaited<ReturnType<typeof agentClient>>;

/** A CSV download's rows as objects keyed by its header (no quoted commas in these fixtures). */
export function csvRows(text: string) {
  const [head, ...lines] = text.trim().split('\r\n');
  const columns = (head as string).split(',');
  return lines.map((line) =>
    Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])),
  );
}

/** The path and query of a signed download URL (fetched without a key: the link is the key). */
export const pathOf = (downloadUrl: string) => {
  const url = new URL(downloadUrl);
  return url.pathname + url.search;
};

/**
 * A modular storefront (source `avails`, avail `spring` of 5M at CPM 14) and three buys placed
 * over MCP: buyer A's PO-A1 (asap, an estimate number, 1,000 impressions delivered and relayed)
 * and PO-A2 (starting tomorrow), buyer B's PO-B1 (starting in two days).
 */
export async function threeOrders(h: Harness, base: string) {
  const sf = await modularStorefront(h);
  await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('spring', 5_000_000, 14)}`);
  const agents: Agent[] = [];
  async function buyer() {
    const { buyer: customer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, customer.key);
    agents.push(agent);
    const found = await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'homepage takeover',
      account,
    });
    expect(found.isError, JSON.stringify(found)).toBe(false);
    const product = found.products[0];
    const place = async (po: string, start: string, extra: Record<string, unknown> = {}) => {
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        po_number: po,
        start_time: start,
        end_time: day(20),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 2_800,
          },
        ],
        ...extra,
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      return created.media_buy_id as string;
    };
    return { customer, account, agent, product, place };
  }
  const a = await buyer();
  const b = await buyer();
  const a1 = await a.place('PO-A1', 'asap', { agency_estimate_number: 'EST-9' });
  const a2 = await a.place('PO-A2', day(1));
  const b1 = await b.place('PO-B1', day(2));
  // The publisher reports 1,000 impressions of PO-A1 delivered today; the buyer reads it.
  const items = await h.call(
    'GET',
    `/api/v2/storefront/inventory-sources/${sf.sourceId}/modular/work-items?limit=100`,
    { key: sf.seller.key },
  );
  const list = await h.call('GET', '/api/v2/storefront/media-buys', { key: sf.seller.key });
  const sourceBuyOf = (id: string) =>
    (
      list.body.data.items.find((i: { mediaBuyId: string }) => i.mediaBuyId === id) as {
        sources: Array<{ sourceMediaBuyId: string }>;
      }
    ).sources[0]!.sourceMediaBuyId;
  const upload = await h.call(
    'POST',
    `/api/v2/storefront/inventory-sources/${sf.sourceId}/modular/media-buys/${sourceBuyOf(a1)}/delivery-reports`,
    { key: sf.seller.key, body: { rows: [{ date: dayOf(0), impressions: 1_000, spend: 14 }] } },
  );
  expect(upload.status, upload.text).toBe(201);
  const delivery = await a.agent.call('get_media_buy_delivery', {
    media_buy_ids: [a1],
    account: a.account,
  });
  expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
  return {
    sf,
    a,
    b,
    ids: { a1, a2, b1 },
    workItems: items.body.data.items as Array<{ mediaBuyId: string | null }>,
    product: a.product as { product_id: string },
    close: () => Promise.all(agents.map((x) => x.close())),
  };
}
