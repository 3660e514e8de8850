import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../../platform/crypto/secrets.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import type { OutboundFetch } from '../../../platform/outbound/index.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { InventorySourcesService, SourceRow } from '../../inventory-sources/index.js';
import { maySeeStorefront } from '../../identity/index.js';
import type { StorefrontsService } from '../../storefronts/index.js';
import * as rawStore from '../store.js';
import type { CredentialRow } from '../store.js';
import { discoverAuthorizationServer, OAuthDiscoveryError } from './discovery.js';
import { pkcePair, requestTokens, TokenEndpointError, type TokenSet } from './tokens.js';

/** The sealed form of a buyer's OAuth grant for one agent. */
interface StoredGrant extends TokenSet {
  type: 'oauth';
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  clientId: string;
  clientSecret?: string | undefined;
}

export interface OAuthDeps {
  db: Db;
  /** The credential store, as the buyer-access service wraps it (its cache clears on writes). */
  store?: typeof rawStore;
  secrets: SecretBox;
  fetch: OutboundFetch;
  storefronts: StorefrontsService;
  inventorySources: InventorySourcesService;
  userEmail: (userId: number) => Promise<string | null>;
  publicUrl: () => string;
  /** Origins besides publicUrl an authorization code may be sent to (see checkedRedirectUri). */
  redirectOrigins?: readonly string[];
  now?: () => Date;
}

const stateLifetimeMs = 10 * 60_000;
const refreshMarginMs = 60_000;

export const grantContext = (customerId: number, agentId: string, account: string) =>
  `buyer_credential:${customerId}:${agentId}:${account}`;

export type OAuthService = ReturnType<typeof createOAuthService>;

/**
 * Authorization-code flow with PKCE for OAuth-secured sources, on behalf of a buyer: consent URL,
 * single-use state, code exchange, sealed tokens, refresh before expiry, revocation on delete.
 */
export function createOAuthService(deps: OAuthDeps) {
  const { db, secrets } = deps;
  const store = deps.store ?? rawStore;
  const now = deps.now ?? (() => new Date());
  const redirectUri = () => `${deps.publicUrl()}/api/v2/storefront/oauth/callback`;

  /**
   * A client's redirectUri override (hosted API), or our own callback. The authorization server
   * sends the code wherever this points, so anything else than our callback or an allow-listed
   * origin would hand a buyer's code to a stranger: refused, as are credentials, fragments and
   * non-http(s) schemes.
   */
  function checkedRedirectUri(requested: string | undefined): string {
    const own = redirectUri();
    if (requested === undefined || requested === own) return own;
    let url: URL;
    try {
      url = new URL(requested);
    } catch {
      throw invalid('redirectUri must be an absolute URL', 'redirectUri');
    }
    const allowed = (deps.redirectOrigins ?? []).map((o) => new URL(o).origin);
    if (
      !/^https?:$/.test(url.protocol) ||
      url.username ||
      url.password ||
      url.hash ||
      requested.includes('#') ||
      !allowed.includes(url.origin)
    ) {
      throw invalid(
        "redirectUri must be this server's OAuth callback or on an allow-listed origin (INTERCHANGE_OAUTH_REDIRECT_ORIGINS)",
        'redirectUri',
        { allowed: [own] },
      );
    }
    return url.toString();
  }

  async function oauthSourceFor(principal: CustomerPrincipal, agentId: string): Promise<SourceRow> {
    const candidates = (await deps.inventorySources.rowsByAgents([agentId])).filter(
      (s) => s.status === 'ACTIVE' && s.authenticationType === 'OAUTH',
    );
    for (const source of candidates) {
      const storefront = await deps.storefronts.findById(source.storefrontId);
      if (storefront && maySeeStorefront(principal, storefront)) return source;
    }
    throw notFound('Agent');
  }

  function sealGrant(row: CredentialRow, grant: StoredGrant): string {
    return secrets.seal(
      JSON.stringify(grant),
      grantContext(row.customerId, row.agentId, row.accountIdentifier),
    );
  }

  function openGrant(row: CredentialRow): StoredGrant {
    if (!row.authSealed || row.authType !== 'oauth') throw notFound('OAuth credential');
    return JSON.parse(
      secrets.open(
        row.authSealed,
        grantContext(row.customerId, row.agentId, row.accountIdentifier),
      ),
    ) as StoredGrant;
  }

  return {
    /** Starts consent: a PENDING credential, a single-use state and the URL to send the user to. */
    async authorize(
      principal: CustomerPrincipal,
      agentId: string,
      accountIdentifier?: string,
      requestedRedirectUri?: string,
    ) {
      const redirectTo = checkedRedirectUri(requestedRedirectUri);
      const source = await oauthSourceFor(principal, agentId);
      const client = deps.inventorySources.oauthClientOf(source);
      if (!client) {
        throw invalid(
          'This source has not configured an OAuth client yet; ask the storefront operator',
          'agentId',
        );
      }
      let server;
      try {
        server = await discoverAuthorizationServer(deps.fetch, {
          endpointUrl: source.endpointUrl,
          authorizationServerUrl: client.authorizationServerUrl,
        });
      } catch (error) {
        if (error instanceof OAuthDiscoveryError) {
          throw new AppError('unavailable', error.message, { code: 'OAUTH_DISCOVERY_FAILED' });
        }
        throw error;
      }
      const credential = await store.upsertCredential(db, {
        customerId: principal.customerId,
        agentId,
        accountIdentifier: accountIdentifier ?? `oauth_${principal.customerId}`,
        authType: 'oauth',
        authSealed: null,
        status: 'PENDING',
        statusReason: 'Waiting for the OAuth consent to complete',
        registeredBy: await deps.userEmail(principal.userId),
      });
      const { verifier, challenge } = pkcePair();
      const state = randomBytes(24).toString('base64url');
      await store.insertOAuthState(db, {
        state,
        customerId: principal.customerId,
        userId: principal.userId,
        agentId,
        credentialId: credential.id,
        verifierSealed: secrets.seal(
          JSON.stringify({ verifier, server, client }),
          `oauth_state:${state}`,
        ),
        tokenEndpoint: server.tokenEndpoint,
        redirectUri: redirectTo,
        expiresAt: new Date(now().getTime() + stateLifetimeMs),
      });
      const url = new URL(server.authorizationEndpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: redirectTo,
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...(client.scope && { scope: client.scope }),
      }).toString();
      return {
        authorizationUrl: url.toString(),
        state,
        credential,
        agentId,
        agentName: source.name,
      };
    },

    /**
     * Finishes consent: takes the state once (expired, used or unknown → 400), exchanges the code
     * with the PKCE verifier and stores the tokens sealed on the credential, now ACTIVE. A caller
     * of the agent path must be the customer that started the flow.
     */
    async complete(state: string, code: string, caller?: CustomerPrincipal) {
      const pending = await store.consumeOAuthState(db, state, now(), caller?.customerId);
      if (!pending) {
        throw invalid('The OAuth state is unknown, already used or expired; start again', 'state');
      }
      const { verifier, server, client } = JSON.parse(
        secrets.open(pending.verifierSealed, `oauth_state:${state}`),
      ) as {
        verifier: string;
        server: { tokenEndpoint: string; revocationEndpoint: string | null };
        client: { clientId: string; clientSecret?: string };
      };
      const credential = await store.findCredential(db, pending.credentialId, pending.customerId);
      if (!credential) throw notFound('OAuth credential');
      let tokens: TokenSet;
      try {
        tokens = await requestTokens(
          deps.fetch,
          server.tokenEndpoint,
          {
            grant_type: 'authorization_code',
            code,
            redirect_uri: pending.redirectUri,
            code_verifier: verifier,
          },
          client,
        );
      } catch (error) {
        if (!(error instanceof TokenEndpointError)) throw error;
        await store.updateCredential(db, credential.id, {
          status: 'INVALID',
          statusReason: error.message,
        });
        throw invalid(error.message, 'code');
      }
      const grant: StoredGrant = {
        type: 'oauth',
        ...tokens,
        tokenEndpoint: server.tokenEndpoint,
        revocationEndpoint: server.revocationEndpoint,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
      };
      const updated = await store.updateCredential(db, credential.id, {
        authSealed: sealGrant(credential, grant),
        status: 'ACTIVE',
        statusReason: null,
        checkedAt: now(),
      });
      return { credentialId: String(updated.id), agentId: updated.agentId, status: updated.status };
    },

    /** A usable access token for an OAuth credential, refreshed when it is about to expire. */
    async accessToken(customerId: number, credentialId: number): Promise<string> {
      const row = await store.findCredential(db, credentialId, customerId);
      if (!row) throw notFound('OAuth credential');
      const grant = openGrant(row);
      if (grant.expiresAt === null || grant.expiresAt - refreshMarginMs > Date.now()) {
        return grant.accessToken;
      }
      if (!grant.refreshToken) {
        await store.updateCredential(db, row.id, {
          status: 'INVALID',
          statusReason: 'The access token expired and there is no refresh token',
        });
        throw new AppError('forbidden', 'The OAuth grant expired; authorize again', {
          code: 'OAUTH_REAUTH_REQUIRED',
        });
      }
      const fresh = await requestTokens(
        deps.fetch,
        grant.tokenEndpoint,
        { grant_type: 'refresh_token', refresh_token: grant.refreshToken },
        grant,
      );
      const next: StoredGrant = {
        ...grant,
        ...fresh,
        refreshToken: fresh.refreshToken ?? grant.refreshToken,
      };
      await store.updateCredential(db, row.id, {
        authSealed: sealGrant(row, next),
        checkedAt: now(),
      });
      return next.accessToken;
    },

    /** Revokes an OAuth grant at its server (best effort) before the credential is deleted. */
    async revokeAtServer(row: CredentialRow): Promise<void> {
      if (row.authType !== 'oauth' || !row.authSealed) return;
      const grant = openGrant(row);
      if (!grant.revocationEndpoint) return;
      const body = new URLSearchParams({
        token: grant.refreshToken ?? grant.accessToken,
        token_type_hint: grant.refreshToken ? 'refresh_token' : 'access_token',
        client_id: grant.clientId,
      });
      if (grant.clientSecret) body.set('client_secret', grant.clientSecret);
      await deps
        .fetch(grant.revocationEndpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: body.toString(),
          timeoutMs: 5000,
        })
        .then((r) => r.body?.cancel())
        .catch(() => undefined);
    },
  };
}
