/**
 * Seed 003: a storefront's Merchandising Agent is `storefront-{platformId}`. The one place that
 * names and reads such ids (remote agents are `remote-{id}`, registered-agents/sales/agent-id.ts).
 */
const prefix = 'storefront-';

export function agentIdOf(platformId: string): string {
  return `${prefix}${platformId}`;
}

/** Whether an agent id names a storefront's agent (as opposed to a buyer's remote agent). */
export const isStorefrontAgentId = (agentId: string) => agentId.startsWith(prefix);

/** The platformId a storefront agent id names; undefined for any other id. */
export function platformIdOfAgent(agentId: string): string | undefined {
  return isStorefrontAgentId(agentId) ? agentId.slice(prefix.length) || undefined : undefined;
}
