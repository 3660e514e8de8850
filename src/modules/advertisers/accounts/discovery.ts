import type { UpstreamClient } from '../../../upstream/index.js';
import type { Db } from '../../../platform/db/database.js';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { findCachedAccounts, saveCachedAccounts } from './store.js';
import type { SourceAccess } from './source-access.js';
import type { AccountSource, DiscoveredAccount } from '../tables.js';

/**
 * Source-account discovery (seed 004, accounts/available): AdCP list_accounts on the inventory
 * source with the buyer's own credential, cached per (customer, credential, agent) and re-fetched
 * on refresh=true or after the TTL.
 */
export interface DiscoveryDeps {
  db: Db;
  upstream: UpstreamClient;
  access: SourceAccess;
  now: () => Date;
  timeoutMs: number;
}

export interface DiscoveryQuery {
  storefrontId: number;
  sourceId: string;
  credentialId?: string;
  refresh?: boolean;
}

export interface Discovered {
  storefront: { id: number; name: string };
  source: { sourceId: string; name: string; agentId: string };
  credentialId: string;
  accounts: DiscoveredAccount[];
  sources: AccountSource[];
  /** True when this answer was fetched from the source now (false: from the cache). */
  synced: boolean;
}

const ttlMs = 15 * 60_000;
const maxPages = 20;

export function createDiscovery(deps: DiscoveryDeps) {
  async function pickCredential(
    principal: CustomerPrincipal,
    agentId: string,
    query: DiscoveryQuery,
  ): Promise<string> {
    const held = await deps.access.credentialsAt(principal.customerId, agentId);
    const path = `/api/v2/buyer/storefronts/${query.storefrontId}/sources/${query.sourceId}/credentials`;
    if (query.credentialId !== undefined) {
      if (!held.some((c) => c.id === query.credentialId)) throw notFound('Credential');
      return query.credentialId;
    }
    const usable = held.filter((c) => c.status === 'ACTIVE');
    if (usable.length === 0) {
      throw invalid(
        `You have no active credential for this source: register one with POST ${path}`,
        'credentialId',
      );
    }
    if (usable.length > 1) {
      throw invalid(
        `You hold ${usable.length} credentials for this source; name one with credentialId (${usable.map((c) => c.id).join(', ')})`,
        'credentialId',
        { credentialIds: usable.map((c) => c.id) },
      );
    }
    return (usable[0] as { id: string }).id;
  }

  async function listAccounts(
    customerId: number,
    credentialId: string,
    source: { endpointUrl: string; protocol: 'MCP' | 'A2A'; name: string },
  ): Promise<DiscoveredAccount[]> {
    const owned = await deps.access.upstreamAuthOfCredential(customerId, Number(credentialId));
    const accounts: DiscoveredAccount[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const result = await deps.upstream.callTool<ListAccountsAnswer>(
        {
          endpointUrl: source.endpointUrl,
          protocol: source.protocol,
          auth: owned.auth,
          owner: owned.owner,
        },
        'list_accounts',
        cursor ? { pagination: { cursor } } : {},
        { timeoutMs: deps.timeoutMs },
      );
      if (!result.ok) {
        throw new AppError(
          'unavailable',
          `Inventory source "${source.name}" did not list accounts (${result.error.code}): ${result.error.message}`,
        );
      }
      for (const a of result.data?.accounts ?? []) {
        const account = accountOf(a);
        if (account) accounts.push(account);
      }
      cursor = result.data?.pagination?.has_more ? result.data.pagination.cursor : undefined;
      if (!cursor) break;
    }
    return accounts;
  }

  return {
    /** Throws NOT_FOUND (invisible source, unknown credential), invalid, or unavailable. */
    async discover(principal: CustomerPrincipal, query: DiscoveryQuery): Promise<Discovered> {
      const { storefront, source } = await deps.access.visibleSource(
        principal,
        query.storefrontId,
        query.sourceId,
      );
      const credentialId = await pickCredential(principal, source.agentId, query);
      const key = { customerId: principal.customerId, credentialId, agentId: source.agentId };
      const cached = await findCachedAccounts(deps.db, key);
      const now = deps.now();
      let accounts: DiscoveredAccount[];
      let synced = false;
      if (cached && !query.refresh && now.getTime() - cached.fetchedAt.getTime() < ttlMs) {
        accounts = cached.accounts;
      } else {
        try {
          accounts = await listAccounts(principal.customerId, credentialId, source);
          await saveCachedAccounts(deps.db, key, accounts, now);
          synced = true;
        } catch (error) {
          // A source that stopped answering degrades to what it listed last time (synced=false).
          if (!cached || !(error instanceof AppError) || error.kind !== 'unavailable') throw error;
          accounts = cached.accounts;
        }
      }
      const sources = await deps.access.sourcesOfAgent(principal, source.agentId);
      return {
        storefront: { id: storefront.id, name: storefront.name },
        source: { sourceId: source.sourceId, name: source.name, agentId: source.agentId },
        credentialId,
        accounts,
        sources,
        synced,
      };
    },
  };
}

interface ListAccountsAnswer {
  accounts?: unknown[];
  pagination?: { has_more?: boolean; cursor?: string };
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** An AdCP Account as stored and shown (house is the brand's domain). */
function accountOf(raw: unknown): DiscoveredAccount | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const a = raw as Record<string, unknown>;
  const accountId = text(a.account_id);
  if (!accountId) return undefined;
  const brand = a.brand && typeof a.brand === 'object' ? (a.brand as Record<string, unknown>) : {};
  return {
    accountId,
    name: text(a.name),
    advertiser: text(a.advertiser),
    billingProxy: text(a.billing_proxy),
    house: text(brand.domain),
    billing: text(a.billing),
    status: text(a.status) ?? 'active',
  };
}
