import { createHash } from 'node:crypto';
import type { SnapshotEntry } from '../../modules/account-notifications/index.js';
import { isRecord } from '../../platform/is-record.js';

/** A wholesale product as get_products answered it (core/product.json). */
export type WireProduct = Record<string, unknown> & { product_id: string };

/** One core/wholesale-feed-event.json, before it is wrapped for a subscriber. */
export interface FeedEvent {
  event_id: string;
  event_type: string;
  entity_type: 'product' | 'feed';
  entity_id: string;
  created_at: string;
  payload: Record<string, unknown>;
}

/**
 * More changes than this in one scan are one `wholesale_feed.bulk_change` for a subscriber of
 * that event (the spec's "too many for useful per-entity pushes"), per-product events otherwise.
 */
export const bulkThreshold = 20;

const digest = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

/** A product as a snapshot keeps it: its metadata and its pricing digested apart. */
export function entryOf(product: WireProduct): SnapshotEntry {
  const { pricing_options: pricing, ...rest } = product;
  const options = Array.isArray(pricing) ? pricing : [];
  return {
    digest: digest(rest),
    pricing: digest(options),
    pricingIds: options.flatMap((o) =>
      isRecord(o) && typeof o['pricing_option_id'] === 'string' ? [o['pricing_option_id']] : [],
    ),
  };
}

/**
 * A stable UUID (version 8, name-based) for one logical change: the same subscriber, feed version
 * and change give the same id, so a scan run twice records each event once.
 */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * What changed between the subscriber's snapshot and the feed now, as the events its
 * `event_types` ask for (core/wholesale-feed-event.json): `product.created` / `product.updated`
 * (metadata) with the full product, `product.priced` with the full pricing options and the ids
 * retired, `product.removed`. More than `bulkThreshold` changes to a subscriber of
 * `wholesale_feed.bulk_change` are that one event instead.
 */
export function feedEventsOf(input: {
  previous: Record<string, SnapshotEntry>;
  products: readonly WireProduct[];
  subscribed: ReadonlySet<string>;
  scope: 'public' | 'account';
  /** Seeds the stable ids: the subscriber and the version the events move the feed to. */
  idSeed: string;
  now: Date;
}): FeedEvent[] {
  const { previous, subscribed } = input;
  const appliesTo = { scope: input.scope };
  const created_at = input.now.toISOString();
  const changes: FeedEvent[] = [];
  const event = (type: string, productId: string, payload: Record<string, unknown>) => {
    changes.push({
      event_id: stableUuid(input.idSeed, type, productId),
      event_type: type,
      entity_type: 'product',
      entity_id: productId,
      created_at,
      payload: { product_id: productId, ...payload, applies_to: appliesTo },
    });
  };
  const current = new Set<string>();
  for (const product of input.products) {
    const id = product.product_id;
    current.add(id);
    const now = entryOf(product);
    const before = previous[id];
    if (!before) {
      event('product.created', id, { product });
      continue;
    }
    if (before.digest !== now.digest) {
      event('product.updated', id, { product });
    }
    if (before.pricing !== now.pricing && Array.isArray(product.pricing_options)) {
      event('product.priced', id, {
        pricing_options: product.pricing_options,
        previous_pricing_option_ids: before.pricingIds,
      });
    }
  }
  for (const id of Object.keys(previous)) {
    if (!current.has(id)) event('product.removed', id, { removal_reason: 'withdrawn' });
  }
  if (changes.length > bulkThreshold && subscribed.has('wholesale_feed.bulk_change')) {
    const affected = new Set(changes.map((c) => c.entity_id)).size;
    return [
      {
        event_id: stableUuid(input.idSeed, 'wholesale_feed.bulk_change'),
        event_type: 'wholesale_feed.bulk_change',
        entity_type: 'feed',
        entity_id: `bulk_${stableUuid(input.idSeed, 'bulk').slice(0, 8)}`,
        created_at,
        payload: {
          summary: `${affected} products changed in one update of the storefront's wholesale feed`,
          affected_entity_type: 'product',
          affected_count: affected,
          recommendation: 'wholesale_resync',
          applies_to: appliesTo,
        },
      },
    ];
  }
  return changes.filter((c) => subscribed.has(c.event_type));
}
