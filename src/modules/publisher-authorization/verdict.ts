import { inventoryAuthorizationTypes } from './adagents.js';
import type { CheckRow } from './store.js';

/** One of the storefront's own agents, as adagents.json entries are matched against it. */
export interface OwnAgent {
  /** agentKey() of its URL. */
  key: string;
  /** `storefront` for the Merchandising Agent, else the sourceId of the source it resells. */
  label: string;
}

export type DomainStatus = 'pending' | 'authorized' | 'unauthorized' | 'unknown' | 'error';
export type AuthorizationReason =
  | 'no_file'
  | 'file_invalid'
  | 'agent_not_listed'
  | 'agent_untyped'
  | 'agent_not_property_bound'
  | 'authorized';

export interface DomainVerdict {
  status: DomainStatus;
  authorizationStatus: 'authorized' | 'unauthorized' | 'unknown' | null;
  authorizationReason: AuthorizationReason | null;
  /** Which of the storefront's agents the file authorizes (labels). */
  authorizedAgents: string[];
}

/**
 * Whether a publisher domain authorizes any of `agents` to sell its inventory, from its last
 * adagents.json read: listed with an inventory authorization type → authorized; listed only
 * for signals → unauthorized (agent_not_property_bound); listed without a type → unknown
 * (agent_untyped); not listed, no file or an invalid one → unauthorized; unreadable → error.
 */
export function verdictOf(check: CheckRow | undefined, agents: readonly OwnAgent[]): DomainVerdict {
  const none = { authorizedAgents: [] as string[] };
  if (!check)
    return { status: 'pending', authorizationStatus: null, authorizationReason: null, ...none };
  switch (check.adagentsStatus) {
    case 'error':
      return {
        status: 'error',
        authorizationStatus: 'unknown',
        authorizationReason: null,
        ...none,
      };
    case 'no_adagents':
      return {
        status: 'unauthorized',
        authorizationStatus: 'unauthorized',
        authorizationReason: 'no_file',
        ...none,
      };
    case 'invalid':
      return {
        status: 'unauthorized',
        authorizationStatus: 'unauthorized',
        authorizationReason: 'file_invalid',
        ...none,
      };
    case 'resolved':
      break;
  }
  const keys = new Map(agents.map((a) => [a.key, a.label]));
  const listed = check.agents.filter((entry) => keys.has(entry.url));
  const authorizing = listed.filter(
    (entry) =>
      entry.authorizationType !== null && inventoryAuthorizationTypes.has(entry.authorizationType),
  );
  if (authorizing.length > 0) {
    return {
      status: 'authorized',
      authorizationStatus: 'authorized',
      authorizationReason: 'authorized',
      authorizedAgents: [...new Set(authorizing.map((e) => keys.get(e.url) as string))],
    };
  }
  if (listed.some((entry) => entry.authorizationType === null)) {
    return {
      status: 'unknown',
      authorizationStatus: 'unknown',
      authorizationReason: 'agent_untyped',
      ...none,
    };
  }
  return {
    status: 'unauthorized',
    authorizationStatus: 'unauthorized',
    authorizationReason: listed.length > 0 ? 'agent_not_property_bound' : 'agent_not_listed',
    ...none,
  };
}
