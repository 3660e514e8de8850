import { AsyncLocalStorage } from 'node:async_hooks';
import { PermissionDeniedError } from '@adcp/sdk/server';
import { assertMayTransact } from '../../modules/identity/index.js';
import { isAppError } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { StorefrontRow } from '../../modules/storefronts/index.js';

/**
 * Who a storefront agent is serving on this request. The host sets it around the whole AdCP
 * call, so every platform method (and background task it hands off) reads the same caller,
 * whether or not the SDK passes an account to that tool.
 */
export interface AgentRequest {
  principal: CustomerPrincipal;
  /** The storefront as loaded for this request (settings such as approval modes are current). */
  storefront: StorefrontRow;
  /**
   * When the call came from another storefront selling this one (a linked storefront): the
   * storefronts it passed through, set once the link admitted it (src/source-kinds/linked-storefront).
   * This storefront's own linked sources pass it on with this storefront added.
   */
  linkChain?: string[];
  /**
   * The buyer's idempotency_key of this request, as the SDK's idempotency store checked it
   * (runtime.ts): for handlers the SDK hands only part of the request (sync_audiences).
   */
  idempotencyKey?: string;
}

const current = new AsyncLocalStorage<AgentRequest>();

export const runAsCaller = <T>(request: AgentRequest, work: () => T): T =>
  current.run(request, work);

export function agentRequest(): AgentRequest {
  const request = current.getStore();
  // The host authenticates before any AdCP handling; reaching here without one is a bug.
  if (!request) throw new Error('storefront agent called outside an authenticated request');
  return request;
}

/** The agent request being served, if any (undefined in jobs and REST). */
export const findAgentRequest = (): AgentRequest | undefined => current.getStore();

export const callerPrincipal = (): CustomerPrincipal => agentRequest().principal;

/**
 * The tenant the SDK's stores (idempotency records, tasks) are keyed by: this buyer on this
 * storefront. Every storefront agent shares those stores, and account ids are the buyer's own
 * words, so neither the customer nor an account id alone keeps two tenants apart.
 */
export function callerScope(): string {
  const { storefront, principal } = agentRequest();
  return `storefront-${storefront.id}/customer-${principal.customerId}`;
}

/** callerScope() inside a storefront agent's request, undefined outside one (jobs, REST). */
export function findCallerScope(): string | undefined {
  return current.getStore() ? callerScope() : undefined;
}

/** Creating or changing buys: a pending or suspended sponsored buyer may not (REST's rule). */
export function assertCallerMayTransact(storefrontId: number): CustomerPrincipal {
  const principal = callerPrincipal();
  try {
    assertMayTransact(principal, storefrontId);
  } catch (error) {
    if (isAppError(error))
      throw new PermissionDeniedError('create or change media buys', { message: error.message });
    throw error;
  }
  return principal;
}
