import type { createStorefrontPlatform } from '../platform.js';
import type { CallerGovernance, GovernanceGate } from '../../adcp31/governance/index.js';
import { agentRequest } from '../caller.js';

/** sync_governance on the caller's own account (resolved as every tool resolves it). */
export function callerGovernance(
  gate: GovernanceGate,
  platform: Pick<ReturnType<typeof createStorefrontPlatform>, 'accounts'>,
): CallerGovernance {
  return {
    allowInsecureUrls: gate.allowInsecureUrls,
    async register(ref, agent) {
      const { storefront, principal } = agentRequest();
      const account = await platform.accounts.resolve(ref);
      const accountId = account?.ctx_metadata.accountId;
      // resolve always answers the caller's account; no account is a bug, not the buyer's.
      if (!accountId) throw new Error('account reference resolved to no account');
      await gate.register(
        { storefrontId: storefront.id, buyerCustomerId: principal.customerId, accountId },
        agent,
      );
    },
  };
}
