import type { SimulateDeliveryParams } from '@adcp/sdk/testing';
import { ReachUnitValues } from '@adcp/sdk/types';

type ReachUnit = (typeof ReachUnitValues)[number];
import type { MediaBuyRow } from '../../../../modules/orders/index.js';

/*
 * What a sandbox buy's simulated delivery reports beside impressions, clicks and spend
 * (comply_test_controller simulate_delivery): completed views, and reach and frequency in the
 * buy's declared reach unit. Figures the controller is given are kept; reach it is not given is
 * the audience the buy's frequency cap allows (the fewest people those impressions can reach
 * within the cap: the sandbox honours the cap, so the observed frequency is at most it).
 */

/** What a simulated delivery reports beside impressions, clicks and spend (source.ts). */
export interface SimulatedReach {
  completed_views?: number | undefined;
  /** Reach in `reach_unit`, and the average frequency over it. */
  reach?: number | undefined;
  reach_unit?: ReachUnit | undefined;
  frequency?: number | undefined;
  /** The tightest frequency cap of the buy (max impressions per reach unit), when it has one. */
  frequency_cap?: number | undefined;
  /** The window the reach is measured over (cumulative, period, rolling), when one was given. */
  reach_window?: Record<string, unknown> | undefined;
}

type Extra = SimulatedReach;

const count = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

const objectOf = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : undefined;

/** The buy's packages as the buyer sent them. */
const packagesOf = (row: MediaBuyRow) =>
  (row.routedPackages ?? row.submittedPayload.packages ?? []).map((p) => objectOf(p) ?? {});

const reachUnitOf = (value: unknown): ReachUnit | undefined =>
  ReachUnitValues.find((unit) => unit === value);

/** The reach unit a package declared: its reach goal's, else its frequency cap's `per`. */
function declaredUnit(pkg: Record<string, unknown>): ReachUnit | undefined {
  const goals = Array.isArray(pkg['optimization_goals']) ? pkg['optimization_goals'] : [];
  for (const goal of goals.map(objectOf)) {
    const unit = goal?.['metric'] === 'reach' ? reachUnitOf(goal['reach_unit']) : undefined;
    if (unit) return unit;
  }
  const cap = objectOf(objectOf(pkg['targeting_overlay'])?.['frequency_cap']);
  return reachUnitOf(cap?.['per']);
}

/** The tightest `max_impressions` a package's frequency cap sets. */
function tightestCap(packages: Array<Record<string, unknown>>): number | undefined {
  const caps = packages.flatMap((pkg) => {
    const cap = objectOf(objectOf(pkg['targeting_overlay'])?.['frequency_cap']);
    const max = count(cap?.['max_impressions']);
    return max !== undefined && max > 0 ? [max] : [];
  });
  return caps.length > 0 ? Math.min(...caps) : undefined;
}

export function simulatedReach(row: MediaBuyRow, params: SimulateDeliveryParams): Extra {
  const packages = packagesOf(row);
  const completedViews = count(params['completed_views']);
  const reach = count(params['reach']);
  const frequency = count(params['frequency']);
  const cap = tightestCap(packages);
  const unit = packages.map(declaredUnit).find((u) => u !== undefined);
  const window = reachWindowOf(params['reach_window']);
  return {
    ...(window && { reach_window: window }),
    ...(completedViews !== undefined && { completed_views: completedViews }),
    ...(reach !== undefined && { reach }),
    ...(frequency !== undefined && { frequency }),
    ...(cap !== undefined && { frequency_cap: cap }),
    reach_unit: unit ?? 'individuals',
  };
}

/**
 * Reach and frequency of a simulated delivery: as given, else, under a frequency cap, the
 * fewest people the impressions can reach within it (frequency at most the cap).
 */
export function reachTotals(
  simulated: SimulatedReach,
  impressions: number,
): Pick<SimulatedReach, 'reach' | 'reach_unit' | 'frequency' | 'reach_window'> {
  const cap = simulated.frequency_cap;
  const reach =
    simulated.reach ??
    (cap !== undefined && impressions > 0 ? Math.ceil(impressions / cap) : undefined);
  if (reach === undefined) return {};
  const frequency =
    // not money: a frequency, to two places
    simulated.frequency ?? (reach > 0 ? Math.round((impressions / reach) * 100) / 100 : undefined);
  return {
    reach,
    reach_unit: simulated.reach_unit ?? 'individuals',
    ...(frequency !== undefined && { frequency }),
    ...(simulated.reach_window && { reach_window: simulated.reach_window }),
  };
}

/**
 * A reach window as delivery-metrics.json defines it: `cumulative`, or `period` / `rolling`
 * with the `period` duration they require. Anything else is not kept: no window is reported
 * rather than a malformed one.
 */
function reachWindowOf(value: unknown): Record<string, unknown> | undefined {
  const window = objectOf(value);
  const kind = window?.['kind'];
  if (kind === 'cumulative') return { kind };
  const period = objectOf(window?.['period']);
  if ((kind === 'period' || kind === 'rolling') && period) return { kind, period };
  return undefined;
}
