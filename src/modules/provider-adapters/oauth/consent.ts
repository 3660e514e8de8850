import { createHash, randomBytes } from 'node:crypto';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { AdapterDeps } from '../context.js';
import type { ProviderAccount, ProviderGrant } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { Grants } from './grants.js';
import { pkcePair } from './pkce.js';
import { adapterCallbackPath } from '../providers.js';
import * as store from '../store.js';
import type { ConnectionRow } from '../store.js';

const stateLifetimeMs = 10 * 60_000;
export const stateHashOf = (state: string) => createHash('sha256').update(state).digest('hex');
const verifierContext = (hash: string) => `provider_oauth_state:${hash}`;

/**
 * Delegated OAuth consent: the operator starts it (a single-use state bound to its customer
 * and user, stored as a hash, expiring in 10 minutes), consents at the provider, and the
 * callback takes the state once and exchanges the code for a grant.
 */
export function createConsent(deps: AdapterDeps, grants: Grants) {
  const { db, secrets } = deps;
  const now = deps.now ?? (() => new Date());
  const redirectUri = () => `${deps.publicUrl()}${adapterCallbackPath}`;

  return {
    redirectUri,

    /** Starts consent: a single-use state bound to the caller, and the provider's consent URL. */
    async start(principal: CustomerPrincipal, connection: ConnectionRow) {
      const adapter = grants.adapterOf(connection.provider);
      const state = randomBytes(32).toString('base64url');
      const { verifier, challenge } = pkcePair();
      const expiresAt = new Date(now().getTime() + stateLifetimeMs);
      let authorizationUrl: string;
      try {
        authorizationUrl = adapter.oauth.authorizationUrl({
          state,
          redirectUri: redirectUri(),
          codeChallenge: challenge,
        });
      } catch (error) {
        if (error instanceof ProviderError) {
          throw new AppError('unprocessable', error.message, { code: 'PROVIDER_NOT_CONFIGURED' });
        }
        throw error;
      }
      const hash = stateHashOf(state);
      await store.insertState(db, {
        stateHash: hash,
        connectionId: connection.id,
        customerId: principal.customerId,
        userId: principal.userId,
        verifierSealed: secrets.seal(verifier, verifierContext(hash)),
        redirectUri: redirectUri(),
        expiresAt,
      });
      return { authorizationUrl, expiresAt: expiresAt.toISOString() };
    },

    /** The connection an open state would connect, without taking the state. */
    async peek(state: string) {
      const pending = await store.peekState(db, stateHashOf(state), now());
      return pending ? store.connectionById(db, pending.connectionId) : undefined;
    },

    /**
     * Finishes consent. The state is taken once (unknown, used, expired or, when the caller is
     * known, another customer's: 400); a refusal at the provider leaves the connection as it was;
     * otherwise the code is exchanged, the grant sealed and the accounts read.
     */
    async complete(
      input: { state: string; code?: string | undefined; error?: string | undefined },
      caller?: CustomerPrincipal,
    ) {
      const hash = stateHashOf(input.state);
      const pending = await store.consumeState(db, hash, now(), caller?.customerId);
      if (!pending) {
        throw invalid('The OAuth state is unknown, already used or expired; start again', 'state');
      }
      const connection = await store.connectionById(db, pending.connectionId);
      if (!connection || connection.customerId !== pending.customerId) {
        throw notFound('Adapter source');
      }
      if (input.error || !input.code) {
        await store.updateConnection(db, connection.id, {
          statusReason: 'The consent was refused at the provider; connect again to retry',
        });
        throw invalid('The consent was refused at the provider', input.error ? 'error' : 'code');
      }
      const adapter = grants.adapterOf(connection.provider);
      let grant: ProviderGrant;
      try {
        grant = await adapter.oauth.exchangeCode({
          code: input.code,
          redirectUri: pending.redirectUri,
          codeVerifier: secrets.open(pending.verifierSealed, verifierContext(hash)),
        });
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        throw invalid('The provider refused the authorization code; connect again', 'code');
      }
      let accounts: ProviderAccount[];
      let settings: Record<string, unknown>;
      try {
        [accounts, settings] = await Promise.all([
          adapter.accounts(grant.accessToken),
          adapter.settingsAfterConsent(grant.accessToken),
        ]);
      } catch (error) {
        // The provider failing here (throttled, down) is the operator's 4xx/503, not our 500.
        if (!(error instanceof ProviderError)) throw error;
        await store.updateConnection(db, connection.id, {
          statusReason: `The provider could not list the ad accounts (${error.code}); connect again`,
        });
        throw new AppError(
          error.code === 'RATE_LIMITED' ? 'rate_limited' : 'unavailable',
          `The provider could not list the ad accounts (${error.code}); connect again`,
          {
            code: error.code,
            ...(error.options.retryAfterSeconds !== undefined && {
              retryAfter: error.options.retryAfterSeconds,
            }),
          },
        );
      }
      const buyable = accounts.filter((a) => a.status === 'active');
      const keep = accounts.some((a) => a.id === connection.selectedAccountId);
      const connected = await grants.save(connection, grant, {
        status: 'CONNECTED',
        statusReason: null,
        accounts,
        selectedAccountId: keep
          ? connection.selectedAccountId
          : buyable.length === 1
            ? buyable[0]!.id
            : null,
        settings: { ...connection.settings, ...settings, ...keptSettings(connection.settings) },
        connectedBy: pending.userId,
      });
      await grants.report(connected, null);
      return connected;
    },
  };
}

/** Settings the operator chose survive a reconnect. */
function keptSettings(settings: Record<string, unknown>) {
  return {
    ...(settings.pageId !== undefined && { pageId: settings.pageId }),
    ...(settings.defaultCountries !== undefined && { defaultCountries: settings.defaultCountries }),
    ...(settings.adCategory !== undefined && { adCategory: settings.adCategory }),
  };
}
