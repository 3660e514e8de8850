import { AdcpError } from '@adcp/sdk/server';
import type { UpstreamClient } from '../../../upstream/index.js';
import type {
  GovernanceAgent,
  GovernanceAgents,
  GovernedAccount,
} from '../../../modules/governance-agents/index.js';
import {
  checkGovernanceResponse as checkGovernance,
  type CheckGovernanceResponse,
} from './schemas.js';

/** A money-moving call about to be made, as check_governance is told of it. */
export interface GovernedAction {
  tool: 'create_media_buy' | 'update_media_buy';
  phase: 'purchase' | 'modification';
  /** The buyer's request as the seller received it (plan_id, invoice_recipient included). */
  payload: Record<string, unknown>;
}

/** What an approval (or approval with conditions) carries back to the buyer. */
export type GovernanceApproval = Pick<
  CheckGovernanceResponse,
  'check_id' | 'verdict' | 'governance_context' | 'conditions' | 'findings' | 'expires_at'
>;

/**
 * Governance before money moves (AdCP 3.1 governance-aware-seller): when the buyer registered a
 * governance agent on the account (sync_governance), the action is checked by that agent's
 * check_governance first. Approved, or approved with conditions: the approval, to carry into the
 * answer. Denied: GOVERNANCE_DENIED with the agent's findings verbatim. Unreachable, timed out
 * or answering nonsense: GOVERNANCE_UNAVAILABLE, fail closed (the spec: the seller MUST NOT
 * proceed without a valid decision). No agent registered: undefined, nothing asked.
 */
export interface GovernanceGate {
  register(account: GovernedAccount, agent: GovernanceAgent): Promise<void>;
  check(account: GovernedAccount, action: GovernedAction): Promise<GovernanceApproval | undefined>;
  /** Loopback http agent URLs are accepted (development and tests only). */
  allowInsecureUrls: boolean;
}

export function createGovernanceGate(deps: {
  agents: Pick<GovernanceAgents, 'find' | 'replace'>;
  upstream: Pick<UpstreamClient, 'callTool'>;
  /** This storefront agent's own URL (check_governance's `caller`). */
  callerUrl: (account: GovernedAccount) => string;
  /** Upper bound on the governance agent's answer. */
  timeoutMs: number;
  allowInsecureUrls: boolean;
}): GovernanceGate {
  return {
    allowInsecureUrls: deps.allowInsecureUrls,
    register: (account, agent) => deps.agents.replace(account, agent),
    async check(account, action) {
      const agent = await deps.agents.find(account);
      if (!agent) return undefined;
      const planId = action.payload['plan_id'];
      if (typeof planId !== 'string' || planId === '') {
        throw new AdcpError('INVALID_REQUEST', {
          message:
            'plan_id is required: this account has a governance agent, which checks the buy against its plan',
          field: 'plan_id',
          recovery: 'correctable',
        });
      }
      const request = {
        plan_id: planId,
        caller: deps.callerUrl(account),
        tool: action.tool,
        payload: action.payload,
        phase: action.phase,
        ...(action.payload['invoice_recipient'] !== undefined && {
          invoice_recipient: action.payload['invoice_recipient'],
        }),
      };
      const answer = await deps.upstream.callTool(
        {
          endpointUrl: agent.url,
          protocol: 'MCP',
          auth: { type: 'API_KEY', token: agent.credentials },
        },
        'check_governance',
        request,
        { timeoutMs: deps.timeoutMs },
      );
      const verdict = answer.ok ? checkGovernance.safeParse(answer.data) : undefined;
      if (!verdict?.success)
        throw unavailable(answer.ok ? 'answered no verdict' : answer.error.message);
      const { data } = verdict;
      if (data.verdict === 'denied') throw denied(data);
      return {
        check_id: data.check_id,
        verdict: data.verdict,
        ...(data.governance_context !== undefined && {
          governance_context: data.governance_context,
        }),
        ...(data.conditions !== undefined && { conditions: data.conditions }),
        ...(data.findings !== undefined && { findings: data.findings }),
        ...(data.expires_at !== undefined && { expires_at: data.expires_at }),
      };
    },
  };
}

function denied(verdict: CheckGovernanceResponse): AdcpError {
  return new AdcpError('GOVERNANCE_DENIED', {
    message: `Your governance agent denied this buy: ${verdict.explanation}`,
    recovery: 'correctable',
    details: {
      check_id: verdict.check_id,
      plan_id: verdict.plan_id,
      explanation: verdict.explanation,
      findings: verdict.findings ?? [],
    },
  });
}

/** The outbound client's reason (credentials redacted from it), never the agent's own body. */
function unavailable(why: string): AdcpError {
  return new AdcpError('GOVERNANCE_UNAVAILABLE', {
    message: `The account's governance agent could not be consulted (${why.slice(0, 200)}); nothing was booked. Retry later.`,
    recovery: 'transient',
    retry_after: 30,
  });
}
