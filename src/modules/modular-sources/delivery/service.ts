import { randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { conflict, invalid, notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { cents } from '../../../platform/pricing.js';
import type { Buys } from '../buys/service.js';
import * as buys from '../buys/store.js';
import type { BuyRow } from '../buys/store.js';
import type { ModularContext, OwnedModular } from '../context.js';
import type { Lifecycle } from '../lifecycle/service.js';
import { overdeliveryConfirmations } from '../schemas/delivery-reports.js';
import type { DayFigures } from '../tables.js';
import * as items from '../work-items/store.js';
import { bookingIssues, dayBounds, dayIssue, latestPerDay } from './checks.js';
import { rawRowsOf, readRow, type ReportRow, type RowIssue } from './rows.js';
import * as store from './store.js';
import { revisionView } from './views.js';

/** Refused rows a refusal names one by one (the first is also its field and message). */
const maxRefusedNamed = 100;

/** A report as sent: REST's body, or a final-report work item's result. */
export interface ReportInput {
  rows?: unknown;
  csvText?: unknown;
  currency?: unknown;
  confirmOverdelivery?: unknown;
  notes?: unknown;
}

interface Applying {
  owned: OwnedModular;
  buy: BuyRow;
  input: ReportInput;
  final: boolean;
  /** Who sends it: user:{id}. */
  actor: string;
  /** Where the report's fields sit in the request ('' on REST, 'result.' on a work item). */
  prefix: string;
  /** The final-report work item being completed with it, if any. */
  workItemId?: string | undefined;
}

const figuresOf = (days: Array<{ impressions: number; clicks: number; spend: number }>) => ({
  impressions: days.reduce((s, d) => s + Number(d.impressions), 0),
  clicks: days.reduce((s, d) => s + Number(d.clicks), 0),
  spend: cents(days.reduce((s, d) => s + Number(d.spend), 0)),
});
const same = (a: DayFigures, b: DayFigures) =>
  a.impressions === b.impressions && a.clicks === b.clicks && cents(a.spend) === cents(b.spend);

/**
 * Delivery reports of a modular source's buys (docs/modular-sources.md, "Delivery reports"):
 * interim during the flight, final after it, each checked against the buy (days inside the
 * flight with a day's grace and not in the future; cumulative impressions and spend within the
 * booking × the storefront's tolerance unless the seller confirms an overdelivery), applied
 * day by day (a day reported again is replaced, never added to) and kept as a numbered revision.
 */
export function createDeliveryReports(ctx: ModularContext, lifecycle: Lifecycle, flow: Buys) {
  const { db } = ctx;

  /**
   * Applies one report in `tx` and answers its revision. Throws 409 when the buy was never
   * booked; then 400 naming every refused row (with requested and allowed figures); then 409 for
   * a final report while the flight runs, or an interim one after the final.
   */
  async function apply(tx: Db, a: Applying): Promise<store.RevisionRow> {
    await store.lockBuy(tx, a.buy.id);
    const buy = (await buys.findById(tx, a.buy.inventorySourceId, a.buy.id)) ?? a.buy;
    if (!buy.handoff.bookedAt || buy.status === 'rejected') {
      throw conflict(`Media buy ${buy.id} was never booked: it has no delivery`, 'mediaBuyId');
    }
    const now = ctx.now();
    const state = await store.revisionState(tx, buy.id);
    const confirmations = overdeliveryConfirmations.safeParse(a.input.confirmOverdelivery ?? []);
    if (!confirmations.success) {
      throw invalid(
        `${a.prefix}confirmOverdelivery must list {packageId?, impressions?, spend?, reason?}`,
        `${a.prefix}confirmOverdelivery`,
      );
    }
    const stored = await store.daysOf(tx, [buy.id]);
    const bounds = dayBounds(buy, now);
    const rows: ReportRow[] = [];
    const issues: RowIssue[] = [];
    rawRowsOf(a.input, a.prefix).forEach((raw, index) => {
      const row = readRow(raw, index, buy, a.prefix);
      if (Array.isArray(row)) return issues.push(...row);
      const outside = dayIssue(row, bounds, a.prefix);
      if (outside) issues.push(outside);
      // Still summed with the rest: a refusal names every figure to fix at once.
      rows.push(row);
    });
    const checked = bookingIssues(
      rows,
      stored,
      buy,
      a.owned.storefront.deliveryTolerancePercent,
      confirmations.data,
      a.prefix,
    );
    refuse([...issues, ...checked.issues]);
    if (a.final && now < buy.endTime && buy.status !== 'canceled') {
      throw conflict(
        `The flight of media buy ${buy.id} runs until ${buy.endTime.toISOString()}: send interim reports (final: false) until then`,
        'final',
      );
    }
    if (!a.final && state.final) {
      throw conflict(
        `Media buy ${buy.id} has its final report: a correction is a final report too (final: true)`,
        'final',
      );
    }

    const applied = latestPerDay(rows);
    const before = new Map(stored.map((d) => [`${d.packageId}\u0000${d.day}`, d]));
    const changes = applied.flatMap((r) => {
      const was = before.get(`${r.packageId}\u0000${r.day}`);
      const after = { impressions: r.impressions, clicks: r.clicks, spend: r.spend };
      return was && !same(was, after)
        ? [{ packageId: r.packageId, date: r.day, before: figuresOf([was]), after }]
        : [];
    });
    const currency =
      typeof a.input.currency === 'string' && /^[A-Z]{3}$/.test(a.input.currency)
        ? a.input.currency
        : (buy.packages[0]?.currency ?? 'USD');
    const id = `dr_${randomBytes(9).toString('base64url')}`;
    await store.writeDays(
      tx,
      applied.map((r) => ({
        inventorySourceId: buy.inventorySourceId,
        buyId: buy.id,
        packageId: r.packageId,
        day: r.day,
        impressions: r.impressions,
        clicks: r.clicks,
        spend: r.spend,
        currency,
        ...r.viewability,
        workItemId: a.workItemId ?? null,
        reportId: id,
      })),
    );
    const replaced = new Set(applied.map((r) => `${r.packageId}\u0000${r.day}`));
    const days = applied.map((r) => r.day).sort();
    const revision = await store.insertRevision(tx, {
      id,
      inventorySourceId: buy.inventorySourceId,
      buyId: buy.id,
      revision: state.last + 1,
      kind: a.final ? 'final' : 'interim',
      adjusted: changes.length > 0,
      uploadedBy: a.actor,
      uploadedAt: now,
      firstDay: days[0]!,
      lastDay: days.at(-1)!,
      rowCount: rows.length,
      addedDays: applied.filter((r) => !before.has(`${r.packageId}\u0000${r.day}`)).length,
      currency,
      totalsBefore: figuresOf(stored),
      totalsAfter: figuresOf([
        ...stored.filter((d) => !replaced.has(`${d.packageId}\u0000${d.day}`)),
        ...applied,
      ]),
      changes,
      overdelivery: checked.overdelivery.map((o) => ({ ...o })),
      notes: typeof a.input.notes === 'string' && a.input.notes ? a.input.notes : null,
      workItemId: a.workItemId ?? null,
    });
    if (a.final) await settleFinal(tx, a, buy, revision);
    return revision;
  }

  /** A final report closes the buy's report work item (unless it is the one being completed). */
  async function settleFinal(tx: Db, a: Applying, buy: BuyRow, revision: store.RevisionRow) {
    await flow.recordHandoff(tx, a.owned.modular, buy, {
      reportUploadedAt: revision.uploadedAt.toISOString(),
    });
    if (a.workItemId) return;
    for (const open of await items.openFor(tx, buy.inventorySourceId, buy.id)) {
      if (open.stage !== 'IMPORT_REPORTING') continue;
      const result = { deliveryReportId: revision.id, revision: revision.revision };
      const done = await items.transition(tx, open.id, ['OPEN', 'IN_PROGRESS', 'BLOCKED'], {
        status: 'COMPLETED',
        result: { ...open.result, ...result },
        completedBy: a.actor,
        completedAt: revision.uploadedAt,
      });
      if (done) await items.event(tx, open.id, 'COMPLETED', 'user', a.actor, null, { result });
    }
  }

  async function requireBuy(owned: OwnedModular, buyId: string) {
    const buy = await buys.findById(db, owned.row.id, buyId);
    if (!buy) throw notFound('Media buy');
    return buy;
  }

  const totalsOf = async (buy: BuyRow) => {
    const days = await store.daysOf(db, [buy.id]);
    return { ...figuresOf(days), currency: days[0]?.currency ?? buy.packages[0]?.currency ?? null };
  };

  return {
    apply,

    /** Uploads a report of one of the source's buys (REST); another source's buy is NOT_FOUND. */
    async upload(
      owned: OwnedModular,
      principal: CustomerPrincipal,
      buyId: string,
      body: ReportInput & { final?: boolean | undefined },
    ) {
      const buy = await requireBuy(owned, buyId);
      const revision = await db.transaction((tx) =>
        apply(tx, {
          owned,
          buy,
          input: body,
          final: body.final === true,
          actor: `user:${principal.userId}`,
          prefix: '',
        }),
      );
      if (revision.kind === 'final') await lifecycle.report(owned.row, owned.modular);
      return {
        revision: revisionView(revision),
        delivery: { ...(await totalsOf(buy)), isFinal: revision.kind === 'final' },
      };
    },

    /** A buy's delivery on record and every revision that made it, oldest first. */
    async history(owned: OwnedModular, buyId: string) {
      const buy = await requireBuy(owned, buyId);
      const revisions = await store.revisionsOfBuy(db, owned.row.id, buy.id);
      return {
        mediaBuyId: buy.id,
        isFinal: revisions.some((r) => r.kind === 'final'),
        totals: await totalsOf(buy),
        revisions: revisions.map(revisionView),
      };
    },

    /** The days and revisions of the buys (for the buyer's get_media_buy_delivery). */
    async recordsOf(buyIds: string[]) {
      const [days, revisions] = await Promise.all([
        store.daysOf(db, buyIds),
        store.revisionsOf(db, buyIds),
      ]);
      return { days, revisions };
    },
  };
}

export type DeliveryReports = ReturnType<typeof createDeliveryReports>;

/** Refuses a report with issues: the first as the error, every one (up to 100) in details. */
function refuse(issues: RowIssue[]) {
  const first = issues[0];
  if (!first) return;
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more refused: see details.issues)` : '';
  throw invalid(`${first.message}${more}`, first.field, {
    ...(first.requested !== undefined && { requested: first.requested }),
    ...(first.allowed !== undefined && { allowed: first.allowed }),
    issues: issues.slice(0, maxRefusedNamed),
    refusedRowCount: new Set(issues.map((i) => /rows\[(\d+)\]/.exec(i.field)?.[1])).size,
  });
}
