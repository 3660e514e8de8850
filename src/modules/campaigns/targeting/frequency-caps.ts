import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CampaignFrequencyCap } from '../tables.js';

/**
 * Frequency caps (issue 32, item 2): an advertiser's caps flow down to its campaigns as
 * defaults; a campaign's own caps (even none: `[]`) replace them. Sellers get a cap in each
 * package's AdCP `targeting_overlay.frequency_cap`; AdCP carries one cap per package, so with
 * several the tightest is sent and the others are named in the execute answer's warnings.
 */

export const frequencyCapInput = z.object({
  max_impressions: z.number().int().min(1).max(1_000_000_000),
  window: z.object({
    interval: z.number().min(1).max(1_000_000),
    unit: z.enum(['seconds', 'minutes', 'hours', 'days', 'campaign']),
  }),
});
export type FrequencyCapInput = z.output<typeof frequencyCapInput>;

/** A campaign's caps as stored, from the body's (hosted: a PUT replaces them all). */
export function storedCaps(input: FrequencyCapInput[], at: Date): CampaignFrequencyCap[] {
  return input.map((cap) => ({
    id: `fc_${randomBytes(8).toString('hex')}`,
    max_impressions: cap.max_impressions,
    window:
      cap.window.unit === 'campaign'
        ? { interval: 1, unit: 'campaign' }
        : { interval: cap.window.interval, unit: cap.window.unit },
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  }));
}

/** A cap that applies to a campaign, and where it was set. */
export interface AppliedCap extends CampaignFrequencyCap {
  targetLevel: 'ADVERTISER' | 'CAMPAIGN';
  targetId: string;
}

/** The caps that apply to a campaign: its own when it set any (even none), else its advertiser's. */
export function appliedCaps(
  campaign: { id: string; advertiserId: number; frequencyCaps: CampaignFrequencyCap[] | null },
  advertiserCaps: CampaignFrequencyCap[],
): AppliedCap[] {
  return campaign.frequencyCaps !== null
    ? campaign.frequencyCaps.map((c) => ({ ...c, targetLevel: 'CAMPAIGN', targetId: campaign.id }))
    : advertiserCaps.map((c) => ({
        ...c,
        targetLevel: 'ADVERTISER',
        targetId: String(campaign.advertiserId),
      }));
}

const unitSeconds = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;

/** Impressions allowed per second of window: lower is tighter ('campaign' spans the flight). */
function rateOf(cap: CampaignFrequencyCap, flightSeconds: number) {
  const seconds =
    cap.window.unit === 'campaign'
      ? flightSeconds
      : cap.window.interval * unitSeconds[cap.window.unit];
  return cap.max_impressions / Math.max(seconds, 1);
}

const describe = (cap: CampaignFrequencyCap) =>
  `${cap.max_impressions} per ${cap.window.unit === 'campaign' ? 'campaign' : `${cap.window.interval} ${cap.window.unit}`}`;

/**
 * The AdCP frequency_cap sent on every package (counted per individual), and the caps left out
 * because AdCP carries one per package.
 */
export function adcpCapOf(
  caps: CampaignFrequencyCap[],
  flight: { start: Date; end: Date },
): { cap?: Record<string, unknown>; leftOut: string[] } {
  if (caps.length === 0) return { leftOut: [] };
  const flightSeconds = (flight.end.getTime() - flight.start.getTime()) / 1000;
  const [tightest, ...rest] = [...caps].sort(
    (a, b) => rateOf(a, flightSeconds) - rateOf(b, flightSeconds),
  ) as [CampaignFrequencyCap, ...CampaignFrequencyCap[]];
  return {
    cap: {
      max_impressions: tightest.max_impressions,
      per: 'individuals',
      window: tightest.window,
    },
    leftOut: rest.map(
      (c) =>
        `AdCP carries one frequency cap per package: ${describe(tightest)} was sent, ${describe(c)} was not`,
    ),
  };
}

type Json = Record<string, unknown>;
const records = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];
const record = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

/**
 * The AdCP errors a refusal carries: the agent's own (`adcp_error`, `{errors}`, or the error
 * itself), and behind a storefront the refusals of its sources (`details.forward_result`).
 */
function adcpErrorsOf(details: unknown): Json[] {
  const d = record(details);
  if (!d) return [];
  const own = typeof d['code'] === 'string' ? [d] : [];
  const wrapped = [record(d['adcp_error']), ...records(d['errors'])].filter(
    (e): e is Json => e !== undefined,
  );
  const errors = [...own, ...wrapped];
  const legs = errors.flatMap((e) => records(record(e['details'])?.['forward_result']));
  return [
    ...errors,
    ...legs.flatMap((leg) => (record(leg['error']) ? [leg['error'] as Json] : [])),
  ];
}

/** The request fields the errors name: AdCP `field` (JSONPath-lite) and `issues[].pointer`. */
const fieldsOf = (errors: Json[]) =>
  errors.flatMap((e) =>
    [e['field'], ...records(e['issues']).map((i) => i['pointer'])].filter(
      (f): f is string => typeof f === 'string' && f !== '',
    ),
  );

const namesCap = (field: string) => /(^|[./[\]])frequency_cap($|[./[\]])/.test(field);

/**
 * Whether a seller's refusal is about the frequency cap (it does not take one). AdCP's
 * structured signal decides: a refusal naming fields is about the cap only when one of them is
 * the cap (`packages[0].targeting_overlay.frequency_cap`, `/packages/0/…/frequency_cap`). Only
 * a refusal naming no field falls back to its words, and narrowly: UNSUPPORTED_FEATURE saying
 * frequency_cap or frequency cap.
 */
export function refusesFrequencyCap(error: { code: string; message: string; details?: unknown }) {
  if (error.code !== 'tool_error') return false;
  const errors = adcpErrorsOf(error.details);
  const fields = fieldsOf(errors);
  if (fields.length > 0) return fields.some(namesCap);
  return errors.some(
    (e) =>
      e['code'] === 'UNSUPPORTED_FEATURE' &&
      /frequency[_ ]cap/i.test(typeof e['message'] === 'string' ? e['message'] : ''),
  );
}
