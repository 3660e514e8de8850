import type { OwnedAuth } from '../../upstream/index.js';
import { notFound } from '../../platform/errors.js';
import { isoDate } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { registerCredential } from './credential-registration.js';
import { credentialViews } from './credential-views.js';
import type { BuyerAccessContext } from './deps.js';
import type { AccountInput, CredentialInput } from './schemas.js';
import { ownedAuthOf } from './upstream-auth.js';

/** A buyer's credentials per agent: registering, listing, deleting, and presenting upstream. */
export function createCredentials(ctx: BuyerAccessContext) {
  const { deps, store, cache, oauth } = ctx;
  const { db } = deps;

  /** A buyer's first ACTIVE credential (lowest id) for an agent: the one it is called with. */
  async function activeCredential(customerId: number, agentId: string) {
    const rows = await cache.get(`credentials:${customerId}:${agentId}`, () =>
      store.credentialsForAgents(db, customerId, [agentId]),
    );
    return rows.find((row) => row.status === 'ACTIVE');
  }

  return {
    async listCredentials(principal: CustomerPrincipal) {
      return credentialViews(ctx, principal, await store.listCredentials(db, principal.customerId));
    },

    /** Deletes one of the caller's credentials, revoking an OAuth grant at its server first. */
    async deleteCredential(principal: CustomerPrincipal, credentialId: number) {
      const row = await store.findCredential(db, credentialId, principal.customerId);
      if (!row) throw notFound('Credential');
      await oauth.revokeAtServer(row);
      await store.deleteCredential(db, credentialId, principal.customerId);
      return { deleted: true as const, id: String(row.id) };
    },

    /**
     * A buyer's own credential for an agent as presented upstream, with its credentialOwner: its
     * first ACTIVE credential (lowest id), null when it has none. OAuth tokens are refreshed and
     * JWT grants exchanged, which throws when the token endpoint refuses.
     */
    async upstreamAuthFor(customerId: number, agentId: string): Promise<OwnedAuth | null> {
      const active = await activeCredential(customerId, agentId);
      return active ? ownedAuthOf(ctx, active) : null;
    },

    /**
     * One of the caller's credentials as presented upstream, by id (the buyer picks it when it
     * holds several for an agent); NOT_FOUND for another customer's or an unknown id.
     */
    async upstreamAuthOfCredential(customerId: number, credentialId: number): Promise<OwnedAuth> {
      const row = await store.findCredential(db, credentialId, customerId);
      if (!row) throw notFound('Credential');
      return ownedAuthOf(ctx, row);
    },

    /** The caller's credentials at several agents (storefront agents list and detail). */
    async credentialsAtAgents(customerId: number, agentIds: string[]) {
      const rows = await store.credentialsForAgents(db, customerId, agentIds);
      return rows.map((r) => ({
        id: String(r.id),
        agentId: r.agentId,
        status: r.status,
        accountIdentifier: r.accountIdentifier,
        accountType: r.accountType,
        registeredBy: r.registeredBy,
        createdAt: isoDate(r.createdAt),
      }));
    },

    /** The caller's credentials for an agent (id ascending): id, status and account. */
    async credentialsAt(customerId: number, agentId: string) {
      const rows = await store.credentialsForAgents(db, customerId, [agentId]);
      return rows.map((r) => ({
        id: String(r.id),
        status: r.status,
        accountIdentifier: r.accountIdentifier,
      }));
    },

    /**
     * The account a buyer registered at an agent: the accountIdentifier of the credential
     * upstreamAuthFor presents (its first ACTIVE one), undefined when it has none.
     */
    async registeredAccountAt(customerId: number, agentId: string): Promise<string | undefined> {
      return (await activeCredential(customerId, agentId))?.accountIdentifier;
    },

    /**
     * Whether the credential a buyer is called with at an agent carries a secret of its own:
     * what the agent answered it (list_accounts, when an account was linked) was answered to
     * the buyer, not to anyone.
     */
    async authenticatedAt(customerId: number, agentId: string): Promise<boolean> {
      const active = await activeCredential(customerId, agentId);
      return active !== undefined && active.authType !== 'none';
    },

    registerCredential: (
      principal: CustomerPrincipal,
      storefrontId: number,
      sourceId: string,
      input: CredentialInput | undefined,
    ) => registerCredential(ctx, principal, storefrontId, sourceId, input),

    registerAccount: (
      principal: CustomerPrincipal,
      storefrontId: number,
      sourceId: string,
      input: AccountInput | undefined,
    ) => registerCredential(ctx, principal, storefrontId, sourceId, input),
  };
}
