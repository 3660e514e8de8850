import type { Db } from '../../platform/db/database.js';
import { invalid } from '../../platform/errors.js';
import { adapterCapabilities, type AdapterDeps } from './context.js';
import type { AdapterContext, ProviderAdapter, ProviderGrant } from './contract.js';
import { ProviderError } from './errors.js';
import { isProviderName, type ProviderName } from './providers.js';
import * as store from './store.js';
import type { ConnectionRow } from './store.js';

const weekMs = 7 * 86_400_000;

/** When a grant is refreshed: halfway through its life, and at least a week before it ends. */
export function refreshAtOf(grant: ProviderGrant): number | null {
  if (grant.expiresAt === null) return null;
  return grant.expiresAt - Math.min(weekMs, (grant.expiresAt - grant.issuedAt) / 2);
}

const grantContext = (connectionId: number) => `provider_connection:${connectionId}`;

/**
 * A connection's grant: sealed at rest (bound to the connection's id), refreshed before it
 * expires (the durable refresh job, or the call that meets it past its refresh time), and lost
 * when the provider no longer honours it (NEEDS_RECONNECT, and the source failing in
 * readiness). Nothing here answers or logs a token.
 */
export function createGrants(
  deps: AdapterDeps,
  adapters: Partial<Record<ProviderName, ProviderAdapter>>,
  scheduleRefresh: (connectionId: number, atMs: number) => Promise<void>,
) {
  const { db, secrets } = deps;
  const now = deps.now ?? (() => new Date());

  const adapterOf = (provider: string): ProviderAdapter => {
    const adapter = isProviderName(provider) ? adapters[provider] : undefined;
    if (!adapter) throw invalid(`No adapter is built for provider ${provider}`, 'provider');
    return adapter;
  };

  /** Tells readiness how the source stands: healthy once connected, else why not. */
  async function report(
    connection: ConnectionRow,
    error: { code: string; message: string } | null,
  ) {
    const row = (await deps.inventorySources.allRowsOf(connection.storefrontId)).find(
      (r) => r.id === connection.inventorySourceId,
    );
    if (!row) return;
    await deps.inventorySources.recordSelfReport(row, {
      capabilities: adapterCapabilities(row.name),
      error,
    });
  }

  const open = (connection: ConnectionRow): ProviderGrant | null =>
    connection.grantSealed
      ? (JSON.parse(
          secrets.open(connection.grantSealed, grantContext(connection.id)),
        ) as ProviderGrant)
      : null;

  async function save(
    connection: ConnectionRow,
    grant: ProviderGrant,
    extra: Partial<ConnectionRow> = {},
    tx: Db = db,
  ) {
    const saved = await store.updateConnection(tx, connection.id, {
      grantSealed: secrets.seal(JSON.stringify(grant), grantContext(connection.id)),
      expiresAt: grant.expiresAt === null ? null : new Date(grant.expiresAt),
      lastRefreshedAt: now(),
      ...extra,
    });
    const at = refreshAtOf(grant);
    if (at !== null) await scheduleRefresh(connection.id, at);
    return saved;
  }

  /** The provider no longer honours the grant: the operator must connect again. */
  async function lost(connection: ConnectionRow, reason: string, tx: Db = db) {
    const marked = await store.updateConnection(tx, connection.id, {
      status: 'NEEDS_RECONNECT',
      statusReason: reason,
    });
    await report(marked, { code: 'ADAPTER_NEEDS_RECONNECT', message: reason });
    return marked;
  }

  /**
   * Refreshes a connection's grant if it is due; a refusal that loses the grant marks it
   * NEEDS_RECONNECT, a transient one is thrown for the job to retry. Answers the connection.
   * The connection's row is locked while it refreshes, so two refreshes at once (the job and a
   * buyer's call, two instances) never spend the same rotating refresh token twice: the second
   * finds the grant already fresh.
   */
  async function refresh(connectionId: number): Promise<ConnectionRow | undefined> {
    return db.transaction(async (tx) => {
      const connection = await store.lockConnection(tx, connectionId);
      const grant = connection && open(connection);
      if (!connection || connection.status !== 'CONNECTED' || !grant) return connection;
      const at = refreshAtOf(grant);
      if (at === null) return connection;
      if (at > now().getTime()) {
        await scheduleRefresh(connection.id, at);
        return connection;
      }
      // An access token past its end is refreshed with its refresh token (Pinterest, Snap);
      // without one (Meta) the grant itself is gone.
      if (grant.expiresAt !== null && grant.expiresAt <= now().getTime() && !grant.refreshToken) {
        return lost(connection, 'The provider grant expired before it could be refreshed', tx);
      }
      try {
        const fresh = await adapterOf(connection.provider).oauth.refresh(grant);
        return await save(connection, fresh, {}, tx);
      } catch (error) {
        if (error instanceof ProviderError && !error.retryable) {
          return lost(connection, error.message, tx);
        }
        throw error;
      }
    });
  }

  return {
    adapterOf,
    report,
    open,
    save,
    refresh,

    /**
     * What an adapter call needs, from the connection the caller just read: a live token
     * (refreshed first when due) and the chosen account; a ProviderError the buyer may see when
     * the source cannot buy now.
     */
    async contextFor(found: ConnectionRow): Promise<AdapterContext> {
      let connection: ConnectionRow | undefined = found;
      let grant: ProviderGrant | null | undefined = open(connection);
      if (connection.status !== 'CONNECTED' || !grant) {
        throw new ProviderError(
          'SERVICE_UNAVAILABLE',
          'This source is not connected to its provider',
        );
      }
      const chosen = connection.selectedAccountId;
      const account = connection.accounts.find((a) => a.id === chosen);
      if (!account) {
        throw new ProviderError('SERVICE_UNAVAILABLE', 'This source has no ad account chosen yet');
      }
      const at = refreshAtOf(grant);
      if (at !== null && at <= now().getTime()) {
        connection = await refresh(connection.id);
        grant = connection && open(connection);
        if (!connection || connection.status !== 'CONNECTED' || !grant) {
          throw new ProviderError(
            'AUTH_REQUIRED',
            'The provider connection needs its operator to reconnect',
          );
        }
      }
      return { accessToken: grant.accessToken, account, settings: connection.settings };
    },

    /** A provider said the grant is gone (e.g. revoked by the account's owner). */
    async markLost(inventorySourceId: number, reason: string) {
      const connection = await store.connectionOfSource(db, inventorySourceId);
      if (connection && connection.status === 'CONNECTED') await lost(connection, reason);
    },
  };
}

export type Grants = ReturnType<typeof createGrants>;
