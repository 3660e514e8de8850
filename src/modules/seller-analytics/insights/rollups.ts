import {
  decidePosture,
  minRunsForBuyerPosture,
  minRunsForPosture,
  postures,
  type Posture,
  type PostureSignals,
  winRate,
} from '../../postures/index.js';
import {
  buyerKeyOf,
  deliveredOf,
  mergeTallies,
  rate,
  round4,
  sumBudgets,
  type RunFacts,
} from '../runs/facts.js';
import { cents } from '../../../sources/money.js';

/** The signals the posture table reads, over a set of eligible runs. */
export function signalsOf(runs: readonly RunFacts[]): PostureSignals {
  const objections = runs.filter((r) => r.asks.hadPriceObjection);
  return {
    runCount: runs.length,
    bookedRunCount: runs.filter((r) => r.booked).length,
    priceObjectionRunCount: objections.length,
    priceObjectionBookedRunCount: objections.filter((r) => r.booked).length,
    packagingAskRunCount: runs.filter((r) => r.asks.hadPackagingAsk).length,
    wholesaleRunCount: runs.filter((r) => r.run.buyingMode === 'wholesale').length,
  };
}

const average = (total: number, count: number) => (count === 0 ? 0 : round4(total / count));
const shown = (runs: readonly RunFacts[]) =>
  runs.reduce((sum, r) => sum + r.run.productIds.length, 0);
const bookedShare = (runs: readonly RunFacts[]) => {
  const booked = runs.filter((r) => r.booked).length;
  return { booked, winRate: winRate(booked, runs.length) };
};
const askConversion = (runs: readonly RunFacts[]) => {
  const askRuns = runs.filter((r) => r.askRun);
  return {
    askRunCount: askRuns.length,
    askToBookConversionRate: rate(askRuns.filter((r) => r.booked).length, askRuns.length),
  };
};

/** historicalPerformance over the window's eligible runs. */
export function historicalPerformanceOf(runs: readonly RunFacts[]) {
  const { booked, winRate } = bookedShare(runs);
  const tally = mergeTallies(runs.map((r) => r.tally));
  const objections = runs.filter((r) => r.asks.hadPriceObjection);
  const packaging = runs.filter((r) => r.asks.hadPackagingAsk);
  const bookedRuns = runs.filter((r) => r.booked);
  const unbookedRuns = runs.filter((r) => !r.booked);
  const byBuyer = new Map<string, number>();
  for (const r of runs) byBuyer.set(buyerKeyOf(r.run), (byBuyer.get(buyerKeyOf(r.run)) ?? 0) + 1);
  return {
    runCount: runs.length,
    bookedRunCount: booked,
    winRate,
    ...askConversion(runs),
    priceObjectionConversionRate: rate(
      objections.filter((r) => r.booked).length,
      objections.length,
    ),
    packagingAskConversionRate: rate(packaging.filter((r) => r.booked).length, packaging.length),
    averageBookedBudget:
      tally.booked.size === 0 ? null : cents(sumBudgets(tally.booked) / tally.booked.size),
    averageProductsPerRun: average(shown(runs), runs.length),
    averageProductsPerBookedRun:
      bookedRuns.length === 0 ? null : average(shown(bookedRuns), bookedRuns.length),
    averageProductsPerUnbookedRun:
      unbookedRuns.length === 0 ? null : average(shown(unbookedRuns), unbookedRuns.length),
    deliveryRate: rate(tally.deliveryReportedCount, tally.booked.size),
    repeatBuyerCount: [...byBuyer.values()].filter((n) => n >= 2).length,
    recommendedPosture: decidePosture(signalsOf(runs)).posture,
  };
}

/** outcomes over every run of the window (only ok runs can attract events: they showed products). */
export function outcomesOf(runs: readonly RunFacts[]) {
  const tally = mergeTallies(runs.map((r) => r.tally));
  return {
    attributedRunCount: runs.filter((r) => r.tally.eventCount > 0).length,
    eventCount: tally.eventCount,
    submittedCount: tally.submittedCount,
    forwardedCount: tally.forwardedCount,
    forwardFailedCount: tally.forwardFailedCount,
    rejectedCount: tally.rejectedCount,
    deliveryReportedCount: tally.deliveryReportedCount,
    bookedMediaBuyCount: tally.booked.size,
    bookedBudget: sumBudgets(tally.booked),
    ...deliveredOf(tally),
  };
}

/** buyers[]: one row per buyer identity, most runs first, then latest run, then key. */
export function buyersOf(runs: readonly RunFacts[]) {
  const groups = new Map<string, RunFacts[]>();
  for (const r of runs) {
    const key = buyerKeyOf(r.run);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows = [...groups.entries()].map(([key, group]) => {
    const { run } = group[0]!;
    const tally = mergeTallies(group.map((r) => r.tally));
    const times = group.map((r) => r.run.createdAt.getTime());
    const { booked, winRate } = bookedShare(group);
    const total = shown(group);
    return {
      key,
      row: {
        operatorDomain: run.operatorDomain,
        brandDomain: run.brandDomain,
        country: run.country,
        firstRunAt: new Date(Math.min(...times)).toISOString(),
        lastRunAt: new Date(Math.max(...times)).toISOString(),
        runCount: group.length,
        bookedRunCount: booked,
        winRate,
        ...askConversion(group),
        attributedRunCount: group.filter((r) => r.tally.eventCount > 0).length,
        eventCount: tally.eventCount,
        totalShownProducts: total,
        averageShownProducts: average(total, group.length),
        priceObjectionCount: group.filter((r) => r.asks.hadPriceObjection).length,
        packagingAskCount: group.filter((r) => r.asks.hadPackagingAsk).length,
        requestAskCount: group.reduce((s, r) => s + r.asks.requestAskCount, 0),
        productAskCount: group.reduce((s, r) => s + r.asks.productAskCount, 0),
        proposalAskCount: group.reduce((s, r) => s + r.asks.proposalAskCount, 0),
        bookedMediaBuyCount: tally.booked.size,
        bookedBudget: sumBudgets(tally.booked),
        averageBookedBudget:
          tally.booked.size === 0 ? null : cents(sumBudgets(tally.booked) / tally.booked.size),
        ...deliveredOf(tally),
        recommendedPosture: decidePosture(signalsOf(group), minRunsForBuyerPosture).posture,
      },
    };
  });
  rows.sort(
    (a, b) =>
      b.row.runCount - a.row.runCount ||
      b.row.lastRunAt.localeCompare(a.row.lastRunAt) ||
      a.key.localeCompare(b.key),
  );
  return rows.map((r) => r.row);
}

/** seasonality[]: eligible runs by UTC month (YYYY-MM), oldest first. */
export function seasonalityOf(runs: readonly RunFacts[]) {
  const groups = new Map<string, RunFacts[]>();
  for (const r of runs) {
    const period = r.run.createdAt.toISOString().slice(0, 7);
    groups.set(period, [...(groups.get(period) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, group]) => {
      const { booked, winRate } = bookedShare(group);
      const budget = sumBudgets(mergeTallies(group.map((r) => r.tally)).booked);
      return {
        period,
        runCount: group.length,
        bookedRunCount: booked,
        winRate,
        ...askConversion(group),
        priceObjectionCount: group.filter((r) => r.asks.hadPriceObjection).length,
        packagingAskCount: group.filter((r) => r.asks.hadPackagingAsk).length,
        bookedBudget: budget,
        // Seed 003: "average booked budget across booked runs in the period".
        averageBookedBudget: booked === 0 ? null : cents(budget / booked),
        averageShownProducts: average(shown(group), group.length),
        recommendedPosture: decidePosture(signalsOf(group), minRunsForPosture).posture,
      };
    });
}

/** postureConversion: by the posture each run used, and adherence to the recommendation. */
export function postureConversionOf(runs: readonly RunFacts[]) {
  const byPosture = postures.flatMap((posture) => {
    const group = runs.filter((r) => r.run.selectedPosture === posture);
    if (group.length === 0) return [];
    const { booked, winRate } = bookedShare(group);
    return [
      {
        posture,
        runCount: group.length,
        bookedRunCount: booked,
        winRate,
        bookedBudget: sumBudgets(mergeTallies(group.map((r) => r.tally)).booked),
      },
    ];
  });
  const comparable = runs.filter(
    (r) => r.run.selectedPosture !== null && r.run.recommendedPosture !== null,
  );
  const followed = comparable.filter((r) => r.run.selectedPosture === r.run.recommendedPosture);
  const diverged = comparable.filter((r) => r.run.selectedPosture !== r.run.recommendedPosture);
  const winRateOf = (group: RunFacts[]) => rate(group.filter((r) => r.booked).length, group.length);
  return {
    byPosture,
    adherence: {
      comparableRunCount: comparable.length,
      followedCount: followed.length,
      // Null when nothing is comparable (seed 003), and when the group itself is empty.
      followedWinRate: winRateOf(followed),
      divergedWinRate: winRateOf(diverged),
    },
  };
}

/** The posture that converted best with at least 5 runs; ties: more runs, then table order. */
export function learnedDefaultOf(
  byPosture: ReturnType<typeof postureConversionOf>['byPosture'],
  checkedAt: string,
): { posture: Posture; reason: string; checkedAt: string } | null {
  const ranked = byPosture
    .filter((p) => p.runCount >= minRunsForPosture)
    .sort((a, b) => b.winRate - a.winRate || b.runCount - a.runCount);
  const best = ranked[0];
  if (!best) return null;
  return {
    posture: best.posture,
    reason: `Best win rate (${best.winRate}) over ${best.runCount} runs using this posture.`,
    checkedAt,
  };
}
