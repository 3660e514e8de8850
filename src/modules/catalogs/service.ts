import { randomBytes } from 'node:crypto';
import type { AdvertisersService, AdvertiserRow } from '../advertisers/index.js';
import type { Db } from '../../platform/db/database.js';
import { invalid } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { archivedCatalog, catalogExists, catalogNotFound } from './errors.js';
import { createOfferings } from './offerings.js';
import type { CatalogPartners, PartnerOutcome } from './partners.js';
import type {
  CreateCatalogInput,
  SyncCatalogItem,
  SyncCatalogsInput,
  UpdateCatalogInput,
} from './schemas.js';
import * as store from './store.js';
import type { CatalogRow } from './store.js';
import { catalogView, partnerSyncView } from './views.js';
import {
  checkItems,
  hashOfItems,
  metadataChanged,
  metadataOf,
  reportedIssues,
  type SyncOutcome,
} from './sync-entries.js';

export interface CatalogsDeps {
  db: Db;
  advertisers: Pick<AdvertisersService, 'requireAdvertiser' | 'requireActive'>;
  /** Pushes a catalog to a partner the advertiser linked an account on (AdCP sync_catalogs). */
  partners: CatalogPartners;
  now?: () => Date;
}

export type CatalogsService = ReturnType<typeof createCatalogsService>;

/**
 * Catalogs of an advertiser (seed 004 CRUD; AdCP sync_catalogs as the hosted API takes it) and
 * their offerings. Everything is reached through an advertiser of the caller's customer.
 */
export function createCatalogsService(deps: CatalogsDeps) {
  const { db, advertisers } = deps;
  const now = deps.now ?? (() => new Date());

  async function requireCatalog(advertiser: AdvertiserRow, catalogId: string): Promise<CatalogRow> {
    const row = await store.findCatalog(db, advertiser.id, catalogId);
    if (!row) throw catalogNotFound();
    return row;
  }

  async function viewsOf(rows: CatalogRow[]) {
    const partners = await store.partnerSyncsOf(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) =>
      catalogView(
        r,
        partners.filter((p) => p.catalogRowId === r.id),
      ),
    );
  }
  const viewOf = async (row: CatalogRow) =>
    (await viewsOf([row]))[0] as ReturnType<typeof catalogView>;

  const offerings = createOfferings({ db, advertisers, now, requireCatalog });

  /** Applies one sync entry in its own transaction (or only compares, in a dry run). */
  async function syncOne(
    principal: CustomerPrincipal,
    advertiser: AdvertiserRow,
    entry: SyncCatalogItem,
    options: { dryRun: boolean; lenient: boolean },
  ): Promise<SyncOutcome> {
    const { items, issues } = checkItems(entry);
    const base = { catalog_id: entry.catalog_id };
    if (issues.length > 0 && !options.lenient)
      return {
        ...base,
        action: 'failed',
        error: `${issues.length} item(s) are not valid ${entry.type} items (validation_mode strict)`,
        items_rejected: issues.length,
        item_issues: issues.slice(0, reportedIssues),
      };
    const existing = await store.findCatalog(db, advertiser.id, entry.catalog_id);
    if (existing && existing.type !== entry.type && existing.itemCount > 0)
      return {
        ...base,
        action: 'failed',
        error: `catalog "${entry.catalog_id}" holds ${existing.type} items; its type cannot change to ${entry.type}`,
      };
    const metadata = metadataOf(entry);
    if (options.dryRun) {
      const changedItems =
        entry.items !== undefined && hashOfItems(items) !== (existing?.contentHash ?? null);
      const action =
        !existing || existing.status === 'ARCHIVED'
          ? 'created'
          : metadataChanged(existing, metadata) || changedItems
            ? 'updated'
            : 'unchanged';
      return {
        ...base,
        action,
        item_count: entry.items ? items.length : (existing?.itemCount ?? 0),
        items_approved: items.length,
        items_pending: 0,
        items_rejected: issues.length,
        ...(issues.length > 0 && { item_issues: issues.slice(0, reportedIssues) }),
      };
    }
    const at = now();
    return db.transaction(async (tx) => {
      let row = existing ? await store.lockCatalog(tx, existing.id) : undefined;
      const created = !row || row.status === 'ARCHIVED';
      const metaChanged = row ? metadataChanged(row, metadata) : true;
      if (!row) {
        row = await store.insertCatalog(tx, {
          customerId: principal.customerId,
          advertiserId: advertiser.id,
          catalogId: entry.catalog_id,
          ...metadata,
          createdAt: at,
          updatedAt: at,
        });
      } else if (metaChanged) {
        row = await store.updateCatalog(tx, row.id, {
          ...metadata,
          status: 'ACTIVE',
          archivedAt: null,
          updatedAt: at,
        });
      }
      let changes = { added: 0, updated: 0, unchanged: 0, removed: 0 };
      if (entry.items !== undefined) {
        const written = await store.upsertOfferings(tx, row.id, principal.customerId, items, at);
        const removed = await store.archiveOfferingsExcept(
          tx,
          row.id,
          items.map((i) => i.offeringId),
          at,
        );
        changes = { ...written, removed };
        row = await store.recordVersion(tx, row, changes, at);
      }
      const itemsChanged = changes.added + changes.updated + changes.removed > 0;
      return {
        ...base,
        action: created ? 'created' : metaChanged || itemsChanged ? 'updated' : 'unchanged',
        platform_id: String(row.id),
        ...(row.versionNumber > 0 && { catalog_version_number: row.versionNumber }),
        ...(row.contentHash && { content_hash: row.contentHash }),
        item_count: row.itemCount,
        items_approved: items.length,
        items_pending: 0,
        items_rejected: issues.length,
        item_changes: changes,
        health_status: row.lastSyncedAt ? 'healthy' : 'not_synced',
        ...(issues.length > 0 && { item_issues: issues.slice(0, reportedIssues) }),
        ...(row.lastSyncedAt && { last_synced_at: row.lastSyncedAt.toISOString() }),
      } satisfies SyncOutcome;
    });
  }

  /** Pushes catalogs to partners and records each outcome (latest per catalog and partner). */
  async function push(
    principal: CustomerPrincipal,
    advertiser: AdvertiserRow,
    rows: CatalogRow[],
    partnerIds: string[],
  ) {
    const results = [];
    for (const partnerId of partnerIds) {
      for (const row of rows) {
        const items = await store.activeOfferings(db, row.id);
        const attemptedAt = now();
        let outcome: PartnerOutcome;
        try {
          outcome = await deps.partners.push(principal, advertiser, partnerId, row, items);
        } catch (error) {
          outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
        }
        const saved = {
          catalogRowId: row.id,
          partnerId,
          status: outcome.ok ? ('SYNCED' as const) : ('FAILED' as const),
          platformId: outcome.ok ? (outcome.platformId ?? null) : null,
          itemCount: outcome.ok ? (outcome.itemCount ?? items.length) : null,
          error: outcome.ok ? null : outcome.error,
          attemptedAt,
          syncedAt: outcome.ok ? attemptedAt : null,
        };
        await store.savePartnerSync(db, saved);
        results.push(partnerSyncView(saved, row.catalogId));
      }
    }
    return results;
  }

  return {
    offerings,

    async list(
      principal: CustomerPrincipal,
      advertiserId: string,
      query: {
        type?: string | undefined;
        status: 'ACTIVE' | 'ARCHIVED' | 'ALL';
        take: number;
        skip: number;
      },
    ) {
      const advertiser = await advertisers.requireAdvertiser(principal.customerId, advertiserId);
      const { rows, total } = await store.pageCatalogs(
        db,
        advertiser.id,
        { ...(query.type && { type: query.type }), status: query.status },
        query,
      );
      return { catalogs: await viewsOf(rows), total };
    },

    async create(principal: CustomerPrincipal, advertiserId: string, input: CreateCatalogInput) {
      const advertiser = await advertisers.requireActive(principal.customerId, advertiserId);
      const catalogId = input.catalogId ?? `cat_${randomBytes(6).toString('hex')}`;
      if (await store.findCatalog(db, advertiser.id, catalogId)) throw catalogExists(catalogId);
      const at = now();
      try {
        const row = await store.insertCatalog(db, {
          customerId: principal.customerId,
          advertiserId: advertiser.id,
          catalogId,
          type: input.type,
          name: input.name,
          description: input.description ?? null,
          url: input.url ?? null,
          feedFormat: input.feedFormat ?? null,
          updateFrequency: input.updateFrequency ?? null,
          conversionEvents: input.conversionEvents ?? [],
          createdAt: at,
          updatedAt: at,
        });
        return viewOf(row);
      } catch (error) {
        // Two creates of one id at once: the unique key decides, the loser hears 409.
        if (await store.findCatalog(db, advertiser.id, catalogId)) throw catalogExists(catalogId);
        throw error;
      }
    },

    async get(principal: CustomerPrincipal, advertiserId: string, catalogId: string) {
      const advertiser = await advertisers.requireAdvertiser(principal.customerId, advertiserId);
      return viewOf(await requireCatalog(advertiser, catalogId));
    },

    async update(
      principal: CustomerPrincipal,
      advertiserId: string,
      catalogId: string,
      input: UpdateCatalogInput,
    ) {
      const advertiser = await advertisers.requireActive(principal.customerId, advertiserId);
      const row = await requireCatalog(advertiser, catalogId);
      if (row.status === 'ARCHIVED') throw archivedCatalog();
      if (input.type && input.type !== row.type && row.itemCount > 0)
        throw invalid(
          `This catalog holds ${row.itemCount} ${row.type} item(s); its type cannot change`,
          'type',
        );
      const values = Object.fromEntries(
        Object.entries(input).filter(([, v]) => v !== undefined),
      ) as Partial<CatalogRow>;
      const updated = await store.updateCatalog(db, row.id, { ...values, updatedAt: now() });
      return viewOf(updated);
    },

    /** Archives the catalog and every offering in it. */
    async archive(principal: CustomerPrincipal, advertiserId: string, catalogId: string) {
      const advertiser = await advertisers.requireActive(principal.customerId, advertiserId);
      const row = await requireCatalog(advertiser, catalogId);
      if (row.status !== 'ARCHIVED') await store.archiveCatalog(db, row.id, now());
      return { catalogId, archived: true as const };
    },

    /**
     * AdCP sync_catalogs (hosted body): upsert each catalog; inline items replace the catalog's
     * items (new ones added, changed ones updated, absent ones removed), a new version when
     * anything changed. validation_mode strict fails a catalog with any invalid item, lenient
     * keeps the valid ones. delete_missing archives catalogs the request does not name.
     * partnerIds (seed 004) then pushes the catalogs to those partners.
     */
    async sync(principal: CustomerPrincipal, advertiserId: string, input: SyncCatalogsInput) {
      const advertiser = await advertisers.requireActive(principal.customerId, advertiserId);
      if (input.account && input.account.account_id !== String(advertiser.id))
        throw invalid(
          `account.account_id names another account than this advertiser (${advertiser.id})`,
          'account.account_id',
        );
      const only = input.catalog_ids ? new Set(input.catalog_ids) : undefined;
      const entries = (input.catalogs ?? []).filter((c) => !only || only.has(c.catalog_id));
      const duplicate = entries.find(
        (c, i) => entries.findIndex((d) => d.catalog_id === c.catalog_id) !== i,
      );
      if (duplicate) throw invalid(`catalog "${duplicate.catalog_id}" is listed twice`, 'catalogs');
      const options = { dryRun: input.dry_run, lenient: input.validation_mode === 'lenient' };
      const outcomes: SyncOutcome[] = [];
      for (const entry of entries)
        outcomes.push(await syncOne(principal, advertiser, entry, options));
      if (input.delete_missing && input.catalogs) {
        const named = new Set(entries.map((e) => e.catalog_id));
        for (const row of await store.catalogsOf(db, advertiser.id)) {
          if (row.status !== 'ACTIVE' || named.has(row.catalogId)) continue;
          if (only && !only.has(row.catalogId)) continue;
          if (!input.dry_run) await store.archiveCatalog(db, row.id, now());
          outcomes.push({ catalog_id: row.catalogId, action: 'deleted' });
        }
      }
      let partners: Awaited<ReturnType<typeof push>> = [];
      if (input.partnerIds && !input.dry_run) {
        const wanted = input.catalogs
          ? new Set(
              outcomes
                .filter((o) => o.action !== 'failed' && o.action !== 'deleted')
                .map((o) => o.catalog_id),
            )
          : only;
        const rows = (await store.catalogsOf(db, advertiser.id)).filter(
          (r) => r.status === 'ACTIVE' && (!wanted || wanted.has(r.catalogId)),
        );
        partners = await push(principal, advertiser, rows, input.partnerIds);
      }
      return { catalogs: outcomes, dry_run: input.dry_run, partners };
    },
  };
}
