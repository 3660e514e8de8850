import type { SyncCatalogsRequest, SyncCatalogsResponse } from '@adcp/sdk/types';
import type { SourceCall, SourceSocialRequest } from '../../inventory-sources/index.js';
import type { ProviderCatalogs } from './contract.js';
import {
  catalogRefusal,
  failed,
  planOf,
  providerCatalogOf,
  refusalOf,
  writeChange,
  type Catalog,
  type CatalogDetails,
  type CatalogResult,
} from './one-catalog.js';
import { buyerOf, type BuyScope } from '../buys/scope.js';
import * as store from '../social/store.js';

/*
 * AdCP sync_catalogs at an adapter source (docs/adapters.md, "Catalogs"): each of the buyer's
 * product catalogs becomes a catalog of the provider (Meta: a product catalog of the ad
 * account's Business; Pinterest: a retail catalog; TikTok: an e-commerce catalog of the ad
 * account's Business Center; Reddit: a product catalog of the ad account's business; Snap: a
 * commerce catalog of the ad account's organization) holding exactly the buyer's items, or
 * fetching the buyer's feed URL where the provider fetches feeds (Snap takes feeds only, Pinterest
 * inline items only). Inline items are the catalog's whole content: a second sync
 * adds, changes and removes items to match. `dry_run` answers what would change and writes
 * nothing; `delete_missing` removes the buyer's catalogs the sync does not name; `catalog_ids`
 * limits the sync (and the listing) to those catalogs. Only the buyer's own catalogs are ever
 * read, changed or removed.
 */

const maxCatalogsPerSync = 50;

const detailsOf = (row: store.SocialObjectRow) => row.details as CatalogDetails;

function stateOf(row: store.SocialObjectRow): CatalogResult {
  const details = detailsOf(row);
  return {
    catalog_id: row.buyerRef,
    action: 'unchanged',
    ...(row.providerId && { platform_id: row.providerId }),
    item_count: Object.keys(details.items ?? {}).length,
    ...(details.syncedAt && { last_synced_at: details.syncedAt }),
  } as CatalogResult;
}

/** What changes in the record besides items (name, feed URL, schedule). */
function changedFields(details: CatalogDetails, catalog: Catalog): string[] {
  const changes: string[] = [];
  if (catalog.name !== undefined && catalog.name !== details.name) changes.push('name');
  if (catalog.url !== undefined && catalog.url !== details.url) changes.push('url');
  const frequency = catalog.url ? (catalog.update_frequency ?? 'daily') : undefined;
  if (frequency && frequency !== details.frequency) changes.push('update_frequency');
  return changes;
}

async function syncOne(
  scope: BuyScope,
  catalogs: ProviderCatalogs,
  owner: store.SocialOwner,
  catalog: Catalog,
  dryRun: boolean,
): Promise<CatalogResult> {
  const refusal = refusalOf(scope, catalogs, catalog);
  if (refusal) return refusal;
  const id = catalog.catalog_id!;
  const existing = await store.socialObject(scope.db, owner, 'catalog', id);
  const details = existing ? detailsOf(existing) : {};
  if (catalog.url && Object.keys(details.items ?? {}).length > 0) {
    return failed(
      id,
      'INVALID_REQUEST',
      'This catalog holds inline items: it cannot become a feed',
    );
  }
  if (catalog.items && details.feedId) {
    return failed(id, 'INVALID_REQUEST', 'This catalog is a feed URL: it takes no inline items');
  }
  const plan = planOf(details, catalog, scope.ctx.account.currency);
  const changes = changedFields(details, catalog);
  if (plan.upsert.length + plan.remove.length > 0) changes.push('items');
  const issues = plan.issues.length ? { item_issues: plan.issues } : {};
  if (dryRun) {
    return {
      catalog_id: id,
      action: !existing?.providerId ? 'created' : changes.length ? 'updated' : 'unchanged',
      ...(existing?.providerId && { platform_id: existing.providerId }),
      item_count: plan.after.size,
      ...(plan.issues.length && { items_rejected: plan.issues.length }),
      ...issues,
      ...(existing?.providerId && changes.length && { changes }),
    } as CatalogResult;
  }
  try {
    const { row, created, providerId } = await providerCatalogOf(scope, catalogs, owner, catalog);
    const held = { ...(detailsOf(row).items ?? {}) };
    const verdicts = await writeChange(scope, catalogs, providerId, plan);
    const refused = new Map(verdicts.rejected.map((r) => [r.id, r.reasons]));
    for (const product of plan.upsert) {
      // A product the provider refused keeps what it held before (nothing, if it was new).
      if (!refused.has(product.id)) held[product.id] = plan.hashes.get(product.id)!;
    }
    for (const removed of plan.remove) delete held[removed];
    let feedId = details.feedId;
    if (
      catalog.url &&
      (!feedId || changes.includes('url') || changes.includes('update_frequency'))
    ) {
      feedId = await catalogs.registerFeed!(
        scope.ctx,
        providerId,
        {
          name: row.providerName,
          url: catalog.url,
          frequency: catalog.update_frequency ?? 'daily',
          format: catalog.feed_format ?? null,
        },
        feedId ?? null,
      );
    }
    const syncedAt = scope.now().toISOString();
    const next: CatalogDetails = {
      ...detailsOf(row),
      ...(catalog.name !== undefined && { name: catalog.name }),
      type: catalog.type,
      items: held,
      // A feed catalog synced without its url (a new name) keeps its feed as it was.
      ...(feedId && {
        feedId,
        url: catalog.url ?? details.url,
        frequency: catalog.url ? (catalog.update_frequency ?? 'daily') : details.frequency,
      }),
      syncedAt,
    };
    await store.updateSocialObject(scope.db, row.id, { details: { ...next } });
    const itemIssues = [
      ...plan.issues,
      ...verdicts.rejected.map((r) => ({
        item_id: r.id,
        status: 'rejected' as const,
        reasons: r.reasons,
      })),
    ];
    return {
      catalog_id: id,
      action: created ? 'created' : changes.length ? 'updated' : 'unchanged',
      platform_id: providerId,
      item_count: Object.keys(held).length,
      ...(itemIssues.length && { items_rejected: itemIssues.length, item_issues: itemIssues }),
      ...(verdicts.pending > 0 && { items_pending: verdicts.pending }),
      last_synced_at: syncedAt,
      ...(!created && changes.length && { changes }),
      ...(catalog.url && {
        warnings: ['The provider fetches the feed itself; its items count once it has'],
      }),
    } as CatalogResult;
  } catch (error) {
    return catalogRefusal(id, error);
  }
}

async function deleteOne(
  scope: BuyScope,
  catalogs: ProviderCatalogs,
  row: store.SocialObjectRow,
  dryRun: boolean,
): Promise<CatalogResult> {
  if (!dryRun) {
    try {
      if (row.providerId) {
        await catalogs.deleteCatalog(
          scope.ctx,
          row.providerId,
          Object.keys(detailsOf(row).items ?? {}),
        );
      }
    } catch (error) {
      return catalogRefusal(row.buyerRef, error);
    }
    await store.deleteSocialObject(scope.db, row.id);
  }
  return { catalog_id: row.buyerRef, action: 'deleted' } as CatalogResult;
}

export async function syncCatalogs(
  catalogs: ProviderCatalogs,
  scope: BuyScope,
  request: SourceSocialRequest<SyncCatalogsRequest>,
  call: SourceCall,
): Promise<SyncCatalogsResponse> {
  const owner = { inventorySourceId: scope.row.id, buyerCustomerId: buyerOf(call) };
  const scoped = request.catalog_ids ? new Set(request.catalog_ids) : null;
  const inScope = (id: string | undefined) => !scoped || (id !== undefined && scoped.has(id));
  const existing = (await store.socialObjectsOf(scope.db, owner, 'catalog')).filter((r) =>
    inScope(r.buyerRef),
  );
  const dryRun = request.dry_run === true;
  // No catalogs (the SDK hands a discovery-only call over as an empty list): list the buyer's.
  if (!request.catalogs?.length && !request.delete_missing) {
    return { catalogs: existing.map(stateOf), ...(dryRun && { dry_run: true }) };
  }
  const asked = (request.catalogs ?? []).filter((c) => inScope(c.catalog_id));
  if (asked.length > maxCatalogsPerSync) {
    return {
      errors: [
        {
          code: 'INVALID_REQUEST',
          message: `At most ${maxCatalogsPerSync} catalogs per sync`,
          field: 'catalogs',
        },
      ],
    };
  }
  const results: CatalogResult[] = [];
  for (const catalog of asked) {
    results.push(await syncOne(scope, catalogs, owner, catalog, dryRun));
  }
  if (request.delete_missing) {
    const named = new Set(asked.map((c) => c.catalog_id));
    for (const row of existing.filter((r) => !named.has(r.buyerRef))) {
      results.push(await deleteOne(scope, catalogs, row, dryRun));
    }
  }
  return { catalogs: results, ...(dryRun && { dry_run: true }) };
}
