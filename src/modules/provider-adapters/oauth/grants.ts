import type { Db } from '../../../platform/db/database.js';
import { invalid } from '../../../platform/errors.js';
import type { SelfProblem } from '../../inventory-sources/index.js';
import { adapterDeclaration, type AdapterDeps } from '../context.js';
import type { AdapterContext, ProviderAdapter, ProviderGrant } from '../contract.js';
import { ProviderError } from '../errors.js';
import { isProviderName, type ProviderName } from '../providers.js';
import * as store from '../store.js';
import type { ConnectionRow } from '../store.js';

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

  /**
   * Tells inventory-sources how the source stands (readiness and selling read it): it can sell
   * once connected with an ad account chosen, else `problem` says why not. The credential
   * problems (not connected, lost) are the operator's to fix by connecting.
   */
  async function report(connection: ConnectionRow, problem: SelfProblem | null) {
    const row = (await deps.inventorySources.allRowsOf(connection.storefrontId)).find(
      (r) => r.id === connection.inventorySourceId,
    );
    if (!row) return;
    const accountMissing =
      connection.status === 'CONNECTED' &&
      !connection.accounts.some((a) => a.id === connection.selectedAccountId);
    await deps.inventorySources.recordSelfReport(row, {
      declared: adapterDeclaration(row.name, adapterOf(connection.provider)),
      problem:
        problem ??
        (accountMissing
          ? {
              code: 'ADAPTER_ACCOUNT_NOT_CHOSEN',
              message: `No ad account is chosen: choose the one ${row.name} buys with (PUT /api/v2/storefront/inventory-sources/${row.sourceId}/adapter {"accountId":…})`,
            }
          : null),
    });
  }

  const open = (connection: ConnectionRow): ProviderGrant | null =>
    connection.grantSealed
      ? (JSON.parse(
          secrets.open(connection.grantSealed, grantContext(connection.id)),
        ) as ProviderGrant)
      : null;

  /** Writes a grant sealed into the connection's row (in the caller's transaction if any). */
  const storeGrant = (
    tx: Db,
    connection: ConnectionRow,
    grant: ProviderGrant,
    extra: Partial<ConnectionRow> = {},
  ) =>
    store.updateConnection(tx, connection.id, {
      grantSealed: secrets.seal(JSON.stringify(grant), grantContext(connection.id)),
      expiresAt: grant.expiresAt === null ? null : new Date(grant.expiresAt),
      lastRefreshedAt: now(),
      ...extra,
    });

  const markNeedsReconnect = (tx: Db, connection: ConnectionRow, reason: string) =>
    store.updateConnection(tx, connection.id, { status: 'NEEDS_RECONNECT', statusReason: reason });

  async function save(
    connection: ConnectionRow,
    grant: ProviderGrant,
    extra: Partial<ConnectionRow> = {},
  ) {
    const saved = await storeGrant(db, connection, grant, extra);
    const at = refreshAtOf(grant);
    if (at !== null) await scheduleRefresh(connection.id, at);
    return saved;
  }

  /** The provider no longer honours the grant: the operator must connect again. */
  async function lost(connection: ConnectionRow, reason: string) {
    const marked = await markNeedsReconnect(db, connection, reason);
    await report(marked, needsReconnect(reason));
    return marked;
  }

  /**
   * Refreshes a connection's grant if it is due; a refusal that loses the grant marks it
   * NEEDS_RECONNECT, a transient one is thrown for the job to retry. Answers the connection.
   * The connection's row is locked while it refreshes, so two refreshes at once (the job and a
   * buyer's call, two instances) never spend the same rotating refresh token twice: the second
   * finds the grant already fresh. The lock is held no longer than the provider's token call
   * (provider-http's response deadline), and the transaction asks the pool for nothing else:
   * the next refresh is planned and readiness told after it commits, so callers queued on the
   * lock (each holding a pooled connection) cannot starve the holder of one.
   */
  async function refresh(connectionId: number): Promise<ConnectionRow | undefined> {
    const outcome = await db.transaction(
      async (tx): Promise<{ connection?: ConnectionRow; nextAt?: number; lostReason?: string }> => {
        const connection = await store.lockConnection(tx, connectionId);
        const grant = connection && open(connection);
        if (!connection || connection.status !== 'CONNECTED' || !grant) return { connection };
        const at = refreshAtOf(grant);
        if (at === null) return { connection };
        if (at > now().getTime()) return { connection, nextAt: at };
        // An access token past its end is refreshed with its refresh token (Pinterest, Snap);
        // without one (Meta) the grant itself is gone.
        const expired = grant.expiresAt !== null && grant.expiresAt <= now().getTime();
        if (expired && !grant.refreshToken) {
          const reason = 'The provider grant expired before it could be refreshed';
          return {
            connection: await markNeedsReconnect(tx, connection, reason),
            lostReason: reason,
          };
        }
        try {
          const fresh = await adapterOf(connection.provider).oauth.refresh(grant);
          const nextAt = refreshAtOf(fresh) ?? undefined;
          return { connection: await storeGrant(tx, connection, fresh), nextAt };
        } catch (error) {
          if (error instanceof ProviderError && !error.retryable) {
            const marked = await markNeedsReconnect(tx, connection, error.message);
            return { connection: marked, lostReason: error.message };
          }
          throw error;
        }
      },
    );
    const { connection, nextAt, lostReason } = outcome;
    if (connection && lostReason !== undefined) {
      await report(connection, needsReconnect(lostReason));
    }
    if (connection && nextAt !== undefined) await scheduleRefresh(connection.id, nextAt);
    return connection;
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

/** The provider no longer honours the grant: a credential problem the operator fixes by reconnecting. */
const needsReconnect = (reason: string): SelfProblem => ({
  code: 'ADAPTER_NEEDS_RECONNECT',
  message: `The provider account needs connecting again (${reason}): POST …/adapter/connect`,
  credentials: true,
});
