import type { MediaBuyStatus } from '@adcp/sdk/types';
import type { Db } from '../../../../platform/db/database.js';
import { awaitsCreatives } from '../../../../sources/answers.js';
import type { ModularRow } from '../../context.js';
import { modesOf } from '../../setup/modes.js';
import type { BuyHandoff } from '../packages.js';
import * as store from '../store.js';
import type { BuyRow } from '../store.js';

/**
 * A modular buy's AdCP status, derived from how far it got (never stored as a guess): awaiting
 * its booking, its creatives, its trafficking or mapping, its flight; paused by its buyer.
 */
export function statusOf(buy: BuyRow, modular: ModularRow, now: Date): MediaBuyStatus {
  if (buy.status === 'canceled' || buy.status === 'rejected') return buy.status;
  const h = buy.handoff;
  // A sandbox buy's status the test controller forced stands (sandbox/simulated.ts).
  if (h.forcedStatus) return h.forcedStatus;
  const modes = modesOf(modular.setup);
  if (!h.bookedAt) return 'pending_start';
  // Booked with a package no creative is on: the buyer's move (sources/answers.ts).
  if (awaitsCreatives(buy.packages.map((p) => p.creatives))) return 'pending_creatives';
  if (modes.execution !== 'none' && !h.traffickedAt) return 'pending_start';
  if (modes.creative !== 'none') {
    const creatives = buy.packages.flatMap((p) => p.creatives);
    if (creatives.length === 0 || creatives.some((c) => !h.creativeRefs?.[c.creativeId])) {
      return 'pending_creatives';
    }
  }
  if (h.pausedAt) return 'paused';
  if (now < buy.startTime) return 'pending_start';
  if (now > buy.endTime) return 'completed';
  return 'active';
}

/** The buy's handoff recorded, with the status it now has. */
export async function settle(
  tx: Db,
  buy: BuyRow,
  modular: ModularRow,
  handoff: BuyHandoff,
  now: Date,
) {
  const next = { ...buy, handoff };
  return store.update(tx, buy.id, { handoff, status: statusOf(next, modular, now) });
}
