import { databaseTag } from '../../platform/db/database-tag.js';
import { createReadCache } from '../../platform/read-cache.js';
import type { AdServerContext, ConnectionRow } from './context.js';
import { buildProducts, publisherDomainOf } from './products.js';
import { inventoryVersion } from './sync/runs-store.js';

/*
 * A connection's products, every one of them, held between calls. Building them reads the order
 * of every active placement (10,000 in a large network) and their ad units, though they change
 * only when a sync writes the synced copy or the seller edits the connection. So a built set is
 * kept under the connection's owner, the connection as last saved (updatedAt) and the
 * inventory's version (its latest sync run, moved by every page a run writes: runs-store.ts),
 * whatever the brief (the storefront ranks them); a call reads that version (one row) and builds
 * only when it has moved. Nothing else writes
 * the synced copy (sync/inventory-store.ts). The fleet's cache clearing (a write of any
 * instance) also clears it; an entry lives 5 minutes at most.
 */

const held = createReadCache(5 * 60_000, 256);

/**
 * get_products over a connection: all its products in its own order (products.ts
 * buildProducts), as built for the synced copy as it stands: the same array while held. Callers
 * copy, never change, them.
 */
export async function productsFor(ctx: AdServerContext, connection: ConnectionRow) {
  const [domain, version] = await Promise.all([
    publisherDomainOf(ctx, connection),
    inventoryVersion(ctx.db, connection.inventorySourceId),
  ]);
  const key = JSON.stringify([
    databaseTag(ctx.db),
    connection.storefrontId,
    connection.inventorySourceId,
    connection.updatedAt.getTime(),
    version,
    domain,
  ]);
  return held.get(key, () => buildProducts(ctx, connection, domain));
}
