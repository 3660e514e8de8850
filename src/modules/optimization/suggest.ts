import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { OptimizableBuy } from '../campaigns/index.js';
import type { PackageTotals } from '../delivery/index.js';
import {
  type AnalysisBounds,
  type BudgetAdjustment,
  pacingOf,
  proposeShift,
  type WeighedPackage,
} from './analyse.js';
import * as store from './store.js';
import { openStatuses, type SuggestionRow } from './tables.js';

/** How long after a suggestion was applied to a buy no other is made for it. */
export const coolDownMs = 24 * 3_600_000;

/** The fingerprint of a buy's live package budgets a suggestion is made from. */
export function basisOf(buy: OptimizableBuy): string {
  const budgets = buy.packages
    .filter((p) => !p.canceled)
    .map((p) => `${p.packageId}=${p.budget}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(budgets).digest('hex').slice(0, 32);
}

/** Whether every adjusted package of the buy now has the suggestion's `which` budget. */
export function budgetsAre(
  buy: OptimizableBuy,
  adjustments: BudgetAdjustment[],
  which: 'currentBudget' | 'proposedBudget',
): boolean {
  return adjustments.every((a) => {
    const p = buy.packages.find((own) => own.packageId === a.packageId);
    return p !== undefined && !p.canceled && Math.abs(p.budget - a[which]) < 0.005;
  });
}

/** The buy's packages with what each delivered so far (in the buy's currency). */
export function weighedPackages(buy: OptimizableBuy, totals: PackageTotals[]): WeighedPackage[] {
  return buy.packages.map((p) => {
    const t = totals.find((row) => row.packageId === p.packageId && row.currency === buy.currency);
    return {
      packageId: p.packageId,
      productId: p.productId,
      productName: p.productName,
      budget: p.budget,
      canceled: p.canceled,
      spend: t?.spend ?? 0,
      impressions: t?.impressions ?? 0,
      clicks: t?.clicks ?? 0,
      views: t?.views ?? 0,
      completedViews: t?.completedViews ?? 0,
      conversions: t?.conversions ?? 0,
      conversionValue: t?.conversionValue ?? 0,
    };
  });
}

export interface SuggestDeps {
  db: Db;
  packageTotals(customerId: number, mediaBuyId: string): Promise<PackageTotals[]>;
  bounds: AnalysisBounds;
  now(): Date;
}

/**
 * Weighs one placed buy and records what it suggests: open suggestions made from budgets the
 * buy no longer has are EXPIRED first; nothing is suggested within a day of an applied one; a new one is HIL_WAITING (MANUAL) or INGESTED (AUTO,
 * the caller queues it). Undefined when nothing is suggested or the same was suggested before.
 */
export async function suggestFor(
  deps: SuggestDeps,
  buy: OptimizableBuy,
  runId: string,
): Promise<SuggestionRow | undefined> {
  const basis = basisOf(buy);
  for (const open of await store.openSuggestionsOf(deps.db, buy.mediaBuyId, openStatuses)) {
    if (open.basis !== basis) {
      await store.transition(deps.db, open.id, openStatuses, 'EXPIRED', {
        reason: "The media buy's budgets changed since this was suggested",
      });
    }
  }
  // A buy whose budgets a suggestion changed lately waits for delivery under the new budgets.
  const coolDownSince = new Date(deps.now().getTime() - coolDownMs);
  if (await store.appliedSince(deps.db, buy.mediaBuyId, coolDownSince)) return undefined;
  const weighed = weighedPackages(buy, await deps.packageTotals(buy.customerId, buy.mediaBuyId));
  const proposal = proposeShift(buy.goals, weighed, deps.bounds);
  if (!proposal) return undefined;
  const budget = weighed.filter((p) => !p.canceled).reduce((sum, p) => sum + p.budget, 0);
  const spend = weighed.reduce((sum, p) => sum + p.spend, 0);
  const pacing = pacingOf({ start: buy.startTime, end: buy.endTime }, budget, spend, deps.now());
  return store.insertSuggestion(deps.db, {
    id: randomUUID(),
    customerId: buy.customerId,
    advertiserId: buy.advertiserId,
    campaignId: buy.campaignId,
    mediaBuyId: buy.mediaBuyId,
    runId,
    basis,
    applyMode: buy.applyMode,
    metric: proposal.metric,
    rationale: proposal.rationale,
    currency: buy.currency,
    adjustments: proposal.adjustments,
    pacing: pacing ?? null,
    status: buy.applyMode === 'AUTO' ? 'INGESTED' : 'HIL_WAITING',
  });
}
