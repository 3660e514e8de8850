import { notFound } from '../../platform/errors.js';
import { packageTotalsOf } from './package-totals-store.js';
import { type SpendOf, spendBetween } from './spend-store.js';
import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { BuyingAgents } from '../discovery/index.js';
import type { ImportFailure, ImportOutcome } from './import-outcome.js';
import { mergedDelivery } from './merged-delivery.js';
import { packageReportsOf } from './report.js';
import * as store from './store.js';
import type { PlacedBuy } from './store.js';

type Json = Record<string, unknown>;

export interface DeliveryDeps {
  db: Db;
  agents: BuyingAgents;
  /** The customer as background work acts for it (identity's actingPrincipal). */
  actingPrincipal: (customerId: number) => Promise<CustomerPrincipal | undefined>;
  /** Longest one get_media_buy_delivery call is waited for. */
  timeoutMs: number;
  now?: () => Date;
}

export interface DateWindow {
  startDate?: string;
  endDate?: string;
}

export {
  type ImportFailure,
  type ImportOutcome,
  isRetryableImportFailure,
} from './import-outcome.js';

const failed = (mediaBuyId: string, reason: ImportFailure, error: string): ImportOutcome => ({
  ok: false,
  mediaBuyId,
  reason,
  error,
});

export type DeliveryService = ReturnType<typeof createDeliveryService>;

/**
 * Delivery import (issue 15): asks each buy's storefront agent get_media_buy_delivery and records
 * per (buy, package, day) what it reported, replacing, never adding to, a day already recorded.
 */
/** Sellers' final figures arrive after the flight: a buy is still imported this long after it. */
export const deliveryGraceMs = 2 * 86_400_000;

export function createDeliveryService(deps: DeliveryDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  /** Records an answer (or a pushed delivery report) for one buy; the number of packages read. */
  async function record(buy: PlacedBuy, answer: Json): Promise<number> {
    const at = now();
    const reports = packageReportsOf(
      answer,
      buy.sellerMediaBuyId,
      buy.currency,
      at.toISOString().slice(0, 10),
    );
    for (const report of reports) await store.recordPackageReport(db, buy, report, at);
    return reports.length;
  }

  async function ask(
    principal: CustomerPrincipal,
    buy: PlacedBuy,
    window: DateWindow,
  ): Promise<ImportOutcome> {
    const result = await deps.agents.call(
      principal,
      buy.salesAgentId,
      'get_media_buy_delivery',
      {
        account: buy.account,
        media_buy_ids: [buy.sellerMediaBuyId],
        include_package_daily_breakdown: true,
        ...(window.startDate && { start_date: window.startDate }),
        ...(window.endDate && { end_date: window.endDate }),
      },
      { timeoutMs: deps.timeoutMs },
    );
    if (!result.ok) return failed(buy.id, 'seller_unavailable', result.error.message);
    if (result.status !== 'completed') {
      return failed(buy.id, 'seller_pending', `The seller answered ${result.status}`);
    }
    const packages = await record(buy, result.data);
    const refused = (Array.isArray(result.data['errors']) ? result.data['errors'] : []) as Json[];
    // An answer with nothing but errors (a source that could not report) is a failed import.
    if (packages === 0 && refused.length > 0) {
      return failed(buy.id, 'seller_refused', String(refused[0]?.['message'] ?? 'refused'));
    }
    return { ok: true, mediaBuyId: buy.id, packages, answer: result.data };
  }

  return {
    /**
     * Imports one placed buy's delivery from its seller now, as its owner. For jobs and the
     * delivery-notification receiver; unknown or unbooked buys answer ok: false.
     */
    async importDeliveryFor(mediaBuyId: string, window: DateWindow = {}): Promise<ImportOutcome> {
      const buy = await store.findPlacedBuy(db, mediaBuyId);
      if (!buy) return failed(mediaBuyId, 'unknown_buy', 'No booked media buy with this id');
      const principal = await deps.actingPrincipal(buy.customerId);
      if (!principal) {
        return failed(mediaBuyId, 'inactive_customer', 'The buy’s customer is inactive');
      }
      return ask(principal, buy, window);
    },

    /**
     * Records a delivery report a seller pushed (AdCP delivery notification: the
     * get_media_buy_delivery shape) for our buy `mediaBuyId`, as an import would. The receiver
     * must have verified the notification first.
     */
    async applyDeliveryReport(mediaBuyId: string, report: Json): Promise<number> {
      const buy = await store.findPlacedBuy(db, mediaBuyId);
      return buy ? record(buy, report) : 0;
    },

    /**
     * Live delivery of a caller's campaign (hosted getDirectedCampaignDelivery): each booked
     * buy asked now, its figures recorded, and the sellers' answers merged into one AdCP
     * delivery response. Another customer's campaign is NOT_FOUND.
     */
    async campaignDelivery(principal: CustomerPrincipal, campaignId: string, window: DateWindow) {
      if (!(await store.campaignIsOwn(db, principal.customerId, campaignId))) {
        throw notFound('Campaign');
      }
      const buys = await store.placedBuysOfCampaign(db, principal.customerId, campaignId);
      const outcomes = await Promise.all(buys.map((b) => ask(principal, b, window)));
      return { campaignId, delivery: mergedDelivery(buys, outcomes, now()) };
    },

    /** Ids of the booked buys a sweep imports now (flight under way or just ended). */
    buysToSweep: (graceMs: number) => store.buysToSweep(db, now(), graceMs),

    /** A customer's buy's recorded delivery per package (the optimizer weighs packages by it). */
    packageTotals: (customerId: number, mediaBuyId: string) =>
      packageTotalsOf(db, customerId, mediaBuyId),

    /** What sellers reported a customer's buy or advertiser spent on the UTC days in [start, end). */
    spendBetween: (customerId: number, of: SpendOf, start: Date, end: Date) =>
      spendBetween(db, customerId, of, start, end),
  };
}
