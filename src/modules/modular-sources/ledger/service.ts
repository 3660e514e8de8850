import { AppError, conflict, invalid, notFound } from '../../../platform/errors.js';
import type { Buys } from '../buys/service.js';
import * as buys from '../buys/store.js';
import type { ModularContext, OwnedModular } from '../context.js';
import { modulesFor } from '../lifecycle/contracts.js';
import { configsOf } from '../lifecycle/projection.js';
import type { Lifecycle } from '../lifecycle/service.js';
import { modulesOf } from '../lifecycle/store.js';
import * as items from '../work-items/store.js';
import { itemView } from '../work-items/service.js';
import * as store from './store.js';
import type { BookingRow } from './store.js';

export interface ReserveInput {
  productId?: string | undefined;
  availId?: string | undefined;
  mediaBuyId: string;
  packageId?: string | undefined;
  buyerCustomerId: number;
  requestedImpressions: number;
  holdMinutes?: number | undefined;
}

/**
 * The operator's side of the ledger (hosted reservations, bookings/finalize, bookings/release):
 * holds made for deals struck outside the storefront, confirmed or released by hand. Buys placed
 * through the storefront use the same ledger (buys/service.ts).
 */
export function createLedger(ctx: ModularContext, lifecycle: Lifecycle, flow: Buys) {
  const requireLedger = (owned: OwnedModular) => {
    if (!owned.modular.setup.includeBookingLedger) {
      throw invalid(
        'This source was created without a booking ledger: it holds no capacity',
        'sourceId',
      );
    }
  };

  async function requireBooking(
    owned: OwnedModular,
    mediaBuyId: string,
    availId: string,
    packageId?: string,
  ) {
    const booking = await store.findFor(ctx.db, owned.row.id, mediaBuyId, packageId ?? availId);
    if (!booking || booking.availId !== availId) throw notFound('Booking');
    return booking;
  }

  return {
    /** Holds capacity; one that does not fit is refused (409) with what is left. Idempotent per package. */
    async reserve(owned: OwnedModular, input: ReserveInput) {
      requireLedger(owned);
      const availId = input.availId ?? input.productId;
      if (!availId) throw invalid('productId or availId is required', 'availId');
      if (input.productId && input.availId && input.productId !== input.availId) {
        throw invalid('productId and availId name different avails', 'productId');
      }
      const packageId = input.packageId ?? availId;
      const earlier = await store.findFor(ctx.db, owned.row.id, input.mediaBuyId, packageId);
      if (earlier && (earlier.status === 'HELD' || earlier.status === 'BOOKED')) {
        if (
          earlier.availId !== availId ||
          earlier.requestedImpressions !== input.requestedImpressions
        ) {
          throw conflict('This media buy package already holds other avails', 'packageId');
        }
        return bookingView(earlier);
      }
      if (earlier)
        throw conflict(
          `This package's booking was ${earlier.status}; use another packageId`,
          'packageId',
        );
      const config = (await modulesOf(ctx.db, owned.row.id)).find(
        (m) => m.moduleInstanceId === 'booking-ledger',
      )?.config;
      const minutes = input.holdMinutes ?? Number(config?.['holdMinutes'] ?? 1440);
      const held = await store.hold(ctx.db, {
        inventorySourceId: owned.row.id,
        storefrontId: owned.storefront.id,
        availId,
        mediaBuyId: input.mediaBuyId,
        packageId,
        buyerCustomerId: input.buyerCustomerId,
        requestedImpressions: input.requestedImpressions,
        holdExpiresAt: new Date(ctx.now().getTime() + minutes * 60_000),
      });
      if (!held.ok) {
        if (held.reason === 'not_found') throw notFound('Avail');
        throw new AppError(
          'conflict',
          `Avail ${availId} has ${held.available} impressions left; ${input.requestedImpressions} requested`,
          {
            field: 'requestedImpressions',
            details: {
              requestedImpressions: input.requestedImpressions,
              availableImpressions: held.available,
            },
          },
        );
      }
      await lifecycle.report(owned.row, owned.modular);
      return bookingView(held.booking);
    },

    /**
     * Books a hold: at once with the ledger's own booking mode, else a person confirms it (a
     * CONFIRM_AVAILS or EXECUTE_UPSTREAM_BOOKING item) and the hold stays HELD until then.
     */
    async finalize(
      owned: OwnedModular,
      input: { mediaBuyId: string; availId: string; packageId?: string | undefined },
    ) {
      requireLedger(owned);
      const booking = await requireBooking(owned, input.mediaBuyId, input.availId, input.packageId);
      if (await buys.findById(ctx.db, owned.row.id, booking.mediaBuyId)) {
        throw conflict(
          'This booking belongs to a media buy placed through the storefront: complete its FINALIZE_BOOKING work item',
          'mediaBuyId',
        );
      }
      if (booking.status !== 'HELD' && booking.status !== 'BOOKED') {
        throw conflict(`The booking is ${booking.status}`, 'mediaBuyId');
      }
      const specs = modulesFor(
        owned.modular.setup,
        configsOf(await modulesOf(ctx.db, owned.row.id)),
      );
      const stage = specs.flatMap((s) => s.stages).find((s) => s.stage === 'FINALIZE_BOOKING');
      const ledgerRow = (await modulesOf(ctx.db, owned.row.id)).find(
        (m) => m.kind === 'BOOKING_LEDGER',
      );
      const workItems = [];
      let current: BookingRow = booking;
      if (booking.status === 'HELD') {
        if (stage?.mode === 'HITL' && stage.workItemKind) {
          workItems.push(
            await items.open(ctx.db, {
              storefrontId: owned.storefront.id,
              inventorySourceId: owned.row.id,
              moduleRowId: ledgerRow?.id ?? null,
              stage: 'FINALIZE_BOOKING',
              kind: stage.workItemKind,
              title: `Confirm ${booking.requestedImpressions} impressions of ${booking.availId} for ${booking.mediaBuyId}`,
              description: stage.description,
              resourceType: 'BOOKING',
              resourceId: booking.id,
              mediaBuyId: booking.mediaBuyId,
              buyerCustomerId: booking.buyerCustomerId,
              payload: { bookingId: booking.id, availId: booking.availId },
              createdByType: 'operator',
            }),
          );
        } else {
          current = (await store.confirm(ctx.db, booking.id)) ?? booking;
        }
      }
      const projection = await lifecycle.report(owned.row, owned.modular);
      return {
        booking: bookingView(current),
        executionStatus:
          current.status === 'BOOKED' ? ('BOOKED' as const) : ('PENDING_TRAFFICKING' as const),
        workItems: workItems.map((i) => itemView(i)),
        projection,
      };
    },

    /** HELD → RELEASED or BOOKED → CANCELLED, capacity back; a storefront buy is canceled with it. */
    async release(
      owned: OwnedModular,
      input: { mediaBuyId: string; availId: string; packageId?: string | undefined },
    ) {
      requireLedger(owned);
      const booking = await requireBooking(owned, input.mediaBuyId, input.availId, input.packageId);
      const buy = await buys.findById(ctx.db, owned.row.id, booking.mediaBuyId);
      if (buy && buy.status !== 'canceled' && buy.status !== 'rejected') {
        await flow.change(owned.row, owned.modular, buy, { canceled: true });
      } else {
        await store.release(ctx.db, booking.id);
      }
      await lifecycle.report(owned.row, owned.modular);
      return bookingView((await store.find(ctx.db, booking.id)) ?? booking);
    },

    /** Confirms an operator's hold whose CONFIRM_AVAILS item was completed. */
    confirmHeld: (db: Parameters<typeof store.confirm>[0], bookingId: string) =>
      store.confirm(db, bookingId),
  };
}

export function bookingView(b: BookingRow) {
  return {
    bookingId: b.id,
    availId: b.availId,
    mediaBuyId: b.mediaBuyId,
    packageId: b.packageId,
    requestedImpressions: b.requestedImpressions,
    status: b.status,
    buyerCustomerId: b.buyerCustomerId,
    holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
  };
}

export type Ledger = ReturnType<typeof createLedger>;
