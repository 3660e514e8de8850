import { randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { isUniqueViolation } from '../../../platform/db/errors.js';
import type { StoredSourceRow } from '../../inventory-sources/index.js';
import type { ModularContext, ModularRow } from '../context.js';
import { modulesOf } from '../lifecycle/store.js';
import * as ledger from '../ledger/store.js';
import { modesOf } from '../setup/modes.js';
import * as items from '../work-items/store.js';
import { amends, type BuyAmend } from './changes/amend.js';
import { amendedBuy, cancelBuy, type ChangeWork } from './changes/apply.js';
import { openChangeWork } from './changes/buyer-changes.js';
import type { BuyHandoff } from './packages.js';
import { buyPayload } from './payload.js';
import { type PlaceRequest, priced, refusal } from './pricing.js';
import { BuyRefused } from './refused.js';
import { openAfterBooking, openCreativeWork, openStage } from './flow/stage-work.js';
import { stagesOf } from './flow/stages.js';
import { settle, statusOf } from './flow/status.js';
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
      const packages = await priced(db, row.id, id, request, customerId);
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
            const creatives = buy.packages.flatMap((p) => p.creatives);
            await openCreativeWork(tx, row, buy, creativeStage, creatives);
          }
          if (autoBooked) {
            await openAfterBooking(tx, row, modular, buy);
            return settle(tx, buy, modular, { bookedAt: ctx.now().toISOString() }, ctx.now());
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
      const settled = await settle(
        tx,
        buy,
        modular,
        {
          ...buy.handoff,
          bookedAt: ctx.now().toISOString(),
          ...(upstreamOrderId && { upstreamOrderId }),
        },
        ctx.now(),
      );
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
      return settle(tx, buy, modular, { ...buy.handoff, ...patch, creativeRefs }, ctx.now());
    },

    /**
     * A buyer's change of a buy (update_media_buy): a cancel, a pause/resume, a new flight or
     * package changes (amend.ts), applied to the source's own records at once in one transaction
     * on the locked buy; what a person did upstream by hand gets a work item to redo it there
     * (buyer-changes.ts). A buy already canceled or rejected refuses a cancel NOT_CANCELLABLE and
     * anything else INVALID_STATE (AdCP 3.1.19 media_buy_state_machine, recancel_buy). `key`:
     * the buyer's request key (a retry opens nothing twice); none when the operator released the
     * booking themselves (they need no work item to learn it).
     */
    async change(
      row: StoredSourceRow,
      modular: ModularRow,
      buy: BuyRow,
      change: {
        canceled?: boolean | undefined;
        paused?: boolean | undefined;
        key?: string;
        amend?: BuyAmend;
      },
    ) {
      const key = change.key;
      const work: ChangeWork = (tx, changed, kind, claimed) =>
        key === undefined
          ? undefined
          : openChangeWork(tx, ctx.now(), { row, modular }, changed, { kind, key, claimed });
      return db.transaction(async (tx) => {
        // Locked: two changes of one buy (two cancels, two resizes) are settled one after the other.
        const current = (await store.lockById(tx, row.id, buy.id)) ?? buy;
        if (current.status === 'canceled' || current.status === 'rejected') {
          throw change.canceled
            ? new BuyRefused(
                'NOT_CANCELLABLE',
                `Media buy ${current.id} is ${current.status}: it cannot be canceled again`,
                {},
                'canceled',
              )
            : new BuyRefused('INVALID_STATE', `Media buy ${current.id} is ${current.status}`);
        }
        if (change.canceled) return cancelBuy(ctx.now(), tx, row, modular, current, work);
        let changed = current;
        if (change.amend && amends(change.amend)) {
          changed = await amendedBuy(ctx.now(), tx, row, modular, changed, change.amend);
          await work(tx, changed, 'amend', []);
        }
        if (change.paused !== undefined && Boolean(changed.handoff.pausedAt) !== change.paused) {
          const { pausedAt: _was, ...rest } = changed.handoff;
          changed = await settle(
            tx,
            changed,
            modular,
            change.paused ? { ...rest, pausedAt: ctx.now().toISOString() } : rest,
            ctx.now(),
          );
          await work(tx, changed, change.paused ? 'pause' : 'resume', []);
        }
        return changed;
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
