/**
 * A buy's statuses from least to most advanced. A buy split over several sources answers the
 * least advanced status any of them gave, so the buyer never sees it further along than its
 * slowest part.
 */
const statusRank = [
  'pending_creatives',
  'pending_start',
  'active',
  'paused',
  'completed',
  'canceled',
  'rejected',
];

/** The least advanced of the statuses given (undefined when none). */
export function leastAdvanced<S extends string>(statuses: S[]): S | undefined {
  return [...statuses].sort((a, b) => statusRank.indexOf(a) - statusRank.indexOf(b))[0];
}

/**
 * Statuses in which a source's part of a buy can no longer serve (nothing to take off it).
 * Not `completed`: a seller may put its task status there at the top of an answer, and a live
 * buy recorded as completed would never be asked to drop a withdrawn creative; asking a
 * finished buy costs one call.
 */
export const endedStatuses: ReadonlySet<string> = new Set(['canceled', 'rejected']);

/** The media-buy status a source's answer reports, when it reports one. */
export function answeredStatus(data: object): string | undefined {
  return 'status' in data && typeof data.status === 'string' ? data.status : undefined;
}
