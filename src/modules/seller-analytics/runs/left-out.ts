/*
 * What one discovery run left out of the buyer's answer, and why (issue 47, item 2: "Analytics
 * shows what each run left out and why"). Bounded per run: counts by reason and the first
 * products left out.
 */

/** The products of one run a seller sees by name; the rest are counted only. */
export const leftOutSampleSize = 20;

/**
 * Why a product was left out: `channel`, `country`, `format` or `flight` (the brief matcher
 * found it cannot serve what the request requires), `answer_size` (it ranked below the page
 * shown: reachable through the cursor), `other`.
 */
export const leftOutReasons = [
  'channel',
  'country',
  'format',
  'flight',
  'answer_size',
  'other',
] as const;
export type LeftOutReason = (typeof leftOutReasons)[number];

export interface LeftOutItem {
  productId: string;
  /** The matcher's sentence (e.g. "channel display not among ctv"), or `answer_size`. */
  reason: string;
}

export interface LeftOutRecord {
  total: number;
  byReason: Partial<Record<LeftOutReason, number>>;
  sample: Array<{ productId: string; reason: string }>;
}

/** The reason code of a matcher's sentence (src/sources/brief/match.ts exclusionOf). */
export function reasonCodeOf(reason: string): LeftOutReason {
  if (reason === 'answer_size') return 'answer_size';
  if (reason.startsWith('channel')) return 'channel';
  if (reason.startsWith('countries')) return 'country';
  if (reason.startsWith('formats')) return 'format';
  if (reason.startsWith('ends before') || reason.startsWith('starts after')) return 'flight';
  return 'other';
}

/** The bounded record of what a run left out. */
export function leftOutRecordOf(items: readonly LeftOutItem[]): LeftOutRecord {
  const byReason: Partial<Record<LeftOutReason, number>> = {};
  for (const item of items) {
    const code = reasonCodeOf(item.reason);
    byReason[code] = (byReason[code] ?? 0) + 1;
  }
  return {
    total: items.length,
    byReason,
    sample: items.slice(0, leftOutSampleSize).map((item) => ({
      productId: item.productId,
      reason: item.reason,
    })),
  };
}

/** The run's left-out record as the intelligence run answers it (null: none recorded). */
export function leftOutView(record: LeftOutRecord | null | undefined) {
  if (!record) return null;
  return {
    total: record.total,
    byReason: leftOutReasons
      .flatMap((reason) => {
        const count = record.byReason[reason] ?? 0;
        return count > 0 ? [{ reason, count }] : [];
      })
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    products: record.sample,
  };
}
