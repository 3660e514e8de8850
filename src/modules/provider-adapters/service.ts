import type { z } from 'zod';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { createConnections } from './oauth/connections.js';
import { adaptersOf, type AdapterDeps } from './context.js';
import { providers, type ProviderName } from './providers.js';
import type { connectionSchema } from './schemas.js';
import type { AdapterKindParts } from './kind-parts.js';
import type { ConnectionRow } from './store.js';
import type { StoredSourceRow } from '../inventory-sources/index.js';

/** Plans a connection's next grant refresh (the durable refresh job; none before it is wired). */
export type RefreshScheduler = (connectionId: number, atMs: number) => Promise<void>;

/**
 * Wired provider adapters (seed 003): adapter sources of a storefront, their operators'
 * delegated OAuth connections, and the PROVIDER_ADAPTER kind the Merchandising Agent sells
 * through. Operator calls resolve the caller's own source first: another customer's is NOT_FOUND.
 */
export function createProviderAdaptersService(deps: AdapterDeps) {
  const scheduler: { plan?: RefreshScheduler } = {};
  const connections = createConnections(deps, adaptersOf(deps), async (id, at) => {
    await scheduler.plan?.(id, at);
  });

  function view(row: StoredSourceRow, c: ConnectionRow): z.input<typeof connectionSchema> {
    const selected = c.accounts.find((a) => a.id === c.selectedAccountId) ?? null;
    const action =
      c.status === 'NEEDS_RECONNECT'
        ? 'reconnect'
        : c.status !== 'CONNECTED'
          ? 'connect'
          : selected
            ? null
            : 'choose_account';
    return {
      sourceId: row.sourceId,
      name: row.name,
      provider: c.provider,
      providerDisplayName: providers[c.provider as ProviderName]?.name ?? c.provider,
      status: c.status as 'PENDING',
      statusReason: c.statusReason,
      action,
      expiresAt: c.expiresAt?.toISOString() ?? null,
      lastRefreshedAt: c.lastRefreshedAt?.toISOString() ?? null,
      accounts: c.accounts,
      selectedAccount: selected,
      pageId: typeof c.settings.pageId === 'string' ? c.settings.pageId : null,
      pages: Array.isArray(c.settings.pages)
        ? (c.settings.pages as Array<{ id: string; name: string }>)
        : [],
      defaultCountries: Array.isArray(c.settings.defaultCountries)
        ? (c.settings.defaultCountries as string[])
        : [],
      adCategory: typeof c.settings.adCategory === 'string' ? c.settings.adCategory : null,
      callbackUrl: connections.redirectUri(),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  }

  return {
    async create(
      principal: CustomerPrincipal,
      input: { provider: string; name: string; sourceId?: string | undefined },
    ) {
      const { row, connection } = await connections.createSource(principal, input);
      return view(row, connection);
    },
    async get(principal: CustomerPrincipal, sourceId: string) {
      const owned = await connections.owned(principal, sourceId);
      return view(owned.row, owned.connection);
    },
    async connect(principal: CustomerPrincipal, sourceId: string) {
      const owned = await connections.owned(principal, sourceId);
      return {
        ...(await connections.start(principal, owned)),
        callbackUrl: connections.redirectUri(),
      };
    },
    /**
     * What an open consent would connect, for the callback page to name before a browser that
     * did not start it finishes it: the source and its provider (null when the state is closed).
     */
    async pendingConsent(state: string) {
      const connection = await connections.peek(state);
      if (!connection) return null;
      const rows = await deps.inventorySources.allRowsOf(connection.storefrontId);
      const row = rows.find((r) => r.id === connection.inventorySourceId);
      return {
        sourceId: row?.sourceId ?? '',
        sourceName: row?.name ?? '',
        providerDisplayName:
          providers[connection.provider as ProviderName]?.name ?? connection.provider,
      };
    },
    /** The API form of the callback: only the customer that started the consent may finish it. */
    async complete(
      input: { state: string; code?: string | undefined; error?: string | undefined },
      caller?: CustomerPrincipal,
    ) {
      const connection = await connections.complete(input, caller);
      return { sourceId: await sourceIdOf(connection), status: connection.status };
    },
    async update(
      principal: CustomerPrincipal,
      sourceId: string,
      input: {
        accountId?: string | undefined;
        pageId?: string | undefined;
        defaultCountries?: string[] | undefined;
        adCategory?: string | null | undefined;
      },
    ) {
      const owned = await connections.owned(principal, sourceId);
      return view(owned.row, await connections.update(owned, input));
    },
    async disconnect(principal: CustomerPrincipal, sourceId: string) {
      const owned = await connections.owned(principal, sourceId);
      return view(owned.row, await connections.disconnect(owned));
    },
    /** The refresh job's work: refresh one connection's grant if due. */
    refresh: async (connectionId: number) => {
      await connections.refresh(connectionId);
    },
    /** Wires the durable refresh job (src/jobs/provider-token-refresh.ts). */
    useScheduler(plan: RefreshScheduler) {
      scheduler.plan = plan;
    },
    /** What the PROVIDER_ADAPTER kind (src/source-kinds/provider/) buys through. */
    kindParts: { deps, connections } satisfies AdapterKindParts,
  };

  async function sourceIdOf(connection: ConnectionRow) {
    const rows = await deps.inventorySources.allRowsOf(connection.storefrontId);
    return rows.find((r) => r.id === connection.inventorySourceId)?.sourceId ?? '';
  }
}

export type ProviderAdaptersService = ReturnType<typeof createProviderAdaptersService>;
