import type { ApiError } from '../../api.js';
import type { FieldSpec } from '../../forms/index.js';
import type { notices } from '../../notices.js';
import type { WorkItem } from './wire.js';

/*
 * What a person does with a modular source's work item (the work queue page, work.ts): each
 * action's form fields, what it adds to the completion's result, and how a refusal is shown.
 */

export interface Action {
  submit: string;
  fields: (formId: string) => FieldSpec[];
  /** What the action adds to the completion's result. */
  result?: Record<string, unknown>;
  notice: keyof typeof notices;
  danger?: boolean;
  busy?: string;
  /** Renames a refusal's fields to the form's (a report's row → the report's text). */
  refusal?: (error: ApiError) => ApiError;
}

/**
 * A report past the booking and the storefront's tolerance is refused until the seller stands
 * by its figures: the package's cumulative impressions and spend (as the refusal names them),
 * with why. Sent as the route's `confirmOverdelivery` list (one package; `reportBody`).
 */
const overdeliveryFields: FieldSpec[] = [
  {
    name: 'confirmOverdelivery.impressions',
    label: 'Over-delivery: the package’s cumulative impressions you stand by (optional)',
    kind: 'number',
    hint: 'Only when a report is refused as over the booking and its tolerance: the refusal names the figures. Whether the excess is billed is the storefront’s over-delivery billing policy.',
  },
  {
    name: 'confirmOverdelivery.spend',
    label: 'Over-delivery: the package’s cumulative spend you stand by (optional)',
    kind: 'number',
  },
  {
    name: 'confirmOverdelivery.packageId',
    label: 'Over-delivery: package id (when the buy has several packages)',
  },
  {
    name: 'confirmOverdelivery.reason',
    label: 'Over-delivery: why it delivered more (the buyer sees it)',
    kind: 'textarea',
  },
];

/** The delivery-reports body of the report form: a confirmation is a list of one, or none. */
export function reportBody(body: Record<string, unknown>): Record<string, unknown> {
  const { confirmOverdelivery: confirmation, ...rest } = body;
  const figures = (confirmation ?? {}) as Record<string, unknown>;
  const confirms = figures['impressions'] !== undefined || figures['spend'] !== undefined;
  return {
    ...rest,
    final: body['final'] === 'true',
    ...(confirms && { confirmOverdelivery: [figures] }),
  };
}

/** What a person does with a work item, by what it asks (its stage; docs/modular-sources.md). */
export const actions = {
  confirm: {
    submit: 'Confirm the booking',
    fields: () => [],
    result: { decision: 'approve' },
    notice: 'work-booking-confirmed',
  },
  order: {
    submit: 'Record the order and book',
    fields: () => [{ name: 'result.upstreamOrderId', label: 'Order id in the order system' }],
    notice: 'work-booking-confirmed',
  },
  decline: {
    submit: 'Decline the booking',
    fields: () => [
      {
        name: 'result.reason',
        label: 'Why (the buyer is told)',
        hint: 'The held capacity goes back on sale and the buyer’s media buy is rejected.',
      },
    ],
    result: { decision: 'reject' },
    notice: 'work-booking-declined',
    danger: true,
  },
  traffic: {
    submit: 'Mark trafficked',
    fields: () => [
      { name: 'result.upstreamCampaignId', label: 'Campaign or order id where it was trafficked' },
    ],
    notice: 'work-trafficked',
  },
  creative: {
    submit: 'Record the reference',
    fields: () => [
      { name: 'result.creativeRef', label: 'The creative’s id in the ad server or system' },
    ],
    notice: 'work-creative-mapped',
  },
  report: {
    submit: 'Upload the report',
    busy: 'Checking every row of the report…',
    fields: (formId) => [
      {
        name: 'final',
        label: 'This report is',
        kind: 'radio',
        options: [
          { value: 'false', label: 'Interim: the flight is still running (the item stays open)' },
          { value: 'true', label: 'Final: the flight is over (or the buy was canceled)' },
        ],
      },
      {
        name: 'csvText',
        label: 'Delivery report (CSV)',
        kind: 'textarea',
        hint: 'A header line, then a row per day delivered (and package): date (YYYY-MM-DD), impressions, spend, and optionally clicks and packageId. Days inside the flight (a day’s grace either side), none after today; a day sent again replaces the one on record. A row the report refuses is named here; fix it in place and upload again.',
        attrs: 'spellcheck="false"',
      },
      {
        name: 'file',
        label: 'Or pick the CSV file (its text goes in the field above, to check before sending)',
        kind: 'file',
        local: true,
        attrs: `accept=".csv,text/csv" data-read-into="${formId}-csvText"`,
      },
      {
        name: 'notes',
        label: 'What changed, for a correction (optional; the buyer sees it)',
        kind: 'textarea',
      },
      ...overdeliveryFields,
    ],
    notice: 'work-report-uploaded',
    refusal: asReportField,
  },
  takenDown: {
    submit: 'Confirm it is taken down',
    fields: () => [{ name: 'notes', label: 'What was done upstream (optional)', kind: 'textarea' }],
    notice: 'work-taken-down',
  },
  changeMade: {
    submit: 'Mark the change made',
    fields: () => [{ name: 'notes', label: 'Notes (optional)', kind: 'textarea' }],
    notice: 'work-change-made',
  },
  complete: {
    submit: 'Mark done',
    fields: () => [{ name: 'notes', label: 'Notes (optional)', kind: 'textarea' }],
    notice: 'work-completed',
  },
} satisfies Record<string, Action>;
export type ActionName = keyof typeof actions;

/** The actions an item offers, from its stage (and, for bookings, its kind). */
export function actionsOf(item: WorkItem): ActionName[] {
  switch (item.stage) {
    case 'FINALIZE_BOOKING':
      return item.kind === 'EXECUTE_UPSTREAM_BOOKING'
        ? ['order', 'decline']
        : ['confirm', 'decline'];
    case 'TRAFFIC_CAMPAIGN':
      return ['traffic'];
    case 'SYNC_CREATIVES':
      return ['creative'];
    case 'IMPORT_REPORTING':
      return ['report'];
    case 'UPDATE_CAMPAIGN':
      return item.kind === 'APPROVE_MEDIA_BUY_CANCELLATION' ? ['takenDown'] : ['changeMade'];
    default:
      return ['complete'];
  }
}

/**
 * A report's refused rows are named by the API as `rows[2].date` (every one in
 * `details.issues`); on the form that row is line 4 of the CSV text (after the header), so each
 * is shown at the report's field, a line per refused row.
 */
export function asReportField(error: ApiError): ApiError {
  const named = error.details?.['issues'] as Array<{ field: string; message: string }> | undefined;
  const issues = (
    named ?? (error.field ? [{ field: error.field, message: error.message }] : [])
  ).filter((i) => /^(result\.)?rows/.test(i.field));
  if (issues.length === 0) return error;
  const lines = issues.map((issue) => {
    const at = /^(?:result\.)?rows\[(\d+)\]\.(\w+)$/.exec(issue.field);
    // The API says how to confirm in its own terms; here the confirmation is the form's fields.
    const message = issue.message
      .replace(/^Report row \d+: /, '')
      .replace(
        /If it truly overdelivered, confirm it: .*$/s,
        'If it truly delivered that, confirm the figures under “Over-delivery” and upload again.',
      );
    return at
      ? `Line ${Number(at[1]) + 2} of the CSV (report row ${Number(at[1]) + 1}), column ${at[2]}: ${message}`
      : message;
  });
  const count = Number(error.details?.['refusedRowCount'] ?? issues.length);
  if (count > issues.length) lines.push(`…and ${count - issues.length} more refused rows.`);
  return { code: error.code, field: 'csvText', message: lines.join('\n') };
}
