import type { BuyingAgents } from '../../modules/discovery/index.js';
import { createFlow } from './flow.js';

/**
 * Calls to a storefront of this instance, in process. Owner: the storefront agents as in-process
 * callers reach them (agents/merchandising/hosting/buying-agents.ts). Caller: the linked
 * storefront source kind, when the upstream storefront of a link lives on this instance. The
 * source kinds are built first; the storefront agents are built over the Merchandising Agent
 * that sells from them.
 */
export function createLocalStorefrontCalls() {
  const flow = createFlow<Pick<BuyingAgents, 'call'>>('local storefront calls', 'modules');
  const call: BuyingAgents['call'] = (...args) => flow.owner().call(...args);
  return { flow, call };
}
