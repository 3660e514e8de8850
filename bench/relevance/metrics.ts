/** Graded relevance of one brief: product id → 1 (acceptable) or 2 (ideal); absent is 0. */
export type Grades = Readonly<Record<string, number>>;

/** Share of the first five products a planner would accept (grade ≥ 1). */
export function precisionAt5(ranked: readonly string[], grades: Grades): number {
  return ranked.slice(0, 5).filter((id) => (grades[id] ?? 0) > 0).length / 5;
}

const dcg = (gains: readonly number[]) =>
  gains.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);

/**
 * nDCG@10 with exponential gain (an ideal product is worth three acceptable ones at a rank),
 * against the best order of the products in `scope` (the catalogue or one kind of it).
 */
export function ndcgAt10(ranked: readonly string[], grades: Grades, scope: readonly string[]) {
  const ideal = scope
    .map((id) => grades[id] ?? 0)
    .sort((a, b) => b - a)
    .slice(0, 10);
  const best = dcg(ideal);
  return best === 0 ? null : dcg(ranked.slice(0, 10).map((id) => grades[id] ?? 0)) / best;
}

export const mean = (xs: readonly number[]) =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
