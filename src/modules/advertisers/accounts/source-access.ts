import type { OwnedAuth, UpstreamProtocol } from '../../../upstream/index.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { AccountSource } from '../tables.js';

/**
 * What source-account discovery needs from buyer access (storefront visibility, the buyer's own
 * credentials), as an interface so this module names no other module's internals. services.ts
 * hands it the buyer-access service.
 */
export interface SourceAccess {
  /** An ACTIVE source on a storefront the caller may see; throws NOT_FOUND otherwise. */
  visibleSource(
    principal: CustomerPrincipal,
    storefrontId: number,
    sourceId: string,
  ): Promise<{
    storefront: { id: number; name: string };
    source: {
      sourceId: string;
      name: string;
      agentId: string;
      endpointUrl: string;
      protocol: UpstreamProtocol;
    };
  }>;
  credentialsAt(
    customerId: number,
    agentId: string,
  ): Promise<{ id: string; status: string; accountIdentifier: string }[]>;
  /** Throws NOT_FOUND for a credential the customer does not hold. */
  upstreamAuthOfCredential(customerId: number, credentialId: number): Promise<OwnedAuth>;
  sourcesOfAgent(principal: CustomerPrincipal, agentId: string): Promise<AccountSource[]>;
}
