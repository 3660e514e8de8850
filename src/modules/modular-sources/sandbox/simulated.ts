import type { StoredSourceRow } from '../../inventory-sources/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { cents, spendFor } from '../../../sources/money.js';
import type { ModularContext } from '../context.js';
import * as buys from '../buys/store.js';
import type { BuyRow } from '../buys/store.js';
import * as delivery from '../delivery/store.js';
import { statusOf } from '../buys/flow/status.js';
import type { MediaBuyStatus } from '@adcp/sdk/types';
import { type ControllerAnswer, isSandboxAvailId } from './fixtures.js';
import { mediaBuyStatuses } from '../../../sources/answers.js';
import {
  controllerViewability,
  notMeasured,
  viewabilityColumnsOf,
  withViewability,
  type AddedViewability,
} from '../../../sources/viewability.js';

/**
 * The test controller's scenarios on a sandbox buy a spreadsheet's ledger holds (issue 70, item
 * 2), force_media_buy_status among them: the storefront forwards them to the source holding the buy (agents/merchandising/sandbox/
 * fixtures/buy-route.ts). simulate_delivery and simulate_budget_spend write the buy's delivery as
 * the seller's reports do (modular_delivery, by package and day), so get_media_buy_delivery shows
 * it: impressions, clicks and viewability's counts add up (sources/viewability.ts), a spend
 * reported is the buy's spend so far, split over its packages by budget and put on today (within
 * the flight). Only the caller's buy of its own
 * sandbox avails: a buy of the seller's own avails is never touched.
 */

const refused = (error: string, detail: string) => ({
  success: false,
  error,
  error_detail: detail,
});

/** A money amount as the controller's params carry it. */
const amountOf = (value: unknown) =>
  isRecord(value) && typeof value['amount'] === 'number' && value['amount'] >= 0
    ? {
        amount: value['amount'],
        currency: typeof value['currency'] === 'string' ? value['currency'] : undefined,
      }
    : undefined;
/** Viewability that does not add up with the day's (another standard): nothing is written. */
class Unaddable extends Error {}

const countOf = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;

/** The statuses a sandbox buy may be forced to (media-buy-status.json), and the final ones. */
const forcible = new Set<string>(mediaBuyStatuses);
const finalStatuses = new Set(['completed', 'rejected', 'canceled']);

export function sandboxSimulations(ctx: ModularContext) {
  const { db } = ctx;

  /** The caller's sandbox buy `mediaBuyId`, or the refusal to answer. */
  async function sandboxBuy(
    row: StoredSourceRow,
    customerId: number,
    mediaBuyId: unknown,
  ): Promise<{ buy: BuyRow } | { refusal: ControllerAnswer }> {
    if (typeof mediaBuyId !== 'string' || !mediaBuyId || mediaBuyId.length > 200) {
      return { refusal: refused('INVALID_PARAMS', 'params.media_buy_id is required') };
    }
    const buy = await buys.findById(db, row.id, mediaBuyId);
    if (!buy || buy.buyerCustomerId !== customerId) {
      return {
        refusal: refused('NOT_FOUND', `No media buy ${mediaBuyId} of yours at ${row.sourceId}`),
      };
    }
    if (!buy.packages.length || buy.packages.some((p) => !isSandboxAvailId(p.availId))) {
      const detail = `Media buy ${mediaBuyId} is not a sandbox buy: the test controller changes sandbox buys only`;
      return { refusal: refused('FORBIDDEN', detail) };
    }
    return { buy };
  }

  /**
   * Adds the delivery to the buy's day today (inside its flight); a refusal (a reason) when its
   * viewability does not add up with the day's.
   */
  async function deliver(
    buy: BuyRow,
    added: { impressions: number; clicks: number; viewability?: AddedViewability | undefined },
    spendSoFar: number | undefined,
  ): Promise<string | undefined> {
    const today = ctx.now().toISOString().slice(0, 10);
    const first = buy.startTime.toISOString().slice(0, 10);
    const last = buy.endTime.toISOString().slice(0, 10);
    const day = today < first ? first : today > last ? last : today;
    const budget = buy.packages.reduce((sum, p) => sum + p.budget, 0);
    const shareOf = (pkg: BuyRow['packages'][number]) =>
      budget > 0 ? pkg.budget / budget : 1 / buy.packages.length;
    // Split by budget; the first package takes what the rounding leaves over.
    const split = (n: number) => {
      const rest = buy.packages.slice(1).map((pkg) => Math.floor(n * shareOf(pkg)));
      return [n - rest.reduce((sum, part) => sum + part, 0), ...rest];
    };
    const impressionsOf = split(added.impressions);
    const clicksOf = split(added.clicks);
    const seen = added.viewability;
    const measurableOf = split(seen?.measurable ?? 0);
    const viewableOf = split(seen?.viewable ?? 0);
    const written = db.transaction(async (tx) => {
      await delivery.lockBuy(tx, buy.id);
      const stored = await delivery.daysOf(tx, [buy.id]);
      const rows = buy.packages.map((pkg, index) => {
        const share = shareOf(pkg);
        const impressions = impressionsOf[index]!;
        const clicks = clicksOf[index]!;
        const mine = stored.filter((d) => d.packageId === pkg.packageId);
        const onDay = mine.find((d) => d.day === day);
        const elsewhere = mine.filter((d) => d !== onDay).reduce((s, d) => s + Number(d.spend), 0);
        const dayImpressions = Number(onDay?.impressions ?? 0) + impressions;
        const was = onDay ? viewabilityColumnsOf(onDay) : notMeasured;
        const measurable = measurableOf[index]!;
        const viewability = seen
          ? withViewability(was, {
              ...seen,
              measurable,
              viewable: Math.min(viewableOf[index]!, measurable),
            })
          : was;
        if ('refused' in viewability) throw new Unaddable(viewability.refused);
        const spend =
          spendSoFar !== undefined
            ? Math.max(0, cents(spendSoFar * share) - elsewhere)
            : Number(onDay?.spend ?? 0) + spendFor(impressions, pkg.cpm);
        return {
          inventorySourceId: buy.inventorySourceId,
          buyId: buy.id,
          packageId: pkg.packageId,
          day,
          impressions: dayImpressions,
          clicks: Number(onDay?.clicks ?? 0) + clicks,
          spend: cents(spend),
          currency: pkg.currency,
          ...viewability,
        };
      });
      await delivery.writeDays(tx, rows);
    });
    return written.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof Unaddable) return error.message;
        throw error;
      },
    );
  }

  return {
    /**
     * force_media_buy_status on the caller's sandbox buy: the status it then reports (kept in its
     * handoff, buys/flow/status.ts), unless it reached a final one.
     */
    async force(
      row: StoredSourceRow,
      customerId: number,
      params: Record<string, unknown>,
    ): Promise<ControllerAnswer> {
      const found = await sandboxBuy(row, customerId, params['media_buy_id']);
      if ('refusal' in found) return found.refusal;
      const { buy } = found;
      const status = params['status'];
      if (typeof status !== 'string' || !forcible.has(status)) {
        return refused('INVALID_PARAMS', `status must be one of ${[...forcible].join(', ')}`);
      }
      const modular = await ctx.modularOf(row.id);
      if (!modular) return refused('NOT_FOUND', `Source ${row.sourceId} is not set up`);
      const previous = statusOf(buy, modular, ctx.now());
      if (finalStatuses.has(previous)) {
        const detail = `Media buy ${buy.id} is ${previous}, a final status`;
        return { ...refused('INVALID_TRANSITION', detail), current_state: previous };
      }
      // cast: checked against forcible, AdCP's media-buy statuses, above.
      const forced = status as MediaBuyStatus;
      await buys.update(db, buy.id, {
        status: forced,
        handoff: { ...buy.handoff, forcedStatus: forced },
      });
      return { success: true, previous_state: previous, current_state: forced };
    },

    /** simulate_delivery or simulate_budget_spend on the caller's sandbox buy. */
    async simulate(
      row: StoredSourceRow,
      customerId: number,
      scenario: string,
      params: Record<string, unknown>,
    ): Promise<ControllerAnswer> {
      const found = await sandboxBuy(row, customerId, params['media_buy_id']);
      if ('refusal' in found) return found.refusal;
      const { buy } = found;
      if (scenario === 'simulate_budget_spend') {
        const percentage = params['spend_percentage'];
        if (typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) {
          return refused('INVALID_PARAMS', 'spend_percentage must be within 0..100');
        }
        const budget = buy.packages.reduce((sum, p) => sum + p.budget, 0);
        const spend = {
          amount: cents((budget * percentage) / 100),
          currency: buy.packages[0]!.currency,
        };
        await deliver(buy, { impressions: 0, clicks: 0 }, spend.amount);
        return {
          success: true,
          simulated: { media_buy_id: buy.id, spend_percentage: percentage, reported_spend: spend },
        };
      }
      const viewability = controllerViewability(params['viewability']);
      if (viewability && 'refused' in viewability) {
        return refused('INVALID_PARAMS', viewability.refused);
      }
      const added = {
        impressions: countOf(params['impressions']),
        clicks: countOf(params['clicks']),
      };
      const spend = amountOf(params['reported_spend']);
      const refusal = await deliver(buy, { ...added, viewability }, spend?.amount);
      if (refusal) return refused('INVALID_PARAMS', refusal);
      return {
        success: true,
        simulated: {
          media_buy_id: buy.id,
          ...(params['impressions'] !== undefined && { impressions: added.impressions }),
          ...(params['clicks'] !== undefined && { clicks: added.clicks }),
          ...(spend && { reported_spend: params['reported_spend'] }),
          ...(viewability && { viewability: params['viewability'] }),
        },
      };
    },
  };
}

export type SandboxSimulations = ReturnType<typeof sandboxSimulations>;
