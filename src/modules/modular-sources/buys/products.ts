import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { GetProductsResponse } from '@adcp/sdk/types';

type Product = GetProductsResponse['products'][number];
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/database.js';
import { modularAvails } from '../tables.js';
import type { FormatOption } from '../feeds/avail.js';
import { modulesOf } from '../lifecycle/store.js';

export type AvailRow = typeof modularAvails.$inferSelect;

/** The creative agent whose format ids a feed names, unless the avails-feed module says another. */
export const defaultFormatsAgentUrl = 'https://creative.adcontextprotocol.org';

/** How many products one get_products answers at most (the buyer may ask for fewer). */
export const maxProductsPerAnswer = 100;

export const availableSql = sql<number>`greatest(${modularAvails.impressionsCapacity} - ${modularAvails.upstreamBooked} - ${modularAvails.held} - ${modularAvails.booked}, 0)`;

/**
 * The avails on sale for a brief: active, priced, not over, with capacity left, in the channels
 * asked for; ranked by how many of the brief's words their name, collection and channel hold,
 * then by capacity left: an indexed scan of the source's avails on sale ranked on narrow rows,
 * then one read of the winners.
 */
export async function availsForBrief(
  db: Db,
  inventorySourceId: number,
  options: {
    brief?: string | undefined;
    channels?: string[] | undefined;
    limit: number;
    now: Date;
  },
): Promise<AvailRow[]> {
  const words = [
    ...new Set(
      (options.brief ?? '')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length >= 3),
    ),
  ].slice(0, 12);
  const haystack = sql`lower(${modularAvails.name} || ' ' || ${modularAvails.collectionName} || ' ' || coalesce(${modularAvails.channel}, ''))`;
  // No brief: no score to rank by (a bare `order by 0` would name a column position).
  const score = words.length
    ? [
        desc(
          sql.join(
            words.map((w) => sql`(case when ${haystack} like ${`%${w}%`} then 1 else 0 end)`),
            sql` + `,
          ),
        ),
      ]
    : [];
  // Rank on narrow rows (the id and the sort keys), then read the winners whole: the top-N
  // sort no longer carries every on-sale avail's jsonb columns (10,000 avails: about half the
  // time of ranking whole rows; bench/README.md, modular-products.ts).
  const ranked = await db
    .select({ id: modularAvails.id })
    .from(modularAvails)
    .where(
      and(
        eq(modularAvails.inventorySourceId, inventorySourceId),
        eq(modularAvails.active, true),
        gt(modularAvails.endTime, options.now),
        sql`${modularAvails.cpm} is not null`,
        sql`${availableSql} > 0`,
        options.channels?.length ? inArray(modularAvails.channel, options.channels) : undefined,
      ),
    )
    .orderBy(...score, desc(availableSql), modularAvails.availId)
    .limit(options.limit);
  if (!ranked.length) return [];
  const rows = await db
    .select()
    .from(modularAvails)
    .where(
      inArray(
        modularAvails.id,
        ranked.map((r) => r.id),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ranked.flatMap((r) => byId.get(r.id) ?? []);
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
 * get_products over a modular source: the avails on sale for the brief as AdCP products, the
 * ranking and the formats agent read side by side (the agent's answer and the operator's
 * …/modular/products are this one call).
 */
export async function productsForBrief(
  db: Db,
  inventorySourceId: number,
  options: Parameters<typeof availsForBrief>[2],
): Promise<Product[]> {
  const [avails, agentUrl] = await Promise.all([
    availsForBrief(db, inventorySourceId, options),
    formatsAgentUrlOf(db, inventorySourceId),
  ]);
  return avails.map((a) => productOf(a, agentUrl));
}

/** An avail as an AdCP product: its avail id, flight, capacity left and one fixed CPM. */
export function productOf(avail: AvailRow, formatsAgentUrl: string): Product {
  const available = Math.max(
    0,
    avail.impressionsCapacity - avail.upstreamBooked - avail.held - avail.booked,
  );
  return buildProduct({
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
}

export const formatIdOf = (f: FormatOption) => f.format_option_id ?? f.format_kind;
