import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CampaignFrequencyCap } from './tables.js';

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

/** Whether a seller's refusal is about the frequency cap (it does not take one). */
export function refusesFrequencyCap(error: { code: string; message: string; details?: unknown }) {
  if (error.code !== 'tool_error') return false;
  const text = `${error.message} ${JSON.stringify(error.details ?? '')}`.toLowerCase();
  return text.includes('frequency_cap') || text.includes('frequency cap');
}
