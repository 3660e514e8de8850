/**
 * The order jobs start in: longest first, so the run does not end on one long job with the other
 * slot idle. The report keeps the jobs' own order whatever order they ran in.
 */

/**
 * Seconds a target's run took in a run on 2 cores (storyboard or fuzz, server start left out),
 * rounded: only their order matters. A run not listed counts as the longest.
 */
const typicalRunSeconds: Record<string, number> = {
  sales_guaranteed: 30,
  fuzz: 30,
  media_buy_seller: 25,
  sales_non_guaranteed: 22,
  schema_validation: 17,
  sales_social: 16,
  error_compliance: 13,
  idempotency: 11,
  capability_discovery: 6,
};

/** The indices of `jobs` in the order to start them. */
export function startOrder(jobs: { run: string; targets: readonly string[] }[]): number[] {
  // Every job starts one server (about as long as a typical run), then runs its targets in turn.
  const weight = (job: (typeof jobs)[number]) =>
    30 + job.targets.length * (typicalRunSeconds[job.run] ?? 60);
  return jobs.map((_, index) => index).sort((a, b) => weight(jobs[b]!) - weight(jobs[a]!));
}

/** Runs the items `concurrency` at a time in `order`, keeping their own order in the result. */
export async function pool<T, R>(
  items: T[],
  order: number[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < order.length) {
      const index = order[next++]!;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
