import { AdcpError } from '@adcp/sdk/server';
import type { LinkAdmission } from '../../modules/storefront-links/index.js';
import type { StorefrontRow } from '../../modules/storefronts/index.js';
import { agentRequest } from './caller.js';

/** The upstream's side of a link, as the agent asks it (storefront-links' admit). */
export interface LinkGate {
  admit(storefront: StorefrontRow, customerId: number, ext: unknown): Promise<LinkAdmission>;
}

/**
 * Lets a call from another storefront (its request carries a link chain) go ahead only through
 * an ACTIVE link, never around a loop and never deeper than the hop limit; refused, the caller
 * gets the AdCP error, so the downstream storefront shows none of this storefront's products
 * and books nothing here. An ordinary buyer's call is untouched. Asked again on every products,
 * create and update call: a revocation holds from the next request.
 */
export async function admitLinkedCall(gate: LinkGate | undefined, ext: unknown): Promise<void> {
  if (!gate) return;
  const request = agentRequest();
  const admission = await gate.admit(request.storefront, request.principal.customerId, ext);
  if (!admission.ok) {
    // AdCP's own codes (a buyer's SDK knows them); which refusal it is, in details.reason.
    const { code, message } = admission.refusal;
    throw new AdcpError(code === 'LINK_NOT_APPROVED' ? 'PERMISSION_DENIED' : 'INVALID_REQUEST', {
      message,
      recovery: code === 'INVALID_REQUEST' ? 'correctable' : 'terminal',
      details: { reason: code === 'INVALID_REQUEST' ? 'link_chain_invalid' : code.toLowerCase() },
    });
  }
  if (admission.chain) request.linkChain = admission.chain;
}
