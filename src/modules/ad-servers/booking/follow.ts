import { z } from 'zod';
import { defineJob } from '../../../platform/jobs/index.js';
import { AdServerError } from '../adapters/port.js';
import type { AdServerContext } from '../context.js';
import type { OrderRow } from './booking-request.js';
import { findOrder, orderSaver } from './orders-store.js';

/*
 * An order followed through the ad server's own approval until it serves (issue 35, item 4).
 * After the seller approved a buy and its order and line items were written, the order is
 * `approving` (the buyer sees pending_start) and a durable job, queued before the order is
 * approved in the ad server, reads its status there until it is approved and a line item is
 * delivering (active), or it is disapproved (rejected, with the ad server's reason), canceled
 * or deleted (canceled). An order still DRAFT (the instance died between recording and
 * approving it) is approved by the job. Each check queues the next, so a crash at any point
 * leaves a queued or expiring job that resumes the following; an order approved for a flight
 * that has not started is checked again when it starts.
 */

export const defaultOrderPollSeconds = 60;

export interface OrderFollower {
  /** Queues the first check of an order about to be approved in the ad server. */
  begin(orderId: string): Promise<void>;
  /** Checks the order in the ad server once and records where it stands; answers the row. */
  check(orderId: string, reschedule: boolean): Promise<OrderRow | undefined>;
}

export function createOrderFollower(ctx: AdServerContext): OrderFollower {
  const pollSeconds = ctx.deps.orderPollSeconds ?? defaultOrderPollSeconds;
  const job = defineJob({
    name: 'ad-server.follow-order',
    payload: z.object({ orderId: z.string().min(1) }),
    singleton: 'queued',
    retry: { limit: 5, delaySeconds: 30, backoff: true },
    timeoutSeconds: 5 * 60,
    handler: async ({ orderId }) => {
      try {
        await follower.check(orderId, true);
      } catch (error) {
        if (!(error instanceof AdServerError)) throw error;
        // The ad server failed or refused this check: try again later rather than spend the
        // job's retries (an order may wait days for its approver).
        ctx.deps.onError?.(error, `ad-server order ${orderId}`);
        await next(orderId, pollSeconds * 5);
      }
    },
  });
  ctx.deps.jobs.define(job);

  const next = (orderId: string, delaySeconds: number) =>
    ctx.deps.jobs.send(
      job,
      { orderId },
      { singletonKey: orderId, delaySeconds: Math.max(1, Math.round(delaySeconds)) },
    );

  const follower: OrderFollower = {
    async begin(orderId) {
      if (ctx.deps.jobs.isStarted()) await next(orderId, pollSeconds);
    },

    async check(orderId, reschedule) {
      const order = await findOrder(ctx.db, orderId);
      if (!order || order.status !== 'approving' || !order.externalOrderId) return order;
      const connection = await ctx.connectionOf(order.inventorySourceId);
      if (!connection) return order;
      const adapter = ctx.adapterFor(connection);
      const save = orderSaver(ctx.db, ctx.now, order.id);
      if (!adapter.orderState) return save({ status: 'active' });
      const now = ctx.now();
      // A failed check throws: the job retries it (and an inline check leaves it to the job).
      let state = await adapter.orderState(order.externalOrderId);
      if (state.adServerStatus === 'DRAFT') {
        // Never approved in the ad server (the instance died, or the call failed, before it was).
        await adapter.approveOrder(order.externalOrderId);
        state = await adapter.orderState(order.externalOrderId);
      }
      const seen = { adServerStatus: state.adServerStatus, adServerCheckedAt: now };
      switch (state.state) {
        case 'delivering':
          return save({ ...seen, status: 'active', error: null });
        case 'rejected':
          return save({
            ...seen,
            status: 'rejected',
            error: {
              code: 'AD_SERVER_DISAPPROVED',
              message: state.reason ?? 'The ad server disapproved the order',
            },
          });
        case 'ended':
          return save({
            ...seen,
            status: 'canceled',
            error: {
              code: 'AD_SERVER_ORDER_ENDED',
              message: `The order is ${state.adServerStatus.toLowerCase()} in the ad server`,
            },
          });
      }
      const saved = await save(seen);
      if (order.endTime <= now) {
        return save({
          error: {
            code: 'AD_SERVER_NOT_APPROVED',
            message: `The ad server had not approved the order (${state.adServerStatus}) when its flight ended`,
          },
        });
      }
      if (reschedule) {
        const untilStart = (order.startTime.getTime() - now.getTime()) / 1000;
        await next(
          order.id,
          state.state === 'approved' ? Math.max(pollSeconds, untilStart) : pollSeconds,
        );
      }
      return saved;
    },
  };
  return follower;
}
