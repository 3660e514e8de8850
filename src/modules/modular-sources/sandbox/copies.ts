import type { Db } from '../../../platform/db/database.js';
import {
  copyOfKey,
  liveAvailOnSale,
  sandboxStoredIdOf,
  upsertSandboxAvail,
} from './avails-store.js';

/**
 * A sandbox account's buy of one of the seller's own avails books no real capacity (issue 70:
 * AdCP's sandbox account makes "no real platform calls, no real spend"). The ledger books it on a
 * sandbox copy of the avail, kept for that buyer: the same name, channel, flight, price, formats
 * and publishers, offering what the avail has left when the buy is made, less the buyer's own
 * sandbox bookings on it. The avail's own held and booked figures never move, no operator is asked
 * for more than a fixture's buy asks, and the controller may simulate its delivery as a fixture's.
 * The copy is never listed (the avail itself is), and answers name it by the avail's id.
 */

/**
 * The buyer's copy of the seller's avail `availId`, made or brought up to date from the avail;
 * undefined when the source has no such avail on sale (the buy is then refused as it would be).
 */
export async function sandboxCopyOf(
  db: Db,
  source: { id: number; storefrontId: number },
  customerId: number,
  availId: string,
  now: Date,
): Promise<string | undefined> {
  const live = await liveAvailOnSale(db, source.id, availId, now);
  if (!live) return undefined;
  const storedId = sandboxStoredIdOf(customerId, availId);
  const written = await upsertSandboxAvail(db, {
    inventorySourceId: source.id,
    storefrontId: source.storefrontId,
    customerId,
    availId: storedId,
    name: live.name,
    channel: live.channel,
    startTime: live.startTime,
    endTime: live.endTime,
    impressionsCapacity: live.available,
    cpm: Number(live.cpm),
    currency: live.currency ?? 'USD',
    formatOptions: live.formatOptions,
    publisherProperties: live.publisherProperties,
    sourceMetadata: { ...live.sourceMetadata, [copyOfKey]: availId },
  });
  return written ? storedId : undefined;
}
