import { isRecord } from '../platform/is-record.js';

/*
 * Viewability as a delivery metric a source records per row (a package's or line item's day) and
 * answers in AdCP's delivery-metrics `viewability` block (issue 70): measurable and viewable
 * impressions add up; viewable_rate is viewable over measurable (AdCP's denominator, never all
 * impressions); viewed_seconds is the average in-view time per measurable impression, so rows
 * average weighted by their measurable impressions; the standard (MRC or GroupM, whose figures
 * are not interchangeable) is named only when every measured row states the same one. A row
 * with no measurable impressions on record measured nothing, and a buy none of whose rows
 * measured anything answers no block (AdCP lets a seller omit what it cannot measure).
 */

/** AdCP's viewability standards (enums/viewability-standard.json). */
export const viewabilityStandards = ['mrc', 'groupm'] as const;
export type ViewabilityStandard = (typeof viewabilityStandards)[number];
export const isViewabilityStandard = (value: unknown): value is ViewabilityStandard =>
  typeof value === 'string' && (viewabilityStandards as readonly string[]).includes(value);

/** A row's viewability as stored: null where it was not measured or not stated. */
export interface RowViewability {
  measurableImpressions: number | null;
  viewableImpressions: number | null;
  /** Average in-view seconds per measurable impression. */
  viewedSeconds: number | null;
  viewabilityStandard: string | null;
}

/** The columns a row without viewability stores. */
export const notMeasured: RowViewability = {
  measurableImpressions: null,
  viewableImpressions: null,
  viewedSeconds: null,
  viewabilityStandard: null,
};

/** Just the viewability of a stored row (its other columns left out). */
export const viewabilityColumnsOf = (row: RowViewability): RowViewability => ({
  measurableImpressions: row.measurableImpressions,
  viewableImpressions: row.viewableImpressions,
  viewedSeconds: row.viewedSeconds,
  viewabilityStandard: row.viewabilityStandard,
});

const round = (value: number, places: number) => {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
};

/**
 * The rows' viewability as one row's (a line item's over its days, say): counts summed, seconds
 * weighted by measurable impressions (none unless every row that measured impressions gave
 * them), the standard when every measured row states the same one. Not measured when none did.
 */
export function combinedViewability(rows: readonly RowViewability[]): RowViewability {
  const measured = rows.filter((r) => r.measurableImpressions !== null);
  if (measured.length === 0) return notMeasured;
  const measurable = measured.reduce((n, r) => n + Number(r.measurableImpressions), 0);
  const timed = measured.filter((r) => Number(r.measurableImpressions) > 0);
  const seconds =
    measurable > 0 && timed.every((r) => r.viewedSeconds !== null)
      ? timed.reduce((n, r) => n + Number(r.viewedSeconds) * Number(r.measurableImpressions), 0) /
        measurable
      : null;
  const standards = new Set(measured.map((r) => r.viewabilityStandard));
  return {
    measurableImpressions: measurable,
    viewableImpressions: measured.reduce((n, r) => n + Number(r.viewableImpressions ?? 0), 0),
    viewedSeconds: seconds,
    viewabilityStandard: standards.size === 1 ? ([...standards][0] ?? null) : null,
  };
}

/** AdCP's viewability block of one row's figures, or undefined when it measured none. */
export function viewabilityBlock(row: RowViewability) {
  if (row.measurableImpressions === null) return undefined;
  const measurable = Number(row.measurableImpressions);
  const viewable = Number(row.viewableImpressions ?? 0);
  const standard = row.viewabilityStandard;
  return {
    measurable_impressions: measurable,
    viewable_impressions: viewable,
    ...(measurable > 0 && { viewable_rate: round(Math.min(1, viewable / measurable), 4) }),
    ...(measurable > 0 &&
      row.viewedSeconds !== null && { viewed_seconds: round(Number(row.viewedSeconds), 3) }),
    ...(isViewabilityStandard(standard) && { standard }),
  };
}

/** AdCP's viewability block of the rows, or undefined when none of them measured any. */
export const viewabilityOf = (rows: readonly RowViewability[]) =>
  viewabilityBlock(combinedViewability(rows));

/** Viewability one delivery adds (the test controller's block, or a report row's columns). */
export interface AddedViewability {
  measurable: number;
  viewable: number;
  viewedSeconds?: number | undefined;
  standard?: ViewabilityStandard | undefined;
}

/**
 * What a row holds once `added` is delivered on top of it: counts summed, seconds weighted by
 * measurable impressions (kept only when both sides have them, or one side measured nothing),
 * the standard only when both sides state the same one.
 * Refused (a reason) when the standards differ: MRC and GroupM figures do not add up.
 */
export function withViewability(
  was: RowViewability,
  added: AddedViewability,
): RowViewability | { refused: string } {
  const before = Number(was.measurableImpressions ?? 0);
  const standard = was.viewabilityStandard;
  if (before > 0 && standard && added.standard && standard !== added.standard) {
    return {
      refused: `The day already holds ${standard} viewability: ${added.standard} figures do not add up with it`,
    };
  }
  const measurable = before + added.measurable;
  const seconds = (side: number | null | undefined, weight: number) =>
    weight === 0 ? 0 : side === null || side === undefined ? undefined : side * weight;
  const a = seconds(was.viewedSeconds, before);
  const b = seconds(added.viewedSeconds, added.measurable);
  return {
    measurableImpressions: measurable,
    viewableImpressions: Number(was.viewableImpressions ?? 0) + added.viewable,
    viewedSeconds:
      a === undefined || b === undefined || measurable === 0
        ? null
        : round((a + b) / measurable, 3),
    // A standard stated on one side only is not known of the whole: none is named then.
    viewabilityStandard:
      before === 0 ? (added.standard ?? null) : standard === added.standard ? standard : null,
  };
}

const whole = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The test controller's `viewability` block (simulate_delivery): measurable and viewable
 * impressions (whole, viewable ≤ measurable), viewed_seconds and standard optional; its
 * viewable_rate is derived, never taken. Undefined when absent; a reason when malformed.
 */
export function controllerViewability(
  value: unknown,
): AddedViewability | { refused: string } | undefined {
  if (value === undefined) return undefined;
  const why = 'viewability needs whole measurable_impressions ≥ viewable_impressions ≥ 0';
  if (!isRecord(value)) return { refused: why };
  const measurable = value['measurable_impressions'];
  const viewable = value['viewable_impressions'];
  if (!whole(measurable) || !whole(viewable) || viewable > measurable) return { refused: why };
  const seconds = value['viewed_seconds'];
  if (seconds !== undefined && !(typeof seconds === 'number' && seconds >= 0 && seconds < 1e6)) {
    return { refused: 'viewability.viewed_seconds must be a number of seconds ≥ 0' };
  }
  const standard = value['standard'];
  if (standard !== undefined && !isViewabilityStandard(standard)) {
    return { refused: `viewability.standard must be one of ${viewabilityStandards.join(', ')}` };
  }
  return { measurable, viewable, viewedSeconds: seconds, standard };
}

/** `{ viewability }` of the rows, to spread into a delivery's totals or package; {} when none measured. */
export function viewabilityField(rows: readonly RowViewability[]) {
  const viewability = viewabilityOf(rows);
  return viewability ? { viewability } : {};
}
