import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { GetProductsResponse } from '@adcp/sdk/types';

import type { Db } from '../../../platform/db/database.js';
import { modulesOf } from '../lifecycle/store.js';
import type { AvailRow } from './avails-store.js';
import { availableOf, formatIdOf } from './sale-catalogue.js';

export type Product = GetProductsResponse['products'][number];

export { formatIdOf };

/** The creative agent whose format ids a feed names, unless the avails-feed module says another. */
export const defaultFormatsAgentUrl = 'https://creative.adcontextprotocol.org';

/** The creative agent the source's avails-feed module names for its format ids (or the default). */
export async function formatsAgentUrlOf(db: Db, inventorySourceId: number): Promise<string> {
  const feed = (await modulesOf(db, inventorySourceId)).find(
    (m) => m.moduleInstanceId === 'avails-feed',
  );
  const url = feed?.config['formatsAgentUrl'];
  return typeof url === 'string' && url ? url : defaultFormatsAgentUrl;
}

/** An avail as an AdCP product: its avail id, flight, capacity left (its availability forecast) and one fixed CPM. */
export function productOf(avail: AvailRow, formatsAgentUrl: string): Product {
  const available = availableOf(avail);
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
    extra: {
      // The capacity left, as AdCP says availability: a proposal never allocates more of it.
      forecast: {
        method: 'guaranteed',
        forecast_range_unit: 'availability',
        currency: avail.currency ?? 'USD',
        points: [{ metrics: { impressions: { low: available, mid: available, high: available } } }],
      },
    },
  });
  // When it can run, where, for whom and about what, as the storefront's ranking reads them
  // (sources/brief/product.ts): its flight, the sheet's Market, Audience and Content columns.
  return Object.assign(product, {
    ext: {
      ...product.ext,
      interchange: {
        available: { start: avail.startTime.toISOString(), end: avail.endTime.toISOString() },
        ...(avail.countries.length && { countries: avail.countries }),
        ...(avail.audience && { audience: avail.audience }),
        ...(avail.content && { content: avail.content }),
      },
    },
  });
}
