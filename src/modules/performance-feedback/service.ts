import type { Db } from '../../platform/db/database.js';
import type { PlacedBuy } from '../campaigns/index.js';
import type { SpendOf } from '../delivery/index.js';
import type { CountedEvent } from '../event-sources/index.js';
import { feedbackGoalOf, performanceIndexOf } from './performance-index.js';
import * as store from './store.js';

/** How a provide_performance_feedback call to a buy's seller ended. */
export type FeedbackOutcome = { ok: true } | { ok: false; message: string };

export interface PerformanceFeedbackDeps {
  db: Db;
  /**
   * Campaigns' placed buys with goals whose flight overlaps [start, end), in id order after
   * `afterId` (campaigns' port).
   */
  placedBuys(
    during: { start: Date; end: Date },
    afterId: string,
    limit: number,
  ): Promise<PlacedBuy[]>;
  /** What sellers reported spent on the days in [start, end) (delivery). */
  spendBetween(customerId: number, of: SpendOf, start: Date, end: Date): Promise<number>;
  /** The advertiser's logged conversions a goal counts in [start, end) (event-sources). */
  conversions(
    customerId: number,
    advertiserId: number,
    counted: CountedEvent[],
    start: Date,
    end: Date,
  ): Promise<{ count: number; value: number }>;
  /** Sends provide_performance_feedback to the buy's agent as the buy's customer. */
  send(
    customerId: number,
    salesAgentId: string,
    request: Record<string, unknown>,
  ): Promise<FeedbackOutcome>;
}

export type PerformanceFeedbackService = ReturnType<typeof createPerformanceFeedbackService>;

const page = 200;
const dayMs = 86_400_000;

/** The UTC day before `now`: the measurement period a sweep at `now` reports. */
export function periodBefore(now: Date) {
  const end = new Date(Math.floor(now.getTime() / dayMs) * dayMs);
  return { start: new Date(end.getTime() - dayMs), end };
}

/**
 * AdCP performance feedback from the buyer's own conversion events (issue 32): once per placed
 * buy of a campaign with an event goal and per UTC day, the advertiser's logged conversions the
 * goal counts are weighed against the seller-reported spend and the goal's target, and sent as
 * provide_performance_feedback under a key fixed for (buy, day). A day without spend or without
 * conversions is recorded as SKIPPED with the reason; one the seller did not take is resent by
 * the next sweep under the same key.
 */
export function createPerformanceFeedbackService(deps: PerformanceFeedbackDeps) {
  const { db } = deps;

  async function deliver(row: store.FeedbackRow, sellerAgent: string) {
    const outcome = await deps.send(row.customerId, sellerAgent, row.request ?? {});
    if (outcome.ok) await store.settle(db, row.id, 'SENT');
    else await store.settle(db, row.id, 'FAILED', outcome.message);
    return outcome.ok;
  }

  /**
   * A period already recorded: SENT or SKIPPED sends nothing; one left SENDING or FAILED is
   * resent as first recorded, under its key (the seller takes a key once).
   */
  async function resume(row: store.FeedbackRow, sellerAgent: string) {
    if (row.status === 'SENT' || row.status === 'SKIPPED') return false;
    return deliver(row, sellerAgent);
  }

  /** Claims and sends (or skips) one buy's period; true when feedback reached the seller. */
  async function feedbackFor(buy: PlacedBuy, start: Date, end: Date): Promise<boolean> {
    const goal = feedbackGoalOf(buy.goals);
    if (!goal) return false;
    // Every sweep of the day passes here: a period already recorded is not measured again.
    const held = await store.periodOf(db, buy.mediaBuyId, start);
    if (held) return resume(held, buy.salesAgentId);
    const key = `perf-feedback-${buy.mediaBuyId}-${start.toISOString().slice(0, 10)}`;
    const base = { customerId: buy.customerId, mediaBuyId: buy.mediaBuyId, idempotencyKey: key };
    const spend = await deps.spendBetween(
      buy.customerId,
      { mediaBuyId: buy.mediaBuyId },
      start,
      end,
    );
    const conversions = await deps.conversions(
      buy.customerId,
      buy.advertiserId,
      goal.counted,
      start,
      end,
    );
    const skipped = (reason: string) =>
      store.claimPeriod(db, {
        ...base,
        periodStart: start,
        periodEnd: end,
        status: 'SKIPPED',
        reason,
        conversions: conversions.count,
        spend,
      });
    if (spend <= 0) {
      await skipped('The seller reported no spend for the period');
      return false;
    }
    if (conversions.count === 0) {
      await skipped('No conversions the goal counts were logged in the period');
      return false;
    }
    // Events carry no campaign or click id: the advertiser's conversions are shared among its
    // buys by their spend, so each buy's CPA is the advertiser's blended one for the period.
    const advertiserSpend = await deps.spendBetween(
      buy.customerId,
      { advertiserId: buy.advertiserId },
      start,
      end,
    );
    const totalSpend = Math.max(spend, advertiserSpend);
    const share = spend / totalSpend;
    const index = performanceIndexOf(goal, spend, {
      count: conversions.count * share,
      value: conversions.value * share,
    });
    const request = {
      media_buy_id: buy.sellerMediaBuyId,
      idempotency_key: key,
      measurement_period: { start: start.toISOString(), end: end.toISOString() },
      performance_index: index,
      metric_type: 'cost_efficiency',
      feedback_source: 'buyer_attribution',
    };
    const { row, claimed } = await store.claimPeriod(db, {
      ...base,
      periodStart: start,
      periodEnd: end,
      status: 'SENDING',
      conversions: conversions.count,
      spend,
      performanceIndex: index,
      request,
    });
    // Another instance's sweep may have recorded the period since it was looked up.
    return claimed ? deliver(row, buy.salesAgentId) : resume(row, buy.salesAgentId);
  }

  return {
    /** Feedback for the UTC day before `now` on every placed buy with an event goal; answers how many were sent. */
    async sweep(now: Date = new Date()): Promise<number> {
      const { start, end } = periodBefore(now);
      let sent = 0;
      for (let after = ''; ;) {
        const buys = await deps.placedBuys({ start, end }, after, page);
        for (const buy of buys) if (await feedbackFor(buy, start, end)) sent++;
        if (buys.length < page) break;
        after = buys[buys.length - 1]!.mediaBuyId;
      }
      return sent;
    },

    /** What was recorded (sent, skipped, failed) for a customer's buy, oldest period first. */
    recorded: (customerId: number, mediaBuyId: string) =>
      store.feedbackOf(db, customerId, mediaBuyId),
  };
}
