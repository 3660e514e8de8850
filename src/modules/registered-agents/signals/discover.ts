import { notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { UpstreamClient } from '../../../upstream/index.js';
import { accountRef, catalogSignalIds, signalFrom } from './adcp-signals.js';
import type { SignalAgentHandle } from './directory.js';
import type { AgentResult, DiscoverSignalsInput, DiscoveredSignal } from './schemas.js';

export interface DiscoverDeps {
  upstream: UpstreamClient;
  /** How long one agent may take to answer; it is then reported as timed out. */
  agentBudgetMs: number;
  agentsOf(principal: CustomerPrincipal): Promise<SignalAgentHandle[]>;
  /** The brand and operator the calls name (the advertiser's brand, the buyer's domain). */
  whoOf(
    principal: CustomerPrincipal,
    advertiserId: string | undefined,
  ): Promise<{ brand: string | null; operator: string | null }>;
}

/** The signal_spec of a listing that names neither a spec nor catalog ids. */
const listingSpec = 'Every signal available to this account';

interface AgentAnswer {
  result: AgentResult;
  signals: DiscoveredSignal[];
}

/**
 * get_signals across every signals agent the buyer may use, at once, each within its own
 * budget: an agent that fails, hangs or answers nonsense is one failed row of agentResults and
 * the others' signals are still answered, merged in agent order.
 */
export function createSignalDiscovery(deps: DiscoverDeps) {
  async function ask(
    agent: SignalAgentHandle,
    request: Record<string, unknown>,
    segmentFilter: Set<string> | undefined,
  ): Promise<AgentAnswer> {
    const base = {
      agentId: agent.agentId,
      agentName: agent.agentName,
      registeredBy: agent.registeredBy,
    };
    const started = performance.now();
    let target;
    try {
      target = await agent.target(deps.agentBudgetMs);
    } catch {
      const error = 'The storefront’s credential for this signals agent was refused';
      return {
        result: { ...base, success: false, signalCount: 0, error, errorCode: 'auth' },
        signals: [],
      };
    }
    const timeoutMs = Math.max(1, deps.agentBudgetMs - (performance.now() - started));
    const answer = await deps.upstream.callTool<Record<string, unknown>>(
      target,
      'get_signals',
      request,
      {
        timeoutMs,
      },
    );
    if (!answer.ok) {
      const { code, message } = answer.error;
      return {
        result: { ...base, success: false, signalCount: 0, error: message, errorCode: code },
        signals: [],
      };
    }
    const raw = answer.data['signals'];
    if (!Array.isArray(raw)) {
      const error = 'The agent answered get_signals without a signals list';
      return {
        result: { ...base, success: false, signalCount: 0, error, errorCode: 'invalid_response' },
        signals: [],
      };
    }
    const signals = raw
      .map((s) => signalFrom(agent, s))
      .filter((s): s is DiscoveredSignal => s !== undefined)
      .filter(
        (s) =>
          !segmentFilter ||
          segmentFilter.has(s.signalAgentSegmentId) ||
          segmentFilter.has(s.signalId),
      );
    return { result: { ...base, success: true, signalCount: signals.length }, signals };
  }

  return {
    async discover(principal: CustomerPrincipal, input: DiscoverSignalsInput) {
      const [all, who] = await Promise.all([
        deps.agentsOf(principal),
        deps.whoOf(principal, input.advertiserId),
      ]);
      const agents = input.agentId ? all.filter((a) => a.agentId === input.agentId) : all;
      // Another buyer's agent, or a storefront's the caller may not use, is not there.
      if (input.agentId && agents.length === 0) throw notFound('Signals agent');
      const catalogIds = input.signalIds ? catalogSignalIds(input.signalIds) : [];
      const filter = input.signalIds ? new Set(input.signalIds) : undefined;
      const wanted = Math.min(100, input.offset + input.limit);
      const answers = await Promise.all(
        agents.map((agent) => {
          const account = accountRef(agent, who);
          const request: Record<string, unknown> = {
            // AdCP asks for a spec or ids: a listing without either asks for everything.
            ...((input.signalSpec || catalogIds.length === 0) && {
              signal_spec: input.signalSpec || listingSpec,
            }),
            ...(catalogIds.length > 0 && { signal_ids: catalogIds }),
            ...(input.countries && { countries: input.countries }),
            ...(account && { account }),
            pagination: { max_results: wanted },
          };
          return ask(agent, request, filter);
        }),
      );
      const merged = answers.flatMap((a) => a.signals);
      return {
        agentResults: answers.map((a) => a.result),
        signals: merged.slice(input.offset, input.offset + input.limit),
        total: merged.length,
      };
    },
  };
}
