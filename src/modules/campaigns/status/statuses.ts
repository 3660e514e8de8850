/**
 * Media-buy and campaign statuses, and THE table that maps what a seller reports onto them.
 *
 * Seed 004 media-buy statuses (plus CANCELED from the hosted documents):
 *   DRAFT             not yet sent to the seller (ours, before execute or between attempts)
 *   PENDING_APPROVAL  sent; the seller has not decided (AdCP task submitted / working)
 *   INPUT_REQUIRED    the seller needs something from the buyer (task input-required)
 *   ACTIVE            booked and live on the seller's books (it may still wait for creatives or
 *                     its start date: `pendingReason` says which)
 *   PAUSED            paused by the buyer or the seller
 *   COMPLETED         flight over
 *   FAILED            could not be placed (the agent failed, refused the request, or timed out)
 *   REJECTED          the seller declined it
 *   ARCHIVED          archived by the buyer (ours; a seller never reports it)
 *   CANCELED          canceled (by the buyer through update_media_buy, or by the seller)
 *
 * Mapping (first matching row wins; the task state of an async answer outranks the buy status,
 * since a buy whose task has not completed has no settled status yet):
 *
 *   | seller reports                         | status           | pendingReason                 |
 *   |----------------------------------------|------------------|-------------------------------|
 *   | task failed                            | FAILED           |                               |
 *   | task rejected                          | REJECTED         |                               |
 *   | task canceled                          | CANCELED         |                               |
 *   | task input-required                    | INPUT_REQUIRED   |                               |
 *   | task submitted / working               | PENDING_APPROVAL | awaiting_storefront_approval  |
 *   | status pending_creatives               | ACTIVE           | no_creatives_attached         |
 *   | status pending_start                   | ACTIVE           | scheduled_not_started         |
 *   | status active                          | ACTIVE           |                               |
 *   | status paused                          | PAUSED           |                               |
 *   | status completed                       | COMPLETED        |                               |
 *   | status rejected                        | REJECTED         |                               |
 *   | status canceled                        | CANCELED         |                               |
 *   | task completed, no (or unknown) status | ACTIVE           |                               |
 *
 * Status sync (issue 14 item 4: polling get_media_buys, webhooks) feeds what it learns through
 * `statusFromSeller` too (campaigns' `applySellerStatus`), so there is one mapping.
 */
export const mediaBuyStatuses = [
  'DRAFT',
  'PENDING_APPROVAL',
  'INPUT_REQUIRED',
  'ACTIVE',
  'PAUSED',
  'COMPLETED',
  'FAILED',
  'REJECTED',
  'ARCHIVED',
  'CANCELED',
] as const;
export type MediaBuyStatus = (typeof mediaBuyStatuses)[number];

export const campaignStatuses = [
  'DRAFT',
  'ACTIVE',
  'PAUSED',
  'COMPLETED',
  'CANCELED',
  'ARCHIVED',
] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/**
 * The campaign statuses a list shows (hosted listCampaigns): by default those that could still
 * spend (DRAFT, ACTIVE, PAUSED); `ALL` every status. Archived (soft-deleted) campaigns only when
 * asked for, by `includeArchived=true` or by naming ARCHIVED. Undefined: no status filter.
 */
export function listedStatuses(query: {
  status?: ReadonlyArray<CampaignStatus | 'ALL'> | undefined;
  includeArchived: 'true' | 'false';
}): CampaignStatus[] | undefined {
  const archived = query.includeArchived === 'true';
  const asked = query.status?.length ? query.status : undefined;
  if (asked?.includes('ALL')) {
    return archived ? undefined : campaignStatuses.filter((s) => s !== 'ARCHIVED');
  }
  const statuses = new Set<CampaignStatus>(
    (asked as CampaignStatus[] | undefined) ?? ['DRAFT', 'ACTIVE', 'PAUSED'],
  );
  if (archived) statuses.add('ARCHIVED');
  return [...statuses];
}

export const pendingReasons = [
  'awaiting_storefront_approval',
  'no_creatives_attached',
  'scheduled_not_started',
  // The seller's answer to placing the buy was lost (a crash, a timeout): Interchange is
  // establishing at the seller whether it was placed (modules/seller-writes).
  'forward_failed_retrying',
] as const;
export type PendingReason = (typeof pendingReasons)[number];

/** AdCP task states (the async envelope of a tool answer). */
export type TaskState =
  'submitted' | 'working' | 'input-required' | 'completed' | 'failed' | 'rejected' | 'canceled';

export interface SellerReport {
  /** The task state of the answer; absent or 'completed' for a synchronous answer. */
  taskState?: string | undefined;
  /** AdCP MediaBuyStatus (pending_creatives, pending_start, active, paused, …). */
  adcpStatus?: string | undefined;
}

interface Row {
  task?: readonly string[];
  adcp?: readonly string[];
  status: MediaBuyStatus;
  pendingReason?: PendingReason;
}

/** The table above, as data. */
export const sellerStatusTable: readonly Row[] = [
  { task: ['failed'], status: 'FAILED' },
  { task: ['rejected'], status: 'REJECTED' },
  { task: ['canceled'], status: 'CANCELED' },
  { task: ['input-required'], status: 'INPUT_REQUIRED' },
  {
    task: ['submitted', 'working'],
    status: 'PENDING_APPROVAL',
    pendingReason: 'awaiting_storefront_approval',
  },
  { adcp: ['pending_creatives'], status: 'ACTIVE', pendingReason: 'no_creatives_attached' },
  { adcp: ['pending_start'], status: 'ACTIVE', pendingReason: 'scheduled_not_started' },
  { adcp: ['active'], status: 'ACTIVE' },
  { adcp: ['paused'], status: 'PAUSED' },
  { adcp: ['completed'], status: 'COMPLETED' },
  { adcp: ['rejected'], status: 'REJECTED' },
  { adcp: ['canceled'], status: 'CANCELED' },
];

/** Maps a seller's report through the table: a status, and why it is not delivering yet. */
export function statusFromSeller(report: SellerReport): {
  status: MediaBuyStatus;
  pendingReason: PendingReason | null;
} {
  const task = report.taskState ?? 'completed';
  for (const row of sellerStatusTable) {
    const matches = row.task
      ? row.task.includes(task)
      : row.adcp !== undefined && row.adcp.includes(report.adcpStatus ?? '');
    if (matches) return { status: row.status, pendingReason: row.pendingReason ?? null };
  }
  return { status: 'ACTIVE', pendingReason: null };
}

/** Statuses no seller report moves a buy out of. */
export const finalStatuses: ReadonlySet<MediaBuyStatus> = new Set([
  'COMPLETED',
  'REJECTED',
  'ARCHIVED',
  'CANCELED',
]);

/** Statuses a retried execute sends again: never placed, or failed placing. */
export const retryableStatuses: readonly MediaBuyStatus[] = ['DRAFT', 'FAILED'];

/**
 * A campaign's status after execution, from its buys: ACTIVE once any buy is placed (not
 * DRAFT/FAILED), otherwise it stays as it was.
 */
export function campaignStatusAfterExecute(
  current: CampaignStatus,
  buys: readonly MediaBuyStatus[],
): CampaignStatus {
  const placed = buys.some((s) => !retryableStatuses.includes(s));
  if (!placed) return current;
  return current === 'DRAFT' ? 'ACTIVE' : current;
}
