import type { DayFigures } from '../tables.js';
import type { RevisionRow } from './store.js';

/** Changed days a buyer is shown per revision (the count says how many there were). */
const changesShown = 100;
/** Revisions a buyer is shown per buy, the latest (the count says how many there were). */
export const revisionsShown = 50;

/** A revision as its seller reads it (REST). */
export function revisionView(r: RevisionRow) {
  return {
    id: r.id,
    mediaBuyId: r.buyId,
    revision: r.revision,
    kind: r.kind,
    adjusted: r.adjusted,
    uploadedBy: r.uploadedBy,
    uploadedAt: r.uploadedAt.toISOString(),
    firstDay: r.firstDay,
    lastDay: r.lastDay,
    rowCount: r.rowCount,
    addedDays: r.addedDays,
    currency: r.currency,
    totalsBefore: r.totalsBefore,
    totalsAfter: r.totalsAfter,
    changes: r.changes,
    overdelivery: r.overdelivery,
    notes: r.notes,
    workItemId: r.workItemId,
  };
}

const adcpFigures = (f: DayFigures) => ({
  impressions: f.impressions,
  clicks: f.clicks,
  spend: f.spend,
});

/**
 * A revision as the buyer reads it with its delivery (get_media_buy_delivery, in the delivery's
 * `ext.interchange.delivery_revisions`; AdCP has no field for a report's history): snake_case,
 * package ids as the source names them (the storefront renames them with the packages).
 */
export function adcpRevisionView(r: RevisionRow) {
  return {
    revision: r.revision,
    report_type: r.kind,
    is_adjusted: r.adjusted,
    uploaded_at: r.uploadedAt.toISOString(),
    uploaded_by: r.uploadedBy,
    first_day: r.firstDay,
    last_day: r.lastDay,
    added_days: r.addedDays,
    totals_before: adcpFigures(r.totalsBefore),
    totals_after: adcpFigures(r.totalsAfter),
    changes: r.changes.slice(0, changesShown).map((c) => ({
      package_id: c.packageId,
      date: c.date,
      before: adcpFigures(c.before),
      after: adcpFigures(c.after),
    })),
    changed_count: r.changes.length,
    overdelivery_confirmed: r.overdelivery.map((o) => ({
      package_id: o['packageId'],
      metric: o['metric'],
      requested: o['requested'],
      allowed: o['allowed'],
      confirmed: o['confirmed'],
      ...(o['reason'] ? { reason: o['reason'] } : {}),
    })),
    ...(r.notes && { notes: r.notes }),
  };
}
