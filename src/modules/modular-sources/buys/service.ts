import { randomBytes } from 'node:crypto';
import type { MediaBuyStatus } from '@adcp/sdk/types';
import type { Db } from '../../../platform/db/database.js';
import { isUniqueViolation } from '../../../platform/db/errors.js';
import type { StoredSourceRow } from '../../inventory-sources/index.js';
import type { ModularContext, ModularRow } from '../context.js';
import type { StageSpec } from '../lifecycle/contracts.js';
import { modulesOf } from '../lifecycle/store.js';
import * as ledger from '../ledger/store.js';
import { modesOf } from '../setup/modes.js';
import * as items from '../work-items/store.js';
import { type BuyerChange, openChangeWork } from './buyer-changes.js';
import type { BuyHandoff } from './packages.js';
import { buyPayload } from './payload.js';
import { type PlaceRequest, priced, refusal } from './pricing.js';
import { BuyRefused } from './refused.js';
import { stagesOf } from './stages.js';
import * as store from './store.js';
import type { BuyRow } from './store.js';

/**
 * Media buys on a modular source: placing one holds its capacity in the ledger (refused, with
 * what is left, when it does not fit) and opens the human work its modes call for; the work
 * items' completion moves it on (handoff). Its status is derived from how far it got, never
 * stored as a guess.
 */
export function createBuys(ctx: ModularContext) {
  const { db } = ctx;

  async function openStage(
    tx: Db,
    row: StoredSourceRow,
    buy: BuyRow,
    stage: { stage: StageSpec; moduleRowId: number },
    resource: { type: string; id: string },
    title: string,
    payload: Record<string, unknown>,
    dueAt: Date | null = null,
  ) {
    if (stage.stage.mode !== 'HITL' || !stage.stage.workItemKind) return undefined;
    return items.open(tx, {
      storefrontId: row.storefrontId,
      inventorySourceId: row.id,
      moduleRowId: stage.moduleRowId,
      stage: stage.stage.stage,
      kind: stage.stage.workItemKind,
      title,
      description: stage.stage.description,
      resourceType: resource.type,
      resourceId: resource.id,
      mediaBuyId: buy.id,
      buyerCustomerId: buy.buyerCustomerId,
      dueAt,
      payload,
      createdByType: 'system',
    });
  }

  /** Opens what follows a confirmed booking: trafficking and the final report. */
  async function openAfterBooking(tx: Db, row: StoredSourceRow, modular: ModularRow, buy: BuyRow) {
    const { find } = await stagesOf(db, row, modular);
    const traffic = find('TRAFFIC_CAMPAIGN');
    if (traffic) {
      await openStage(
        tx,
        row,
        buy,
        traffic,
        { type: 'MEDIA_BUY', id: buy.id },
        `Traffic media buy ${buy.id} (${buy.packages.length} package(s))`,
        buyPayload(buy),
      );
    }
    const report = find('IMPORT_REPORTING');
    if (report) {
      await openStage(
        tx,
        row,
        buy,
        report,
        { type: 'MEDIA_BUY', id: buy.id },
        `Upload the final report of media buy ${buy.id}`,
        buyPayload(buy),
        new Date(buy.endTime.getTime() + 2 * 86_400_000),
      );
    }
  }

  function statusOf(buy: BuyRow, modular: ModularRow, now: Date): MediaBuyStatus {
    if (buy.status === 'canceled' || buy.status === 'rejected') return buy.status;
    const h = buy.handoff;
    const modes = modesOf(modular.setup);
    if (!h.bookedAt) return 'pending_start';
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

  async function settle(tx: Db, buy: BuyRow, modular: ModularRow, handoff: BuyHandoff) {
    const next = { ...buy, handoff };
    return store.update(tx, buy.id, { handoff, status: statusOf(next, modular, ctx.now()) });
  }

  return {
    statusOf,

    /**
     * Places a buy: recorded under the buyer's idempotency key (a retry answers the first
     * buy), each package held in the ledger in the same transaction (one that does not fit
     * refuses the whole buy, saying how much is left), then booked at once or left to a person
     * (the answer is then a task, settled when they confirm).
     */
    async place(
      row: StoredSourceRow,
      modular: ModularRow,
      customerId: number,
      request: PlaceRequest,
    ): Promise<{ buy: BuyRow; replayed: boolean }> {
      const earlier = await store.findByKey(db, row.id, customerId, request.idempotencyKey);
      if (earlier) return { buy: earlier, replayed: true };
      const modes = modesOf(modular.setup);
      const config = (await modulesOf(db, row.id)).find(
        (m) => m.moduleInstanceId === 'booking-ledger',
      )?.config;
      const holdMinutes = Number(config?.['holdMinutes'] ?? 1440);
      // The hold lapses then: the person confirming the booking has until then (dueAt).
      const holdExpiresAt = modular.setup.includeBookingLedger
        ? new Date(ctx.now().getTime() + holdMinutes * 60_000)
        : null;
      const id = `mmb_${randomBytes(10).toString('base64url')}`;
      const packages = await priced(db, row.id, id, request);
      const { find } = await stagesOf(db, row, modular);
      const autoBooked = modular.setup.includeBookingLedger && modes.booking === 'booking_ledger';
      try {
        const buy = await db.transaction(async (tx) => {
          let buy = await store.insert(tx, {
            id,
            inventorySourceId: row.id,
            storefrontId: row.storefrontId,
            buyerCustomerId: customerId,
            idempotencyKey: request.idempotencyKey,
            status: 'pending_start',
            taskId: autoBooked ? null : `mtask_${randomBytes(10).toString('base64url')}`,
            taskStatus: autoBooked ? null : 'submitted',
            startTime: new Date(request.startTime),
            endTime: new Date(request.endTime),
            packages,
            brandDomain: request.brandDomain,
            poNumber: request.poNumber,
          });
          if (holdExpiresAt) {
            for (const [index, pkg] of buy.packages.entries()) {
              const held = await ledger.hold(tx, {
                inventorySourceId: row.id,
                storefrontId: row.storefrontId,
                availId: pkg.availId,
                mediaBuyId: buy.id,
                packageId: pkg.packageId,
                buyerCustomerId: customerId,
                requestedImpressions: pkg.impressions,
                holdExpiresAt,
              });
              if (!held.ok) {
                const byImpressions = request.packages[index]?.impressions !== undefined;
                throw refusal(pkg, held, { index, byImpressions });
              }
              pkg.bookingId = held.booking.id;
              if (autoBooked) await ledger.confirm(tx, held.booking.id);
            }
            buy = await store.update(tx, buy.id, { packages: buy.packages });
          }
          const creativeStage = find('SYNC_CREATIVES');
          if (creativeStage) {
            for (const creative of buy.packages.flatMap((p) => p.creatives)) {
              await openStage(
                tx,
                row,
                buy,
                creativeStage,
                { type: 'CREATIVE', id: `${buy.id}:${creative.creativeId}` },
                `Map creative ${creative.name ?? creative.creativeId} of media buy ${buy.id}`,
                {
                  ...buyPayload(buy),
                  creativeId: creative.creativeId,
                  creativeName: creative.name,
                },
              );
            }
          }
          if (autoBooked) {
            await openAfterBooking(tx, row, modular, buy);
            return settle(tx, buy, modular, { bookedAt: ctx.now().toISOString() });
          }
          const confirm = find('FINALIZE_BOOKING');
          if (confirm) {
            await openStage(
              tx,
              row,
              buy,
              confirm,
              { type: 'MEDIA_BUY', id: buy.id },
              `Confirm the avails of media buy ${buy.id} (${buy.packages.map((p) => `${p.availId}: ${p.impressions}`).join(', ')})`,
              buyPayload(buy),
              holdExpiresAt,
            );
          }
          return buy;
        });
        return { buy, replayed: false };
      } catch (error) {
        if (isUniqueViolation(error, 'modular_buys_idempotency_key')) {
          const first = await store.findByKey(db, row.id, customerId, request.idempotencyKey);
          if (first) return { buy: first, replayed: true };
        }
        throw error;
      }
    },

    /**
     * The booking of a buy is confirmed (CONFIRM_AVAILS or EXECUTE_UPSTREAM_BOOKING completed):
     * its holds become bookings, its task completes, and what follows is opened.
     */
    async confirmBooking(
      tx: Db,
      row: StoredSourceRow,
      modular: ModularRow,
      buy: BuyRow,
      upstreamOrderId: string | undefined,
    ) {
      if (buy.status === 'canceled' || buy.status === 'rejected') {
        throw new BuyRefused('INVALID_STATE', `Media buy ${buy.id} is ${buy.status}`);
      }
      for (const pkg of buy.packages) {
        if (!pkg.bookingId) continue;
        const booked = await ledger.confirm(tx, pkg.bookingId);
        if (!booked) {
          const current = await ledger.find(tx, pkg.bookingId);
          if (current?.status !== 'BOOKED') {
            throw new BuyRefused(
              'INVALID_STATE',
              `The hold on ${pkg.availId} is ${current?.status ?? 'gone'} (it expired or was released): the buyer must buy again`,
            );
          }
        }
      }
      await openAfterBooking(tx, row, modular, buy);
      const settled = await settle(tx, buy, modular, {
        ...buy.handoff,
        bookedAt: ctx.now().toISOString(),
        ...(upstreamOrderId && { upstreamOrderId }),
      });
      return store.update(tx, settled.id, { taskStatus: buy.taskId ? 'completed' : null });
    },

    /** The operator refused the booking (or its hold expired): capacity back, task rejected. */
    async rejectBooking(tx: Db, buy: BuyRow, reason: string) {
      for (const pkg of buy.packages) if (pkg.bookingId) await ledger.release(tx, pkg.bookingId);
      for (const open of await items.openFor(tx, buy.inventorySourceId, buy.id)) {
        await items.transition(tx, open.id, ['OPEN', 'IN_PROGRESS', 'BLOCKED'], {
          status: 'CANCELLED',
          blockedReason: reason,
        });
      }
      return store.update(tx, buy.id, {
        status: 'rejected',
        taskStatus: buy.taskId ? 'rejected' : null,
        taskError: { code: 'PRODUCT_UNAVAILABLE', message: reason },
      });
    },

    async recordHandoff(tx: Db, modular: ModularRow, buy: BuyRow, patch: BuyHandoff) {
      const creativeRefs = { ...buy.handoff.creativeRefs, ...patch.creativeRefs };
      return settle(tx, buy, modular, { ...buy.handoff, ...patch, creativeRefs });
    },

    /**
     * A cancel or a pause/resume from the buyer (update_media_buy), applied to the source's own
     * records at once; what a person did upstream by hand gets a work item to undo it there
     * (buyer-changes.ts). `key`: the buyer's request key (a retry opens nothing twice); none
     * when the operator released the booking themselves (they need no work item to learn it).
     */
    async change(
      row: StoredSourceRow,
      modular: ModularRow,
      buy: BuyRow,
      change: { canceled?: boolean | undefined; paused?: boolean | undefined; key?: string },
    ) {
      if (buy.status === 'canceled' || buy.status === 'rejected') {
        throw new BuyRefused('INVALID_STATE', `Media buy ${buy.id} is ${buy.status}`);
      }
      const key = change.key;
      const work = (tx: Db, changed: BuyRow, kind: BuyerChange, claimed: items.WorkItemRow[]) =>
        key === undefined
          ? undefined
          : openChangeWork(tx, ctx.now(), { row, modular }, changed, { kind, key, claimed });
      return db.transaction(async (tx) => {
        if (change.canceled) {
          for (const pkg of buy.packages)
            if (pkg.bookingId) await ledger.release(tx, pkg.bookingId);
          const open = await items.openFor(tx, row.id, buy.id);
          const now = ctx.now();
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
        if (change.paused !== undefined && Boolean(buy.handoff.pausedAt) !== change.paused) {
          const { pausedAt: _was, ...rest } = buy.handoff;
          const changed = await settle(
            tx,
            buy,
            modular,
            change.paused ? { ...rest, pausedAt: ctx.now().toISOString() } : rest,
          );
          await work(tx, changed, change.paused ? 'pause' : 'resume', []);
          return changed;
        }
        return buy;
      });
    },

    /**
     * Tells the storefront waiting on the buy's task that it settled (after the commit that
     * settled it), so its buyer's task settles now; a failure to tell is only logged by the
     * caller's flow: the storefront's own looks still find it.
     */
    async taskSettled(
      row: Pick<StoredSourceRow, 'id' | 'storefrontId' | 'sourceId'>,
      buyId: string,
    ) {
      const buy = await store.findById(db, row.id, buyId);
      if (!buy?.taskId || buy.taskStatus === 'submitted' || !ctx.deps.taskSettled) return;
      await ctx.deps
        .taskSettled({ storefrontId: row.storefrontId, sourceId: row.sourceId, taskId: buy.taskId })
        .catch(() => undefined);
    },

    /** Releases holds past their expiry; their waiting buys are rejected. */
    async expireHolds(): Promise<number> {
      const expired = await ledger.expireHolds(db, ctx.now());
      for (const booking of expired) {
        const buy = await store.findById(db, booking.inventorySourceId, booking.mediaBuyId);
        if (
          buy &&
          buy.status !== 'canceled' &&
          buy.status !== 'rejected' &&
          !buy.handoff.bookedAt
        ) {
          await db.transaction((tx) =>
            this.rejectBooking(
              tx,
              buy,
              `The hold on ${booking.availId} expired before the booking was confirmed`,
            ),
          );
        }
      }
      return expired.length;
    },
  };
}

export type Buys = ReturnType<typeof createBuys>;
