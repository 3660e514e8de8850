import { isRecord } from '../../platform/is-record.js';

/**
 * Whether a seller's sync_creatives answer confirms it archived the creative (sent with
 * `status: "archived"`); answers why not, or undefined when it did. The creative must be among
 * the answer's results and not `failed`. A result that reports a status must report
 * `archived`: any other (approved, pending_review…) means the seller still holds it as usable.
 * A result without a status is accepted, since AdCP documents the per-creative status for
 * generative creatives only (sync-creatives-response.json), so a seller may confirm the action
 * alone. `missingConfirms` accepts an answer that does not name the creative (see the
 * storefront's use: some sellers answer with ids of their own).
 */
export function archiveNotConfirmed(
  data: unknown,
  creativeId: string,
  options: { missingConfirms?: boolean } = {},
): string | undefined {
  const results = isRecord(data) && Array.isArray(data['creatives']) ? data['creatives'] : [];
  const answer = results.filter(isRecord).find((c) => c['creative_id'] === creativeId);
  if (!answer) {
    return options.missingConfirms ? undefined : 'its answer did not report the creative';
  }
  if (answer['action'] === 'failed') {
    const errors = Array.isArray(answer['errors']) ? answer['errors'].filter(isRecord) : [];
    return typeof errors[0]?.['message'] === 'string'
      ? errors[0]['message']
      : 'it did not confirm the creative was archived';
  }
  const status = answer['status'];
  if (status !== undefined && status !== 'archived') {
    return `it reported the creative ${typeof status === 'string' ? status : 'in another status'}, not archived`;
  }
  return undefined;
}
