import type { Db } from '../../../../platform/db/database.js';
import type { StoredSourceRow } from '../../../inventory-sources/index.js';
import type { ModularRow } from '../../context.js';
import * as ledger from '../../ledger/store.js';
import { modesOf } from '../../setup/modes.js';
import * as items from '../../work-items/store.js';
import { amendBuy, type BuyAmend } from './amend.js';
import type { BuyerChange } from './buyer-changes.js';
import { openCreativeWork } from '../flow/stage-work.js';
import { stagesOf } from '../flow/stages.js';
import { settle } from '../flow/status.js';
import * as store from '../store.js';
import type { BuyRow } from '../store.js';

/** Opens the work a buyer's change leaves a person (buyer-changes.ts), given the changed buy. */
export type ChangeWork = (
  tx: Db,
  changed: BuyRow,
  kind: BuyerChange,
  claimed: items.WorkItemRow[],
) => unknown;

/**
 * A buyer's cancel of a buy locked in `tx`: its capacity back, its open work cancelled (its
 * final report still owed where it may have delivered), and the work undoing it upstream.
 */
export async function cancelBuy(
  now: Date,
  tx: Db,
  row: StoredSourceRow,
  modular: ModularRow,
  buy: BuyRow,
  work: ChangeWork,
) {
  for (const pkg of buy.packages) if (pkg.bookingId) await ledger.release(tx, pkg.bookingId);
  const open = await items.openFor(tx, row.id, buy.id);
  // A buy that could serve (booked, trafficked where a person traffics it) and whose
  // flight began may have delivered: its final report is still owed (the buyer's
  // is_final waits on it), now rather than at the old end date.
  const trafficked =
    modesOf(modular.setup).execution === 'none' || Boolean(buy.handoff.traffickedAt);
  const delivered = Boolean(buy.handoff.bookedAt) && trafficked && buy.startTime <= now;
  for (const item of open) {
    if (delivered && item.stage === 'IMPORT_REPORTING') {
      await items.transition(tx, item.id, ['OPEN', 'IN_PROGRESS', 'BLOCKED'], {
        title: `Upload the final report of media buy ${buy.id} (canceled by its buyer)`,
        dueAt: new Date(now.getTime() + 2 * 86_400_000),
      });
      continue;
    }
    await items.transition(tx, item.id, ['OPEN', 'IN_PROGRESS', 'BLOCKED'], {
      status: 'CANCELLED',
      blockedReason: 'The buyer canceled the media buy',
    });
  }
  const canceled = await store.update(tx, buy.id, {
    status: 'canceled',
    taskStatus: buy.taskStatus === 'submitted' ? 'canceled' : buy.taskStatus,
  });
  const claimed = open.filter(
    (i) =>
      i.status === 'IN_PROGRESS' &&
      (i.stage === 'TRAFFIC_CAMPAIGN' || i.kind === 'EXECUTE_UPSTREAM_BOOKING'),
  );
  await work(tx, canceled, 'cancel', claimed);
  return canceled;
}

/**
 * A new flight or package changes (amend.ts) recorded on a buy locked in `tx`: the creatives
 * newly put on its packages go to the person mapping them where one does, and its final report
 * falls due after the new end.
 */
export async function amendedBuy(
  now: Date,
  tx: Db,
  row: StoredSourceRow,
  modular: ModularRow,
  buy: BuyRow,
  amend: BuyAmend,
) {
  const next = await amendBuy(tx, buy, amend);
  let changed = await store.update(tx, buy.id, {
    startTime: next.startTime,
    endTime: next.endTime,
    packages: next.packages,
  });
  changed = await settle(tx, changed, modular, changed.handoff, now);
  const { find } = await stagesOf(tx, row, modular);
  const creativeStage = find('SYNC_CREATIVES');
  if (creativeStage) await openCreativeWork(tx, row, changed, creativeStage, next.added);
  if (next.endTime.getTime() !== buy.endTime.getTime()) {
    for (const item of await items.openFor(tx, row.id, buy.id)) {
      if (item.stage !== 'IMPORT_REPORTING') continue;
      await items.transition(tx, item.id, ['OPEN', 'IN_PROGRESS', 'BLOCKED'], {
        dueAt: new Date(next.endTime.getTime() + 2 * 86_400_000),
      });
    }
  }
  return changed;
}
