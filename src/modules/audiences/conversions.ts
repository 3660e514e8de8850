import { createHash } from 'node:crypto';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { BuyingAgents } from '../discovery/index.js';
import type { EventSellers, SellerOutcome } from '../event-sources/index.js';
import { audienceTakers, type AudienceTaker } from './sellers.js';

type Json = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * A buyer's REST event sources and conversion events, sent on to every agent it uses that
 * declares AdCP `conversion_tracking` (sync_event_sources and log_event), under the same account
 * as its audiences there. Keys are fixed by the advertiser, the seller and what is sent, so a
 * retried request is one write at the seller and no two sellers see one key.
 */
export function createConversionForwarding(deps: {
  agents: BuyingAgents;
  customerDomainOf: (customerId: number) => Promise<string | null>;
  timeoutMs: number;
}): EventSellers {
  const keyOf = (advertiserId: number, agentId: string, tool: string, content: unknown) =>
    `${tool === 'log_event' ? 'evt' : 'evs'}-${createHash('sha256')
      .update(`${advertiserId}\n${agentId}\n${JSON.stringify(content)}`)
      .digest('hex')
      .slice(0, 40)}`;

  async function forward(
    principal: CustomerPrincipal,
    advertiser: { id: number; brand: string },
    tool: 'sync_event_sources' | 'log_event',
    args: Json,
    keyContent: unknown,
  ): Promise<SellerOutcome[]> {
    const { takers, skipped } = await audienceTakers(
      deps.agents,
      principal,
      advertiser,
      await deps.customerDomainOf(principal.customerId),
      deps.timeoutMs,
      'conversion_tracking',
    );
    const outcomes = await Promise.all(
      takers.map(async (taker: AudienceTaker): Promise<SellerOutcome> => {
        const named = { salesAgentId: taker.agent.agentId, salesAgentName: taker.agent.agentName };
        const result = await deps.agents.call(
          principal,
          taker.agent.agentId,
          tool,
          {
            idempotency_key: keyOf(advertiser.id, taker.agent.agentId, tool, keyContent),
            account: taker.account,
            ...args,
          },
          { timeoutMs: deps.timeoutMs },
        );
        if (result.ok) return { ...named, status: 'answered' };
        const details = result.error.details as { code?: unknown } | undefined;
        // The code only: a seller's own message can carry its private address.
        const code = str(details?.code) ?? result.error.code;
        return {
          ...named,
          status: 'failed',
          error: `${taker.agent.agentName} refused ${tool} (${code})`,
        };
      }),
    );
    return [
      ...outcomes,
      ...skipped.map(({ agent, reason }) => ({
        salesAgentId: agent.agentId,
        salesAgentName: agent.agentName,
        status: 'failed' as const,
        error: reason,
      })),
    ];
  }

  return {
    syncEventSources: (principal, advertiser, sources) =>
      forward(principal, advertiser, 'sync_event_sources', { event_sources: sources }, sources),
    logEvent: (principal, advertiser, request) =>
      forward(principal, advertiser, 'log_event', request, [
        request.event_source_id,
        request.events.map((e) => e['event_id']),
      ]),
  };
}
