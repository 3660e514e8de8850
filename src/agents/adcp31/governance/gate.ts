import { AdcpError } from '@adcp/sdk/server';
import type { UpstreamClient } from '../../../upstream/index.js';
import type {
  BuyKey,
  GovernanceAgent,
  GovernanceAgents,
  GovernedAccount,
} from '../../../modules/governance-agents/index.js';
import { checkGovernanceResponse, type CheckGovernanceResponse } from './schemas.js';
import { isModification, modificationSummary } from './modification.js';
import { speaks31 } from '../call.js';

/** A new buy about to be made, as check_governance is told of it. */
export interface GovernedAction {
  tool: 'create_media_buy';
  phase: 'purchase';
  /** The buyer's request as the seller received it (plan_id, invoice_recipient included). */
  payload: Record<string, unknown>;
}

/** What an approval (or approval with conditions) carries back to the buyer. */
export type GovernanceApproval = Pick<
  CheckGovernanceResponse,
  | 'check_id'
  | 'verdict'
  | 'plan_id'
  | 'governance_context'
  | 'conditions'
  | 'findings'
  | 'expires_at'
>;

/**
 * Governance before money moves (AdCP 3.1 governance-aware-seller): when the buyer registered a
 * governance agent on the account (sync_governance), a new buy is checked by that agent's
 * check_governance first (phase `purchase`), and so is a later change of a buy it approved
 * (`modification`, with the buy's governance_context). Approved, or approved with conditions:
 * the approval, to carry into the answer. Denied: GOVERNANCE_DENIED with the agent's findings
 * verbatim. Unreachable, timed out or answering nonsense: GOVERNANCE_UNAVAILABLE, fail closed
 * (the spec: the seller MUST NOT proceed without a valid decision). No agent: nothing asked.
 */
export interface GovernanceGate {
  register(account: GovernedAccount, agent: GovernanceAgent): Promise<void>;
  check(account: GovernedAccount, action: GovernedAction): Promise<GovernanceApproval | undefined>;
  /** Records what a booked buy was approved on; no approval: nothing to record. */
  bind(
    buy: BuyKey & { accountId: string },
    approval: GovernanceApproval | undefined,
  ): Promise<void>;
  /** update_media_buy of a governed buy: its agent decides first (pause and cancel excepted). */
  checkUpdate(buy: BuyKey, patch: Record<string, unknown>): Promise<void>;
  /** Loopback http agent URLs are accepted (development and tests only). */
  allowInsecureUrls: boolean;
}

export function createGovernanceGate(deps: {
  agents: Pick<GovernanceAgents, 'find' | 'replace' | 'bindBuy' | 'boundBuy'>;
  upstream: Pick<UpstreamClient, 'callTool'>;
  /** This storefront agent's own URL (check_governance's `caller`). */
  callerUrl: () => string;
  /** Upper bound on the governance agent's answer. */
  timeoutMs: number;
  allowInsecureUrls: boolean;
}): GovernanceGate {
  async function ask(agent: GovernanceAgent, request: Record<string, unknown>) {
    const answer = await deps.upstream.callTool(
      {
        endpointUrl: agent.url,
        protocol: 'MCP',
        auth: { type: 'API_KEY', token: agent.credentials },
      },
      'check_governance',
      { ...request, caller: deps.callerUrl() },
      { timeoutMs: deps.timeoutMs },
    );
    const read = answer.ok ? checkGovernanceResponse.safeParse(answer.data) : undefined;
    if (!read?.success)
      throw unavailable(answer.ok ? 'it answered no verdict' : answer.error.message);
    if (read.data.verdict === 'denied') throw denied(read.data);
    return approvalOf(read.data);
  }

  return {
    allowInsecureUrls: deps.allowInsecureUrls,
    register: (account, agent) => deps.agents.replace(account, agent),
    async check(account, action) {
      // A 3.0 caller's buy is answered as before 3.1 (issue 49: an unpinned request gets exactly
      // today's answers): governance before money moves is 3.1's rule, applied to 3.1 callers.
      if (!speaks31()) return undefined;
      const agent = await deps.agents.find(account);
      if (!agent) return undefined;
      const planId = action.payload['plan_id'];
      if (typeof planId !== 'string' || planId === '') throw planRequired();
      const invoice = action.payload['invoice_recipient'];
      return ask(agent, {
        plan_id: planId,
        tool: action.tool,
        payload: action.payload,
        phase: action.phase,
        ...(invoice !== undefined && { invoice_recipient: invoice }),
      });
    },
    async bind(buy, approval) {
      if (!approval) return;
      const { accountId, ...key } = buy;
      await deps.agents.bindBuy(key, {
        accountId,
        planId: approval.plan_id,
        ...(approval.governance_context !== undefined && {
          governanceContext: approval.governance_context,
        }),
      });
    },
    async checkUpdate(buy, patch) {
      if (!speaks31() || !isModification(patch)) return;
      const governed = await deps.agents.boundBuy(buy);
      if (!governed) return;
      const agent = await deps.agents.find({ ...buy, accountId: governed.accountId });
      if (!agent) return;
      const invoice = patch['invoice_recipient'];
      await ask(agent, {
        plan_id: governed.planId,
        tool: 'update_media_buy',
        payload: patch,
        phase: 'modification',
        modification_summary: modificationSummary(patch),
        ...(governed.governanceContext !== undefined && {
          governance_context: governed.governanceContext,
        }),
        ...(invoice !== undefined && { invoice_recipient: invoice }),
      });
    },
  };
}

function approvalOf(data: CheckGovernanceResponse): GovernanceApproval {
  return {
    check_id: data.check_id,
    verdict: data.verdict,
    plan_id: data.plan_id,
    ...(data.governance_context !== undefined && { governance_context: data.governance_context }),
    ...(data.conditions !== undefined && { conditions: data.conditions }),
    ...(data.findings !== undefined && { findings: data.findings }),
    ...(data.expires_at !== undefined && { expires_at: data.expires_at }),
  };
}

const planRequired = () =>
  new AdcpError('INVALID_REQUEST', {
    message:
      'plan_id is required: this account has a governance agent, which checks the buy against its plan',
    field: 'plan_id',
    recovery: 'correctable',
  });

function denied(verdict: CheckGovernanceResponse): AdcpError {
  return new AdcpError('GOVERNANCE_DENIED', {
    message: `Your governance agent denied this: ${verdict.explanation}`,
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
    message: `The account's governance agent could not be consulted (${why.slice(0, 200)}); nothing was changed. Retry later.`,
    recovery: 'transient',
    retry_after: 30,
  });
}
