import { createHash, randomBytes } from 'node:crypto';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { StoredSourceRow } from '../inventory-sources/index.js';
import { pkcePair } from './pkce.js';
import { adapterCapabilities, type AdapterDeps } from './context.js';
import type { AdapterContext, ProviderAdapter, ProviderGrant } from './contract.js';
import { ProviderError } from './errors.js';
import {
  adapterCallbackPath,
  adapterExecutionType,
  isProviderName,
  providers,
  type ProviderName,
} from './providers.js';
import * as store from './store.js';
import type { ConnectionRow } from './store.js';

const stateLifetimeMs = 10 * 60_000;
const weekMs = 7 * 86_400_000;

/** When a grant is refreshed: halfway through its life, and at least a week before it ends. */
export function refreshAtOf(grant: ProviderGrant): number | null {
  if (grant.expiresAt === null) return null;
  return grant.expiresAt - Math.min(weekMs, (grant.expiresAt - grant.issuedAt) / 2);
}

const stateHashOf = (state: string) => createHash('sha256').update(state).digest('hex');
const grantContext = (connectionId: number) => `provider_connection:${connectionId}`;

/** An adapter source as its operator reaches it. */
export interface OwnedAdapter {
  row: StoredSourceRow;
  connection: ConnectionRow;
}

/**
 * Delegated OAuth of an adapter source's provider account: the operator starts it, consents at
 * the provider, the callback takes the single-use state and exchanges the code; the grant is
 * sealed at rest and refreshed before it expires (a durable job); a grant the provider no longer
 * honours makes the connection NEEDS_RECONNECT and the source failing in readiness. Nothing here
 * answers or logs a token.
 */
export function createConnections(
  deps: AdapterDeps,
  adapters: Partial<Record<ProviderName, ProviderAdapter>>,
  scheduleRefresh: (connectionId: number, atMs: number) => Promise<void>,
) {
  const { db, secrets } = deps;
  const now = deps.now ?? (() => new Date());
  const redirectUri = () => `${deps.publicUrl()}${adapterCallbackPath}`;

  const adapterOf = (provider: string): ProviderAdapter => {
    const adapter = isProviderName(provider) ? adapters[provider] : undefined;
    if (!adapter) throw invalid(`No adapter is built for provider ${provider}`, 'provider');
    return adapter;
  };

  const sourceRowOf = async (connection: ConnectionRow) =>
    (await deps.inventorySources.allRowsOf(connection.storefrontId)).find(
      (r) => r.id === connection.inventorySourceId,
    );

  /** Tells readiness how the source stands: healthy once connected, else why not. */
  async function report(
    connection: ConnectionRow,
    error: { code: string; message: string } | null,
  ) {
    const row = await sourceRowOf(connection);
    if (!row) return;
    await deps.inventorySources.recordSelfReport(row, {
      capabilities: adapterCapabilities(row.name),
      error,
    });
  }

  const seal = (connectionId: number, grant: ProviderGrant) =>
    secrets.seal(JSON.stringify(grant), grantContext(connectionId));
  const open = (connection: ConnectionRow): ProviderGrant | null =>
    connection.grantSealed
      ? (JSON.parse(
          secrets.open(connection.grantSealed, grantContext(connection.id)),
        ) as ProviderGrant)
      : null;

  async function saveGrant(connection: ConnectionRow, grant: ProviderGrant, extra = {}) {
    const saved = await store.updateConnection(db, connection.id, {
      grantSealed: seal(connection.id, grant),
      expiresAt: grant.expiresAt === null ? null : new Date(grant.expiresAt),
      lastRefreshedAt: now(),
      ...extra,
    });
    const at = refreshAtOf(grant);
    if (at !== null) await scheduleRefresh(connection.id, at);
    return saved;
  }

  /** The provider no longer honours the grant: the operator must connect again. */
  async function grantLost(connection: ConnectionRow, reason: string) {
    const lost = await store.updateConnection(db, connection.id, {
      status: 'NEEDS_RECONNECT',
      statusReason: reason,
    });
    await report(lost, { code: 'ADAPTER_NEEDS_RECONNECT', message: reason });
    return lost;
  }

  return {
    adapterOf,
    open,

    /** Creates an adapter source of `provider` on the caller's storefront, not yet connected. */
    async createSource(
      principal: CustomerPrincipal,
      input: { provider: string; name: string; sourceId?: string | undefined },
    ) {
      if (!isProviderName(input.provider)) {
        throw invalid(`Unknown provider ${input.provider}`, 'provider');
      }
      if (!adapters[input.provider] || providers[input.provider].role !== 'sales') {
        throw invalid(
          `${providers[input.provider].name} is not available as a sales adapter on this instance yet`,
          'provider',
        );
      }
      const { row, connection } = await db.transaction(async (tx) => {
        const row = await deps.inventorySources.registerOfKind(tx, principal, {
          executionType: adapterExecutionType,
          name: input.name,
          sourceId: input.sourceId,
        });
        const connection = await store.insertConnection(tx, {
          inventorySourceId: row.id,
          storefrontId: row.storefrontId,
          customerId: principal.customerId,
          provider: input.provider,
          status: 'PENDING',
          statusReason: 'Connect the provider account (POST …/adapter/connect)',
          settings: { defaultCountries: ['US'] },
        });
        return { row, connection };
      });
      await report(connection, {
        code: 'ADAPTER_NOT_CONNECTED',
        message: 'The provider account is not connected yet',
      });
      return { row, connection };
    },

    /** The caller's adapter source by slug; another storefront's (or kind's) is NOT_FOUND. */
    async owned(principal: CustomerPrincipal, sourceId: string): Promise<OwnedAdapter> {
      const storefront = await deps.storefronts.requireOwn(principal);
      const row = await deps.inventorySources.findStored(storefront.id, sourceId);
      if (!row || row.executionType !== adapterExecutionType) throw notFound('Adapter source');
      const connection = await store.connectionOfSource(db, row.id);
      if (!connection || connection.customerId !== principal.customerId) {
        throw notFound('Adapter source');
      }
      return { row, connection };
    },

    /** Starts consent: a single-use state bound to the caller, and the provider's consent URL. */
    async start(principal: CustomerPrincipal, owned: OwnedAdapter) {
      const adapter = adapterOf(owned.connection.provider);
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
      await store.insertState(db, {
        stateHash: stateHashOf(state),
        connectionId: owned.connection.id,
        customerId: principal.customerId,
        userId: principal.userId,
        verifierSealed: secrets.seal(verifier, `provider_oauth_state:${stateHashOf(state)}`),
        redirectUri: redirectUri(),
        expiresAt,
      });
      return { authorizationUrl, expiresAt: expiresAt.toISOString() };
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
      const adapter = adapterOf(connection.provider);
      let grant: ProviderGrant;
      try {
        grant = await adapter.oauth.exchangeCode({
          code: input.code,
          redirectUri: pending.redirectUri,
          codeVerifier: secrets.open(pending.verifierSealed, `provider_oauth_state:${hash}`),
        });
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        throw invalid('The provider refused the authorization code; connect again', 'code');
      }
      const [accounts, settings] = await Promise.all([
        adapter.accounts(grant.accessToken),
        adapter.settingsAfterConsent(grant.accessToken),
      ]);
      const buyable = accounts.filter((a) => a.status === 'active');
      const keep = accounts.some((a) => a.id === connection.selectedAccountId);
      const connected = await saveGrant(connection, grant, {
        status: 'CONNECTED',
        statusReason: null,
        accounts,
        selectedAccountId: keep
          ? connection.selectedAccountId
          : buyable.length === 1
            ? buyable[0]!.id
            : null,
        settings: { ...connection.settings, ...settings, ...pickKept(connection.settings) },
        connectedBy: pending.userId,
      });
      await report(connected, null);
      return connected;
    },

    async update(
      owned: OwnedAdapter,
      input: {
        accountId?: string | undefined;
        pageId?: string | undefined;
        defaultCountries?: string[] | undefined;
      },
    ) {
      const { connection } = owned;
      if (
        input.accountId !== undefined &&
        !connection.accounts.some((a) => a.id === input.accountId)
      ) {
        throw invalid('accountId is not one of the connected accounts', 'accountId');
      }
      const pages = Array.isArray(connection.settings.pages)
        ? (connection.settings.pages as Array<{ id: string }>)
        : [];
      if (input.pageId !== undefined && !pages.some((p) => p.id === input.pageId)) {
        throw invalid('pageId is not one of the Pages the connection may run ads as', 'pageId');
      }
      return store.updateConnection(db, connection.id, {
        ...(input.accountId !== undefined && { selectedAccountId: input.accountId }),
        settings: {
          ...connection.settings,
          ...(input.pageId !== undefined && { pageId: input.pageId }),
          ...(input.defaultCountries !== undefined && { defaultCountries: input.defaultCountries }),
        },
      });
    },

    /** Withdraws the grant at the provider (best effort) and forgets it. */
    async disconnect(owned: OwnedAdapter) {
      const grant = open(owned.connection);
      if (grant) await adapterOf(owned.connection.provider).oauth.revoke(grant);
      const done = await store.updateConnection(db, owned.connection.id, {
        status: 'DISCONNECTED',
        statusReason: 'Disconnected by the operator',
        grantSealed: null,
        expiresAt: null,
      });
      await report(done, {
        code: 'ADAPTER_NOT_CONNECTED',
        message: 'The provider account was disconnected',
      });
      return done;
    },

    /**
     * What an adapter call needs: a live token (refreshed first when due) and the chosen
     * account; a ProviderError the buyer may see when the source cannot buy now.
     */
    async contextFor(inventorySourceId: number): Promise<AdapterContext> {
      let connection = await store.connectionOfSource(db, inventorySourceId);
      const grant = connection && open(connection);
      if (!connection || connection.status !== 'CONNECTED' || !grant) {
        throw new ProviderError(
          'SERVICE_UNAVAILABLE',
          'This source is not connected to its provider',
        );
      }
      const account = connection.accounts.find((a) => a.id === connection!.selectedAccountId);
      if (!account) {
        throw new ProviderError('SERVICE_UNAVAILABLE', 'This source has no ad account chosen yet');
      }
      let token = grant.accessToken;
      const at = refreshAtOf(grant);
      if (at !== null && at <= now().getTime()) {
        connection = await this.refresh(connection.id);
        const fresh = connection && open(connection);
        if (!connection || connection.status !== 'CONNECTED' || !fresh) {
          throw new ProviderError(
            'AUTH_REQUIRED',
            'The provider connection needs its operator to reconnect',
          );
        }
        token = fresh.accessToken;
      }
      return { accessToken: token, account, settings: connection.settings };
    },

    /** A provider said the grant is gone (e.g. revoked by the account's owner). */
    async markGrantLost(inventorySourceId: number, reason: string) {
      const connection = await store.connectionOfSource(db, inventorySourceId);
      if (connection && connection.status === 'CONNECTED') await grantLost(connection, reason);
    },

    /**
     * Refreshes a connection's grant if it is due (the refresh job, and a call that meets a grant
     * past its refresh time); a refusal that loses the grant marks it NEEDS_RECONNECT, a
     * transient one is thrown for the job to retry. Answers the connection as it now is.
     */
    async refresh(connectionId: number): Promise<ConnectionRow | undefined> {
      const connection = await store.connectionById(db, connectionId);
      const grant = connection && open(connection);
      if (!connection || connection.status !== 'CONNECTED' || !grant) return connection;
      const at = refreshAtOf(grant);
      if (at === null) return connection;
      if (at > now().getTime()) {
        await scheduleRefresh(connection.id, at);
        return connection;
      }
      if (grant.expiresAt !== null && grant.expiresAt <= now().getTime()) {
        return grantLost(connection, 'The provider grant expired before it could be refreshed');
      }
      try {
        const fresh = await adapterOf(connection.provider).oauth.refresh(grant);
        return await saveGrant(connection, fresh);
      } catch (error) {
        if (error instanceof ProviderError && !error.retryable) {
          return grantLost(connection, error.message);
        }
        throw error;
      }
    },

    redirectUri,
  };
}

/** Settings the operator chose survive a reconnect. */
function pickKept(settings: Record<string, unknown>) {
  return {
    ...(settings.pageId !== undefined && { pageId: settings.pageId }),
    ...(settings.defaultCountries !== undefined && { defaultCountries: settings.defaultCountries }),
  };
}

export type Connections = ReturnType<typeof createConnections>;
