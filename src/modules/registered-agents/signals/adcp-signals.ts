import { isRecord } from '../../../platform/is-record.js';
import type { SignalAgentHandle } from './directory.js';
import type { DiscoveredSignal } from './schemas.js';

/** The AdCP account a call names: the agent's own account id, else brand + operator. */
export function accountRef(
  agent: SignalAgentHandle,
  who: { brand: string | null; operator: string | null },
): Record<string, unknown> | undefined {
  if (agent.accountIdentifier) return { account_id: agent.accountIdentifier };
  const brand = who.brand ?? who.operator;
  if (!brand) return undefined;
  return { brand: { domain: brand }, operator: who.operator ?? brand };
}

/**
 * The ids a buyer sends (`{data_provider_domain}:{id}` for a catalog signal) as AdCP signal_ids;
 * anything else is an agent's segment id, matched on the answer.
 */
export function catalogSignalIds(ids: string[]): Array<Record<string, string>> {
  return ids.flatMap((value) => {
    const at = value.lastIndexOf(':');
    if (at <= 0) return [];
    const domain = value.slice(0, at).toLowerCase();
    const id = value.slice(at + 1);
    const domainOk = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(
      domain,
    );
    return domainOk && /^[a-zA-Z0-9_-]+$/.test(id)
      ? [{ source: 'catalog', data_provider_domain: domain, id }]
      : [];
  });
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const records = (value: unknown) =>
  Array.isArray(value) ? value.filter(isRecord).map((r) => ({ ...r })) : [];

/** The buyer-facing id of a signal: catalog provenance when it has one, else the segment id. */
function signalIdOf(raw: Record<string, unknown>, segmentId: string): string {
  const id = raw['signal_id'];
  if (isRecord(id) && id['source'] === 'catalog') {
    const domain = text(id['data_provider_domain']);
    const own = text(id['id']);
    if (domain && own) return `${domain}:${own}`;
  }
  return segmentId;
}

/** One signal of a get_signals answer in the discovery shape; undefined when it has no segment id. */
export function signalFrom(agent: SignalAgentHandle, raw: unknown): DiscoveredSignal | undefined {
  if (!isRecord(raw)) return undefined;
  const segmentId = text(raw['signal_agent_segment_id']);
  if (!segmentId) return undefined;
  const coverage = raw['coverage_percentage'];
  return {
    signalId: signalIdOf(raw, segmentId),
    name: text(raw['name']) ?? segmentId,
    description: text(raw['description']) ?? '',
    dataProvider: text(raw['data_provider']) ?? '',
    coveragePercentage: typeof coverage === 'number' ? coverage : null,
    agentId: agent.agentId,
    agentName: agent.agentName,
    signalAgentSegmentId: segmentId,
    adcpSignalId: isRecord(raw['signal_id']) ? { ...raw['signal_id'] } : null,
    signalType: text(raw['signal_type']),
    valueType: text(raw['value_type']),
    pricingOptions: records(raw['pricing_options']),
    deployments: records(raw['deployments']),
  };
}
