/**
 * Which update_media_buy fields only reduce or stop spend (a pause, a cancellation) or carry
 * the protocol's own fields: an update of these alone moves no money, so the governance agent
 * is not asked. Anything else (budgets, flight, packages, targeting, billing) is a modification
 * of the commitment the agent approved.
 */
const spendNeutral = new Set([
  'media_buy_id',
  'account',
  'idempotency_key',
  'paused',
  'canceled',
  'cancellation_reason',
  'context',
  'ext',
  'adcp_version',
  'adcp_major_version',
  'push_notification_config',
]);

export const isModification = (patch: Record<string, unknown>) =>
  Object.keys(patch).some((key) => patch[key] !== undefined && !spendNeutral.has(key));

/** check_governance's modification_summary: which fields the update changes (≤ 1000 chars). */
export function modificationSummary(patch: Record<string, unknown>): string {
  const changed = Object.keys(patch).filter(
    (key) => patch[key] !== undefined && !spendNeutral.has(key),
  );
  return `update_media_buy changes ${changed.join(', ')}`.slice(0, 1000);
}
