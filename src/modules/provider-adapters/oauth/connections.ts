import { invalid, notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { StoredSourceRow } from '../../inventory-sources/index.js';
import { createConsent } from './consent.js';
import type { AdapterDeps } from '../context.js';
import type { ProviderAdapter } from '../contract.js';
import { createGrants } from './grants.js';
import {
  adapterExecutionType,
  isProviderName,
  providers,
  type ProviderName,
} from '../providers.js';
import * as store from '../store.js';
import type { ConnectionRow } from '../store.js';

/** An adapter source as its operator reaches it. */
export interface OwnedAdapter {
  row: StoredSourceRow;
  connection: ConnectionRow;
}

/**
 * Adapter sources' connections to their provider accounts: created with the source, reached
 * by their operator only (another customer's is NOT_FOUND), connected by consent
 * (consent.ts), kept alive and lost with their grant (grants.ts), changed and disconnected.
 */
export function createConnections(
  deps: AdapterDeps,
  adapters: Partial<Record<ProviderName, ProviderAdapter>>,
  scheduleRefresh: (connectionId: number, atMs: number) => Promise<void>,
) {
  const { db } = deps;
  const grants = createGrants(deps, adapters, scheduleRefresh);
  const consent = createConsent(deps, grants);

  return {
    adapterOf: grants.adapterOf,
    contextFor: grants.contextFor,
    markGrantLost: grants.markLost,
    refresh: grants.refresh,
    redirectUri: consent.redirectUri,
    complete: consent.complete,
    peek: consent.peek,
    start: (principal: CustomerPrincipal, owned: OwnedAdapter) =>
      consent.start(principal, owned.connection),

    /** Creates an adapter source of `provider` on the caller's storefront, not yet connected. */
    async createSource(
      principal: CustomerPrincipal,
      input: { provider: string; name: string; sourceId?: string | undefined },
    ) {
      if (!isProviderName(input.provider)) {
        throw invalid(`Unknown provider ${input.provider}`, 'provider');
      }
      if (providers[input.provider].role === 'creative') {
        throw invalid(
          `${providers[input.provider].name} makes creatives and is not a source: buyers connect their key per advertiser (POST /api/v2/buyer/advertisers/{advertiserId}/creative/model-credentials)`,
          'provider',
        );
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
          // It sells once its provider account is connected (grants.ts reports that).
          status: 'PENDING',
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
      await grants.report(connection, {
        code: 'ADAPTER_NOT_CONNECTED',
        message: `The ${providers[input.provider].name} account is not connected yet: connect it (POST /api/v2/storefront/inventory-sources/${row.sourceId}/adapter/connect)`,
        credentials: true,
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

    async update(
      owned: OwnedAdapter,
      input: {
        accountId?: string | undefined;
        pageId?: string | undefined;
        defaultCountries?: string[] | undefined;
        adCategory?: string | null | undefined;
      },
    ) {
      const { connection } = owned;
      if (input.adCategory !== undefined && connection.provider !== 'spotify') {
        throw invalid('Only a Spotify source takes an ad category', 'adCategory');
      }
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
      const updated = await store.updateConnection(db, connection.id, {
        ...(input.accountId !== undefined && { selectedAccountId: input.accountId }),
        settings: {
          ...connection.settings,
          ...(input.pageId !== undefined && { pageId: input.pageId }),
          ...(input.defaultCountries !== undefined && { defaultCountries: input.defaultCountries }),
          ...(input.adCategory !== undefined && { adCategory: input.adCategory }),
        },
      });
      // A connected source waiting for its ad account can sell once one is chosen.
      if (input.accountId !== undefined && updated.status === 'CONNECTED') {
        await grants.report(updated, null);
      }
      return updated;
    },

    /** Withdraws the grant at the provider (best effort) and forgets it. */
    async disconnect(owned: OwnedAdapter) {
      const grant = grants.open(owned.connection);
      if (grant) await grants.adapterOf(owned.connection.provider).oauth.revoke(grant);
      const done = await store.updateConnection(db, owned.connection.id, {
        status: 'DISCONNECTED',
        statusReason: 'Disconnected by the operator',
        grantSealed: null,
        expiresAt: null,
      });
      await grants.report(done, {
        code: 'ADAPTER_NOT_CONNECTED',
        message: `The provider account was disconnected by the operator: connect it again (POST /api/v2/storefront/inventory-sources/${owned.row.sourceId}/adapter/connect)`,
        credentials: true,
      });
      return done;
    },
  };
}

export type Connections = ReturnType<typeof createConnections>;
