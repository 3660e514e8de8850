import type { MediaBuyStatus } from '@adcp/sdk/types';
import { pauseCancelActions } from '../../modules/inventory-sources/index.js';
import type { OrderRow } from '../../modules/ad-servers/index.js';
import { awaitsCreatives, type MediaBuyAction } from '../../sources/answers.js';

/**
 * An ad-server buy's AdCP status, from its order's record: an order still being written or
 * approved is pending_start; one written and approved with a package no creative is on waits for
 * the buyer's creatives (pending_creatives, sources/answers.ts), unless the sandbox's test
 * controller forced it active (sandbox/simulated.ts: a forced status stands).
 */
export function statusOf(order: OrderRow): MediaBuyStatus {
  if (order.status === 'active') {
    const forced = order.request['forcedStatus'] === 'active';
    return !forced && awaitsCreatives(order.lines.map((l) => l.creativeIds))
      ? 'pending_creatives'
      : 'active';
  }
  return order.status === 'paused' || order.status === 'canceled' || order.status === 'rejected'
    ? order.status
    : 'pending_start';
}

/**
 * What a buyer may do next: a written order's budgets and flight change in the ad server
 * (booking/changes.ts), and so do its packages' creatives (booking/creative-changes.ts: the
 * coarse `sync_creatives`, under which 3.1's update_creative_assignments rolls up) where its
 * adapter takes them (`changesCreatives`), also while it waits for them; one still written or
 * awaiting the ad server's approval can only be canceled.
 */
export function actionsOf(order: OrderRow, changesCreatives: boolean): MediaBuyAction[] {
  const status = statusOf(order);
  const actions = pauseCancelActions(status, {
    budgetAndDates: true,
    beforeStart: status === 'pending_creatives',
  });
  const written = order.status === 'active' || order.status === 'paused';
  return written && changesCreatives ? [...actions, 'sync_creatives'] : actions;
}
