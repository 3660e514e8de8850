import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { dayOf, modularBuy } from './delivery-support.js';
import { day } from './support.js';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Issue = { field: string; requested?: unknown; allowed?: unknown };

describe('a modular source’s delivery reports are checked against the buy', () => {
  it('refuses rows before the flight, in the future or beyond the booking; the buyer sees none of it', async () => {
    // A $2,800 / 200k buy (CPM 14) whose flight starts in two days.
    const buy = await modularBuy(h, base, { budget: 2_800, cpm: 14, start: day(2), end: day(20) });
    try {
      const complete = (rows: unknown[]) =>
        h.call('POST', `${buy.src}/modular/work-items/${buy.reportItem}/complete`, {
          key: buy.key,
          body: { result: { rows } },
        });

      // Dated before the flight (beyond the day's grace).
      const early = await complete([{ date: dayOf(-5), impressions: 1_000, spend: 14 }]);
      expect(early.status, early.text).toBe(400);
      expect(early.body.error.field).toBe('result.rows[0].date');
      expect(early.body.error.details).toMatchObject({
        requested: dayOf(-5),
        allowed: { from: dayOf(1), to: dayOf(21) },
      });

      // Dated in the future, with more than was booked: every refusal named, with its numbers.
      const future = await complete([{ date: dayOf(3), impressions: 300_000, spend: 9_999 }]);
      expect(future.status, future.text).toBe(400);
      const issues = future.body.error.details.issues as Issue[];
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field: 'result.rows[0].date',
            requested: dayOf(3),
            allowed: { to: dayOf(0) },
          }),
          expect.objectContaining({
            field: 'result.rows[0].impressions',
            requested: 300_000,
            allowed: 220_000,
          }),
          expect.objectContaining({
            field: 'result.rows[0].spend',
            requested: 9_999,
            allowed: 3_080,
          }),
        ]),
      );

      // The buyer's delivery over MCP shows nothing of either report.
      const delivery = await buy.delivery();
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({ impressions: 0, spend: 0 });
    } finally {
      await buy.agent.close();
    }
  }, 120_000);

  it('keeps delivery within the booking and the storefront’s tolerance unless the seller confirms an overdelivery', async () => {
    const buy = await modularBuy(h, base, { budget: 2_800, cpm: 14, start: 'asap', end: day(20) });
    try {
      const upload = (body: Record<string, unknown>) =>
        h.call('POST', buy.reports, { key: buy.key, body });
      // 215,000 of 200,000 booked: within the default 10 % tolerance.
      const within = await upload({
        rows: [{ date: dayOf(0), impressions: 215_000, spend: 2_900 }],
      });
      expect(within.status, within.text).toBe(201);

      // 10,000 more the day before takes the package to 225,000: refused, with the numbers.
      const over = await upload({ rows: [{ date: dayOf(-1), impressions: 10_000, spend: 140 }] });
      expect(over.status, over.text).toBe(400);
      expect(over.body.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'rows[0].impressions',
        details: { requested: 225_000, allowed: 220_000 },
      });

      // Confirmed explicitly, naming the figure, it is recorded with the revision.
      const confirmed = await upload({
        rows: [{ date: dayOf(-1), impressions: 10_000, spend: 140 }],
        confirmOverdelivery: [{ impressions: 225_000 }],
      });
      expect(confirmed.status, confirmed.text).toBe(201);
      expect(confirmed.body.data.revision.overdelivery).toEqual([
        expect.objectContaining({
          metric: 'impressions',
          requested: 225_000,
          allowed: 220_000,
          confirmed: 225_000,
        }),
      ]);

      // The tolerance is the storefront's: at 0 %, the same figures need confirming again.
      const strict = await h.call('PUT', '/api/v2/storefront', {
        key: buy.key,
        body: { deliveryTolerancePercent: 0 },
      });
      expect(strict.status, strict.text).toBe(200);
      expect(strict.body.data.deliveryTolerancePercent).toBe(0);
      const again = await upload({ rows: [{ date: dayOf(-1), impressions: 10_000, spend: 140 }] });
      expect(again.status, again.text).toBe(400);
      expect(again.body.error.details).toMatchObject({ requested: 225_000, allowed: 200_000 });

      // What the buyer is billed of it is the storefront's stated policy: by default the budget
      // is the ceiling; a storefront that bills the excess says so, and the buyer reads it.
      const billing = async () =>
        (await buy.delivery()).media_buy_deliveries[0].ext.interchange.billing;
      expect(await billing()).toEqual({
        overdelivery_billing: 'not_billed',
        budget: 2_800,
        delivered_spend: 3_040,
        billable_spend: 2_800,
        excess_spend: 240,
      });
      const billed = await h.call('PUT', '/api/v2/storefront', {
        key: buy.key,
        body: { overdeliveryBilling: 'billed' },
      });
      expect(billed.status, billed.text).toBe(200);
      expect(billed.body.data.overdeliveryBilling).toBe('billed');
      expect(await billing()).toMatchObject({
        overdelivery_billing: 'billed',
        billable_spend: 3_040,
      });
      const unknown = await h.call('PUT', '/api/v2/storefront', {
        key: buy.key,
        body: { overdeliveryBilling: 'sometimes' },
      });
      expect(unknown.status, unknown.text).toBe(400);
      expect(unknown.body.error.field).toBe('overdeliveryBilling');
    } finally {
      await buy.agent.close();
    }
  }, 120_000);
});

describe('interim, corrected and final delivery reports', () => {
  it('takes interim reports in flight, replaces corrected days with a revision the buyer sees, then a final one', async () => {
    let endsAt = 0;
    const buy = await modularBuy(h, base, {
      budget: 2_800,
      cpm: 14,
      start: 'asap',
      end: () => new Date((endsAt = Date.now() + 30_000)).toISOString(),
    });
    try {
      const upload = (body: Record<string, unknown>) =>
        h.call('POST', buy.reports, { key: buy.key, body });
      const first = await upload({
        rows: [{ date: dayOf(-1), impressions: 1_000, clicks: 10, spend: 14 }],
      });
      expect(first.status, first.text).toBe(201);
      expect(first.body.data.revision).toMatchObject({ revision: 1, kind: 'interim' });
      const second = await upload({
        csvText: `date,impressions,clicks,spend\n${dayOf(0)},2000,30,28`,
      });
      expect(second.status, second.text).toBe(201);

      // Interim figures: not final; the buyer reads both days.
      const interim = await buy.delivery({ include_package_daily_breakdown: true });
      const d = interim.media_buy_deliveries[0];
      expect(d.totals).toMatchObject({ impressions: 3_000, clicks: 40, spend: 42 });
      expect(d.by_package[0].is_final).toBe(false);
      expect(
        d.by_package[0].daily_breakdown.map((r: { date: string; impressions: number }) => [
          r.date,
          r.impressions,
        ]),
      ).toEqual([
        [dayOf(-1), 1_000],
        [dayOf(0), 2_000],
      ]);

      // A correction of yesterday replaces it (not 409, not added) and is kept as a revision.
      const corrected = await upload({
        rows: [{ date: dayOf(-1), impressions: 900, clicks: 9, spend: 12.6 }],
        notes: 'IVT removed',
      });
      expect(corrected.status, corrected.text).toBe(201);
      expect(corrected.body.data.revision).toMatchObject({
        revision: 3,
        adjusted: true,
        changes: [
          {
            packageId: expect.any(String),
            date: dayOf(-1),
            before: { impressions: 1_000, clicks: 10, spend: 14 },
            after: { impressions: 900, clicks: 9, spend: 12.6 },
          },
        ],
      });
      const history = await h.call('GET', buy.reports, { key: buy.key });
      expect(history.status, history.text).toBe(200);
      expect(history.body.data.revisions.map((r: { revision: number }) => r.revision)).toEqual([
        1, 2, 3,
      ]);
      expect(history.body.data.revisions[2].uploadedBy).toMatch(/^user:/);

      // The buyer sees the corrected figures, that they were adjusted, and the history.
      const adjusted = (await buy.delivery()).media_buy_deliveries[0];
      expect(adjusted.totals).toMatchObject({ impressions: 2_900, clicks: 39 });
      expect(adjusted.is_adjusted).toBe(true);
      const revisions = adjusted.ext.interchange.delivery_revisions as Array<
        Record<string, unknown>
      >;
      expect(revisions.map((r) => r['revision'])).toEqual([1, 2, 3]);
      expect(revisions[2]).toMatchObject({
        report_type: 'interim',
        is_adjusted: true,
        notes: 'IVT removed',
        changes: [
          expect.objectContaining({
            date: dayOf(-1),
            before: expect.objectContaining({ impressions: 1_000 }),
            after: expect.objectContaining({ impressions: 900 }),
          }),
        ],
      });

      // A final report waits for the end of the flight.
      const early = await upload({
        rows: [{ date: dayOf(0), impressions: 2_100, spend: 29.4 }],
        final: true,
      });
      expect(early.status, early.text).toBe(409);
      expect(early.body.error.field).toBe('final');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt - Date.now() + 500)));

      // The final report (the work item) closes it: final for the buyer.
      const done = await h.call(
        'POST',
        `${buy.src}/modular/work-items/${buy.reportItem}/complete`,
        {
          key: buy.key,
          body: {
            result: { rows: [{ date: dayOf(0), impressions: 2_100, clicks: 31, spend: 29.4 }] },
          },
        },
      );
      expect(done.status, done.text).toBe(200);
      const final = (await buy.delivery()).media_buy_deliveries[0];
      expect(final.by_package[0].is_final).toBe(true);
      expect(final.is_final).toBe(true);
      expect(final.totals).toMatchObject({ impressions: 3_000, clicks: 40 });

      // A corrected final report is accepted again on the same item, as docs promise (not 409).
      const fix = await h.call('POST', `${buy.src}/modular/work-items/${buy.reportItem}/complete`, {
        key: buy.key,
        body: {
          result: { rows: [{ date: dayOf(0), impressions: 2_050, clicks: 31, spend: 28.7 }] },
        },
      });
      expect(fix.status, fix.text).toBe(200);
      const fixed = (await buy.delivery()).media_buy_deliveries[0];
      expect(fixed.totals).toMatchObject({ impressions: 2_950 });
      expect(fixed.is_final).toBe(true);
      // After the final report, an interim one is refused.
      const late = await upload({ rows: [{ date: dayOf(0), impressions: 1, spend: 0 }] });
      expect(late.status, late.text).toBe(409);
      const all = await h.call('GET', buy.reports, { key: buy.key });
      expect(
        all.body.data.revisions.map((r: { revision: number; kind: string }) => [
          r.revision,
          r.kind,
        ]),
      ).toEqual([
        [1, 'interim'],
        [2, 'interim'],
        [3, 'interim'],
        [4, 'final'],
        [5, 'final'],
      ]);
    } finally {
      await buy.agent.close();
    }
  }, 150_000);

  it('reads a buy the buyer canceled as canceled, with what it delivered, and takes its final report', async () => {
    const buy = await modularBuy(h, base, { budget: 1_400, cpm: 14, start: 'asap', end: day(10) });
    try {
      const interim = await h.call('POST', buy.reports, {
        key: buy.key,
        body: { rows: [{ date: dayOf(0), impressions: 4_000, clicks: 12, spend: 56 }] },
      });
      expect(interim.status, interim.text).toBe(201);
      const canceled = await buy.agent.call('update_media_buy', {
        media_buy_id: buy.mediaBuyId,
        account: buy.account,
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      const delivery = (await buy.delivery()).media_buy_deliveries[0];
      expect(delivery).toMatchObject({
        status: 'canceled',
        totals: { impressions: 4_000, clicks: 12, spend: 56 },
      });
      const listed = await h.call(
        'GET',
        `/api/v2/storefront/media-buys?sourceId=${buy.sf.sourceId}`,
        {
          key: buy.key,
        },
      );
      expect(
        listed.body.data.items.map((b: { mediaBuyId: string; status: string }) => [
          b.mediaBuyId,
          b.status,
        ]),
        listed.text,
      ).toEqual([[buy.mediaBuyId, 'canceled']]);
      // It delivered, so its final report is still owed: the item stays in the queue.
      const item = async () =>
        (await h.call('GET', `${buy.src}/modular/work-items/${buy.reportItem}`, { key: buy.key }))
          .body.data.item;
      expect(await item()).toMatchObject({ status: 'OPEN', stage: 'IMPORT_REPORTING' });
      // Its flight is cut short: the final report need not wait for the end date.
      const final = await h.call('POST', buy.reports, {
        key: buy.key,
        body: {
          final: true,
          rows: [{ date: dayOf(0), impressions: 4_100, clicks: 12, spend: 57.4 }],
        },
      });
      expect(final.status, final.text).toBe(201);
      const closed = (await buy.delivery()).media_buy_deliveries[0];
      expect(closed).toMatchObject({ status: 'canceled', is_final: true, is_adjusted: true });
      expect(await item()).toMatchObject({ status: 'COMPLETED' });
    } finally {
      await buy.agent.close();
    }
  }, 120_000);

  it('keeps another storefront’s buy and reports NOT_FOUND', async () => {
    const buy = await modularBuy(h, base, { budget: 1_400, cpm: 14, start: 'asap', end: day(5) });
    const other = await modularBuy(h, base, { budget: 1_400, cpm: 14, start: 'asap', end: day(5) });
    try {
      const theirs = `${other.src}/modular/media-buys/${buy.sourceBuyId}/delivery-reports`;
      const answer = await h.call('POST', theirs, {
        key: other.key,
        body: { rows: [{ date: dayOf(0), impressions: 1, spend: 0 }] },
      });
      expect(answer.status, answer.text).toBe(404);
      const read = await h.call('GET', buy.reports, { key: other.key });
      expect(read.status, read.text).toBe(404);
    } finally {
      await buy.agent.close();
      await other.agent.close();
    }
  }, 120_000);
});
