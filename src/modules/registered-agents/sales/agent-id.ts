const prefix = 'remote-';

/** The salesAgentId of a remote agent: never a storefront's (`storefront-{platformId}`). */
export const remoteAgentIdOf = (id: number) => `${prefix}${id}`;

/** The row id a remote agent id (or, on its own routes, the bare id) names; else undefined. */
export function remoteRowIdOf(agentId: string, bareAllowed = false): number | undefined {
  const digits = agentId.startsWith(prefix)
    ? agentId.slice(prefix.length)
    : bareAllowed
      ? agentId
      : '';
  return /^[1-9][0-9]{0,15}$/.test(digits) ? Number(digits) : undefined;
}

export const isRemoteAgentId = (agentId: string) => remoteRowIdOf(agentId) !== undefined;
