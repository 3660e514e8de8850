import { randomBytes } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { invalid, notFound } from '../../../platform/errors.js';
import { isRecord } from '../../../platform/is-record.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { ToolCallResult, UpstreamClient } from '../../../upstream/index.js';
import { accountRef } from './adcp-signals.js';
import type { SignalAgentHandle } from './directory.js';
import type { ActivateSignalInput } from './schemas.js';
import * as store from './activation-store.js';
import type { ActivationRow } from './activation-store.js';
import type { ActivationStatus, StoredDeployment, StoredDestination } from '../tables.js';
import { activationView } from './activation-view.js';

/** The sellers a campaign books with, as activate_signal destinations name them. */
export interface CampaignSellers {
  campaignId: string;
  brandDomain: string | null;
  operatorDomain: string | null;
  /** One agent URL per sales agent the campaign books with (storefront or remote). */
  agentUrls: string[];
}

export interface ActivationDeps {
  db: Db;
  upstream: UpstreamClient;
  callBudgetMs: number;
  agentsOf(principal: CustomerPrincipal): Promise<SignalAgentHandle[]>;
  /** The caller's campaign and its sellers; throws NOT_FOUND for another's or an unknown one. */
  campaignSellers(principal: CustomerPrincipal, campaignId: string): Promise<CampaignSellers>;
  /** Queues a follow-up of an activation not settled yet (a durable job); none without a queue. */
  followLater(activationId: string, attempt: number): Promise<void>;
}

/** Deployments all live: DEPLOYED; some still being set up: ACTIVATING. */
function statusOf(deployments: StoredDeployment[]): ActivationStatus {
  return deployments.length > 0 && deployments.every((d) => d['is_live'] === true)
    ? 'DEPLOYED'
    : 'ACTIVATING';
}

/** An answer that leaves the outcome unknown: the same request is sent again later. */
const inDoubt = (code: string) =>
  code === 'timeout' || code === 'unreachable' || code === 'network';

const sameDestinations = (a: StoredDestination[], b: StoredDestination[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * activate_signal for a buyer's campaign: every seller the campaign books with is a destination
 * (an AdCP `agent` destination at its agent URL), plus the platforms the buyer names. The request
 * is recorded before it is sent with its idempotency key, so a retry (the buyer's, or the
 * follow-up job's after a timeout or a crash) is the same activation at the agent.
 */
export function createSignalActivations(deps: ActivationDeps) {
  const { db } = deps;

  async function agentOf(principal: CustomerPrincipal, agentId: string) {
    const agent = (await deps.agentsOf(principal)).find((a) => a.agentId === agentId);
    if (!agent) throw notFound('Signals agent');
    return agent;
  }

  async function send(
    row: ActivationRow,
    agent: SignalAgentHandle,
    who: { brand: string | null; operator: string | null },
  ): Promise<ActivationRow> {
    const account = accountRef(agent, who);
    const request: Record<string, unknown> = {
      signal_agent_segment_id: row.signalAgentSegmentId,
      destinations: row.destinations,
      idempotency_key: row.idempotencyKey,
      ...(row.pricingOptionId && { pricing_option_id: row.pricingOptionId }),
      ...(account && { account }),
    };
    let answer: ToolCallResult<Record<string, unknown>>;
    try {
      const target = await agent.target(deps.callBudgetMs);
      answer = await deps.upstream.callTool(target, 'activate_signal', request, {
        timeoutMs: deps.callBudgetMs,
      });
    } catch {
      answer = {
        ok: false,
        latencyMs: 0,
        error: { code: 'unauthorized', message: 'Credential refused' },
      };
    }
    const attempts = row.attempts + 1;
    if (!answer.ok) {
      const lastError = { code: answer.error.code, message: answer.error.message };
      const status = inDoubt(answer.error.code) ? row.status : 'FAILED';
      return store.updateActivation(db, row.id, { status, lastError, attempts });
    }
    const errors = answer.data['errors'];
    if (Array.isArray(errors) && errors.length > 0) {
      const first = isRecord(errors[0]) ? errors[0] : {};
      const lastError = {
        code: typeof first['code'] === 'string' ? first['code'] : 'tool_error',
        message: typeof first['message'] === 'string' ? first['message'] : 'Activation refused',
      };
      return store.updateActivation(db, row.id, { status: 'FAILED', lastError, attempts });
    }
    const deployments = Array.isArray(answer.data['deployments'])
      ? answer.data['deployments'].filter(isRecord)
      : [];
    return store.updateActivation(db, row.id, {
      status: answer.status === 'completed' ? statusOf(deployments) : 'ACTIVATING',
      deployments,
      lastError: null,
      attempts,
    });
  }

  /**
   * Reads an activation's deployments as the agent reports them now: get_signals for the
   * activation's destinations, the signal found by its segment id. Its deployments replace the
   * recorded ones once the agent reports any.
   */
  async function recheck(
    row: ActivationRow,
    agent: SignalAgentHandle,
    who: { brand: string | null; operator: string | null },
  ): Promise<ActivationRow> {
    const account = accountRef(agent, who);
    const target = await agent.target(deps.callBudgetMs);
    const answer = await deps.upstream.callTool<Record<string, unknown>>(
      target,
      'get_signals',
      {
        destinations: row.destinations,
        ...(account && { account }),
        pagination: { max_results: 100 },
      },
      { timeoutMs: deps.callBudgetMs },
    );
    if (!answer.ok || !Array.isArray(answer.data['signals'])) return row;
    const signal = answer.data['signals']
      .filter(isRecord)
      .find((s) => s['signal_agent_segment_id'] === row.signalAgentSegmentId);
    const reported = Array.isArray(signal?.['deployments'])
      ? signal['deployments'].filter(isRecord)
      : [];
    if (reported.length === 0)
      return store.updateActivation(db, row.id, { attempts: row.attempts + 1 });
    return store.updateActivation(db, row.id, {
      deployments: reported,
      status: statusOf(reported),
      attempts: row.attempts + 1,
    });
  }

  const settled = (row: ActivationRow) => row.status === 'DEPLOYED' || row.status === 'FAILED';

  async function activate(principal: CustomerPrincipal, input: ActivateSignalInput) {
    const [agent, campaign] = await Promise.all([
      agentOf(principal, input.agentId),
      deps.campaignSellers(principal, input.campaignId),
    ]);
    const destinations: StoredDestination[] = [
      ...(input.includeCampaignSellers
        ? campaign.agentUrls.map((url) => ({ type: 'agent', agent_url: url }))
        : []),
      ...(input.destinations ?? []).map((d) =>
        d.type === 'platform'
          ? { type: 'platform', platform: d.platform, ...(d.account && { account: d.account }) }
          : { type: 'agent', agent_url: d.agentUrl, ...(d.account && { account: d.account }) },
      ),
    ];
    if (destinations.length === 0) {
      throw invalid(
        'The campaign books with no seller yet: select products first or name destinations',
        'destinations',
      );
    }
    const id = `sa_${randomBytes(12).toString('hex')}`;
    let row = await store.claimActivation(db, {
      id,
      customerId: principal.customerId,
      campaignId: campaign.campaignId,
      agentId: agent.agentId,
      signalAgentSegmentId: input.signalAgentSegmentId,
      pricingOptionId: input.pricingOptionId ?? null,
      destinations,
      idempotencyKey: `interchange.${id}`,
    });
    const changed =
      !sameDestinations(row.destinations, destinations) ||
      (input.pricingOptionId !== undefined && input.pricingOptionId !== row.pricingOptionId);
    if (changed || row.status === 'FAILED') {
      // A different request (or one the agent refused) is a new activation at the agent.
      row = await store.updateActivation(db, row.id, {
        destinations,
        pricingOptionId: input.pricingOptionId ?? row.pricingOptionId,
        idempotencyKey: `interchange.${row.id}.${row.attempts + 1}`,
        status: 'PENDING',
        deployments: [],
        lastError: null,
      });
    } else if (settled(row)) {
      return activationView(row);
    }
    const who = { brand: campaign.brandDomain, operator: campaign.operatorDomain };
    row = await send(row, agent, who);
    if (!settled(row)) await deps.followLater(row.id, 1);
    return activationView(row);
  }

  return {
    activate,

    async list(principal: CustomerPrincipal, campaignId?: string) {
      if (campaignId !== undefined) await deps.campaignSellers(principal, campaignId);
      const rows = await store.listActivations(db, principal.customerId, campaignId);
      return { items: rows.map(activationView), total: rows.length };
    },

    async get(principal: CustomerPrincipal, activationId: string) {
      const row = await store.findActivation(db, principal.customerId, activationId);
      if (!row) throw notFound('Signal activation');
      return activationView(row);
    },

    /**
     * The follow-up of an activation not settled: sends the recorded request again under its
     * idempotency key (an agent that took it answers the same activation, with its deployments as
     * they are now). Answers whether it is settled now.
     */
    async follow(
      activationId: string,
      principalOf: (customerId: number) => Promise<CustomerPrincipal | undefined>,
    ): Promise<boolean> {
      const row = await store.findActivationById(db, activationId);
      if (!row || settled(row)) return true;
      const principal = await principalOf(row.customerId);
      // A customer gone or without a member: nobody to act for.
      if (!principal) return true;
      const agent = (await deps.agentsOf(principal)).find((a) => a.agentId === row.agentId);
      if (!agent) {
        const lastError = {
          code: 'agent_gone',
          message: 'The signals agent is no longer registered',
        };
        await store.updateActivation(db, row.id, { status: 'FAILED', lastError });
        return true;
      }
      const campaign = await deps.campaignSellers(principal, row.campaignId);
      const who = { brand: campaign.brandDomain, operator: campaign.operatorDomain };
      // In doubt: the same request again. Taken: its deployments as get_signals reports them.
      const next =
        row.status === 'PENDING' ? await send(row, agent, who) : await recheck(row, agent, who);
      return settled(next);
    },
  };
}
