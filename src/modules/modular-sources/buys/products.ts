import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { GetProductsResponse } from '@adcp/sdk/types';

import type { Db } from '../../../platform/db/database.js';
import { modulesOf } from '../lifecycle/store.js';
import { type AvailRow, availsByRowIds } from './avails-store.js';
import { formatIdOf, rankedSale } from './sale-catalogue.js';

export type Product = GetProductsResponse['products'][number];

export { formatIdOf };

/** The creative agent whose format ids a feed names, unless the avails-feed module says another. */
export const defaultFormatsAgentUrl = 'https://creative.adcontextprotocol.org';

/** How many products one get_products answers at most (the buyer may ask for fewer). */
export const maxProductsPerAnswer = 100;

/**
 * The avails on sale for a brief: active, priced, not over, with capacity left, in the channels
 * asked for; ranked by the one brief matcher every source kind shares (src/sources/brief) over
 * their name, collection, channel, formats and flight, ties by capacity left. What the matcher
 * reads is held between calls (sale-catalogue.ts); the winners are read whole.
 */
export async function availsForBrief(
  db: Db,
  inventorySourceId: number,
  options: Parameters<typeof rankedSale>[2],
): Promise<AvailRow[]> {
  const ranked = await rankedSale(db, inventorySourceId, options);
  if (!ranked.length) return [];
  const rows = await availsByRowIds(
    db,
    ranked.map((r) => r.item.id),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ranked.flatMap((r) => byId.get(r.item.id) ?? []);
}

/** The creative agent the source's avails-feed module names for its format ids (or the default). */
export async function formatsAgentUrlOf(db: Db, inventorySourceId: number): Promise<string> {
  const feed = (await modulesOf(db, inventorySourceId)).find(
    (m) => m.moduleInstanceId === 'avails-feed',
  );
  const url = feed?.config['formatsAgentUrl'];
  return typeof url === 'string' && url ? url : defaultFormatsAgentUrl;
}

/**
 * get_products over a modular source, built: the avails on sale for the brief as AdCP products,
 * with when each answered avail's flight ends (product-set.ts holds the answer until the first).
 */
export async function buildProductsForBrief(
  db: Db,
  inventorySourceId: number,
  formatsAgentUrl: string,
  options: Parameters<typeof availsForBrief>[2],
): Promise<{ products: Product[]; endTimes: number[] }> {
  const avails = await availsForBrief(db, inventorySourceId, options);
  return {
    products: avails.map((a) => productOf(a, formatsAgentUrl)),
    endTimes: avails.map((a) => a.endTime.getTime()),
  };
}

/** An avail as an AdCP product: its avail id, flight, capacity left and one fixed CPM. */
export function productOf(avail: AvailRow, formatsAgentUrl: string): Product {
  const available = Math.max(
    0,
    avail.impressionsCapacity - avail.upstreamBooked - avail.held - avail.booked,
  );
  const product = buildProduct({
    id: avail.availId,
    name: avail.name,
    description: `${avail.collectionName}${avail.collectionDescription ? `: ${avail.collectionDescription}` : ''} (${avail.startTime.toISOString().slice(0, 10)} to ${avail.endTime.toISOString().slice(0, 10)}, ${available} impressions available)`,
    formats: avail.formatOptions.map((f) => ({ id: formatIdOf(f) })),
    agentUrl: formatsAgentUrl,
    delivery_type: 'guaranteed',
    ...(avail.channel && { channels: [avail.channel] }),
    publisher_properties: avail.publisherProperties.map((p) =>
      p.selection_type === 'by_id'
        ? {
            publisher_domain: p.publisher_domain,
            selection_type: 'by_id' as const,
            property_ids: p.property_ids.map((id) => ({
              property_type: 'website',
              identifier: id,
            })),
          }
        : p,
    ),
    pricing: [
      buildPricingOption({
        id: `${avail.availId}_cpm`,
        model: 'cpm',
        fixed: Number(avail.cpm),
        currency: avail.currency ?? 'USD',
      }),
    ],
  });
  // When it can run, for the storefront's ranking of a brief's flight (sources/brief/product.ts).
  return Object.assign(product, {
    ext: {
      ...product.ext,
      interchange: {
        available: { start: avail.startTime.toISOString(), end: avail.endTime.toISOString() },
      },
    },
  });
}
