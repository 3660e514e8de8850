const own = 'signals-';
const storefront = 'source-';

/** The agentId of a signals agent the buyer registered. */
export const buyerSignalAgentIdOf = (id: number) => `${own}${id}`;
/** The agentId of a storefront's signals agent (its inventory source of type SIGNAL). */
export const storefrontSignalAgentIdOf = (sourceRowId: number) => `${storefront}${sourceRowId}`;

const digits = (s: string) => (/^[1-9][0-9]{0,15}$/.test(s) ? Number(s) : undefined);

/** The row id `signals-{id}` (or, on the agent's own routes, the bare id) names; else undefined. */
export function buyerSignalRowIdOf(agentId: string, bareAllowed = false): number | undefined {
  if (agentId.startsWith(own)) return digits(agentId.slice(own.length));
  return bareAllowed ? digits(agentId) : undefined;
}
