import {
  healthOf,
  type InventorySource,
  type SourceAnswer,
  type SourceError,
  type SocialTools,
  type SourceKind,
  type StoredSourceRow,
} from '../../modules/inventory-sources/index.js';
import { formatsListed } from '../../sources/answers.js';
import { sourceRefused } from '../../sources/refused.js';
import {
  type AdapterKindParts,
  type BuyScope,
  connectionOfSource,
  formatsAgentUrl,
  ProviderError,
  syncCatalogs,
} from '../../modules/provider-adapters/index.js';
import { buyDelivery, createBuy, listBuys, updateBuy } from './buys.js';
import { adapterSocialTools } from './social.js';

/**
 * PROVIDER_ADAPTER as an inventory source of the storefront's Merchandising Agent (the source
 * port): the same for every provider, each one's API behind its ProviderAdapter. Products are
 * what the connected account can buy; buys, their status and delivery are buys.ts's.
 * Every answer concerns the buyer's own buys. A provider's refusal reaches the buyer as an AdCP
 * error (retryable or not), never as our 500; a lost grant marks the connection NEEDS_RECONNECT.
 */
export function adapterSources({ deps, connections }: AdapterKindParts): SourceKind {
  return {
    open(rows) {
      return rows.map((row) => adapterSource(deps, connections, row));
    },
  };
}

function adapterSource(
  deps: AdapterKindParts['deps'],
  connections: AdapterKindParts['connections'],
  row: StoredSourceRow,
): InventorySource {
  const now = deps.now ?? (() => new Date());

  /** Runs `work` in the connection's scope; a provider's refusal becomes the buyer's error. */
  async function withProvider<T>(work: (scope: BuyScope) => Promise<T>): Promise<SourceAnswer<T>> {
    try {
      const connection = await connectionOfSource(deps.db, row.id);
      if (!connection) throw new ProviderError('SERVICE_UNAVAILABLE', 'This source is not set up');
      const adapter = connections.adapterOf(connection.provider);
      const ctx = await connections.contextFor(connection);
      return { ok: true, data: await work({ db: deps.db, now, row, ctx, adapter }) };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.grantLost) await connections.markGrantLost(row.id, error.message);
      return { ok: false, error: sourceError(row, error) };
    }
  }

  const adapterSocial = socialOf(row, withProvider);

  const refuse = (error: ProviderError) =>
    Promise.resolve({ ok: false as const, error: sourceError(row, error) });

  return {
    source: row,
    capabilities: row.capabilities,
    creativeTransport: 'inline',
    // The price the storefront quoted a package at is the one it books (port.ts QuotedPrice).
    booksQuotedPrice: true,
    health: () => healthOf(row),

    getProducts: (request) =>
      // Every placement's product: the storefront ranks and pages them (issue 71, item 1).
      withProvider(async ({ ctx, adapter }) => ({
        products: await adapter.products(ctx, request.brief ?? undefined),
      })),

    listCreativeFormats: () =>
      withProvider(({ adapter }) =>
        Promise.resolve(
          formatsListed(
            adapter.formatIds.map((id) => ({
              format_id: { agent_url: formatsAgentUrl, id },
              name: id,
            })),
          ),
        ),
      ),

    createMediaBuy: (request, call) => withProvider((scope) => createBuy(scope, request, call)),
    updateMediaBuy: (request, call) => withProvider((scope) => updateBuy(scope, request, call)),
    getMediaBuys: (request, call) => withProvider((scope) => listBuys(scope, request, call)),
    getMediaBuyDelivery: (request, call) =>
      withProvider((scope) => buyDelivery(scope, request, call)),

    taskStatus: (taskId) => refuse(new ProviderError('REFERENCE_NOT_FOUND', `No task ${taskId}`)),
    syncCreatives: () =>
      refuse(
        new ProviderError(
          'UNSUPPORTED_FEATURE',
          'This source keeps no creative library: creatives travel on the packages',
        ),
      ),
    providePerformanceFeedback: () => Promise.resolve({ ok: true, data: { success: true } }),
    ...adapterSocial,
  };
}

/**
 * The sales-social tools, when the source's provider has them (its capabilities list them:
 * adapterCapabilities). Which provider it is is known only once the connection is read, so
 * each tool finds the provider's social side (or catalogs) in scope.
 */
function socialOf(
  row: StoredSourceRow,
  withProvider: <T>(work: (scope: BuyScope) => Promise<T>) => Promise<SourceAnswer<T>>,
): { social?: SocialTools } {
  const tools = row.capabilities?.tools ?? [];
  const social: SocialTools = {};
  if (tools.includes('sync_audiences')) {
    Object.assign(
      social,
      adapterSocialTools((work) =>
        withProvider((scope) => {
          if (!scope.adapter.social) {
            throw new ProviderError(
              'UNSUPPORTED_FEATURE',
              'This source has no audiences or events',
            );
          }
          return work(scope, scope.adapter.social);
        }),
      ),
    );
  }
  if (tools.includes('sync_catalogs')) {
    social.syncCatalogs = (request, call) =>
      withProvider((scope) => {
        if (!scope.adapter.catalogs) {
          throw new ProviderError('UNSUPPORTED_FEATURE', 'This source has no catalogs');
        }
        return syncCatalogs(scope.adapter.catalogs, scope, request, call);
      });
  }
  return Object.keys(social).length > 0 ? { social } : {};
}

/**
 * A buyer-safe error naming the source (never a host, a token or the provider's raw text). Its
 * reason is an agent's refusal's, `tool_error`: the storefront then reads a write's outcome
 * from the code as it does an agent's (seller-writes/verdict.ts), so a write that failed
 * SERVICE_UNAVAILABLE, RATE_LIMITED or INTERNAL_ERROR (a provider's answer lost, a buy another
 * call is placing or changing) is one whose outcome recovery establishes, never a refusal.
 */
function sourceError(row: StoredSourceRow, error: ProviderError): SourceError {
  return sourceRefused(row, {
    code: error.code,
    message: error.message,
    recovery: error.retryable ? 'transient' : 'terminal',
    retryAfter: error.options.retryAfterSeconds,
    field: error.options.field,
    reason: 'tool_error',
    details: error.options.details,
  });
}
