import { isRecord } from '../../../platform/is-record.js';
import type { GovernanceApproval } from './gate.js';

/**
 * A buy's answer with its governance approval carried back (governance-aware-seller): the
 * agent's `governance_context` token on the envelope, verbatim, and its verdict with any
 * conditions and findings under `ext.governance`, so the buyer sees what it was approved on.
 * No approval (no agent registered): the answer unchanged.
 */
export function withGovernance<T extends object>(
  answer: T,
  approval: GovernanceApproval | undefined,
): T {
  if (!approval) return answer;
  const ext = 'ext' in answer && isRecord(answer.ext) ? answer.ext : {};
  const { governance_context: token, ...verdict } = approval;
  return {
    ...answer,
    ...(token !== undefined && { governance_context: token }),
    ext: { ...ext, governance: verdict },
  };
}
