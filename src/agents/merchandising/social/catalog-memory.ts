import { createHash } from 'node:crypto';
import type { AdcpStateStore } from '@adcp/sdk/server';
import type { SyncCatalogsRequest, SyncCatalogsSuccess } from '@adcp/sdk/types';
import type { AccountReference } from '@adcp/sdk/types';
import type { CallerCatalogs, PreviewCatalog } from '../../adcp31/index.js';
import { agentRequest } from '../caller.js';

/** Whose catalog: this buyer's account on this storefront (the key carries all three). */
export interface CatalogOwner {
  storefrontId: number;
  buyerCustomerId: number;
  accountId: string;
}

/**
 * The catalogs a buyer synced through a storefront, as far as a preview needs them: the
 * storefront forwards sync_catalogs to its sources and keeps their first items, so that
 * preview_creative can bind a template's catalog-item macros to them (adcp31/preview).
 */
export interface CatalogMemory {
  /** Keeps (replacing) each catalog that came with inline items; feed-only catalogs are not read. */
  remember(owner: CatalogOwner, catalogs: readonly PreviewCatalog[]): Promise<void>;
  /** The owner's catalog, or undefined: another buyer's or account's is never found. */
  find(owner: CatalogOwner, catalogId: string): Promise<PreviewCatalog | undefined>;
}

/** A preview renders a sample; no more items than this are kept per catalog. */
export const rememberedItemsMax = 50;

const collection = 'storefront_catalog_items';

/**
 * The state store's keys are `[A-Za-z0-9_.:-]`, and account and catalog ids are the buyer's
 * words: they are hashed, behind the storefront and customer ids in the clear.
 */
function keyOf(owner: CatalogOwner, catalogId: string): string {
  const hash = createHash('sha256').update(`${owner.accountId}\0${catalogId}`).digest('hex');
  return `sf${owner.storefrontId}:c${owner.buyerCustomerId}:${hash}`;
}

/** Catalog memory in @adcp/sdk's state store (PostgreSQL in a deployment, shared by the fleet). */
export function catalogMemory(store: AdcpStateStore): CatalogMemory {
  return {
    async remember(owner, catalogs) {
      for (const catalog of catalogs) {
        if (catalog.items.length === 0) continue;
        await store.put(collection, keyOf(owner, catalog.catalogId), {
          catalogId: catalog.catalogId,
          ...(catalog.contentIdType !== undefined && { contentIdType: catalog.contentIdType }),
          items: catalog.items.slice(0, rememberedItemsMax),
        });
      }
    },
    async find(owner, catalogId) {
      const doc = await store.get(collection, keyOf(owner, catalogId));
      if (!doc || doc['catalogId'] !== catalogId || !Array.isArray(doc['items'])) return undefined;
      const contentIdType = doc['contentIdType'];
      return {
        catalogId,
        ...(typeof contentIdType === 'string' && { contentIdType }),
        items: doc['items'] as PreviewCatalog['items'],
      };
    },
  };
}

/** This buyer's account `accountId` on the storefront being served. */
export function catalogOwner(accountId: string): CatalogOwner {
  const { storefront, principal } = agentRequest();
  return { storefrontId: storefront.id, buyerCustomerId: principal.customerId, accountId };
}

/** The request's catalogs with inline items that a source took (its row not `failed`). */
export function acceptedOf(
  request: SyncCatalogsRequest,
  rows: SyncCatalogsSuccess['catalogs'],
): PreviewCatalog[] {
  const taken = new Set(rows.filter((row) => row.action !== 'failed').map((row) => row.catalog_id));
  return (request.catalogs ?? []).flatMap((catalog) =>
    catalog.catalog_id !== undefined &&
    taken.has(catalog.catalog_id) &&
    Array.isArray(catalog.items)
      ? [
          {
            catalogId: catalog.catalog_id,
            ...(catalog.content_id_type !== undefined && {
              contentIdType: catalog.content_id_type,
            }),
            items: catalog.items as PreviewCatalog['items'],
          },
        ]
      : [],
  );
}

/**
 * preview_creative's catalogs for the caller: the account a reference names resolved as every
 * tool resolves it (the buyer's own, scoped to it), then that account's catalogs in `memory`.
 */
export function callerCatalogs(
  memory: CatalogMemory,
  resolve: (ref: AccountReference) => Promise<{ ctx_metadata: { accountId: string } } | null>,
): CallerCatalogs {
  return {
    async find(ref, catalogId) {
      const account = await resolve(ref as AccountReference);
      if (!account) return undefined;
      return memory.find(catalogOwner(account.ctx_metadata.accountId), catalogId);
    },
  };
}
