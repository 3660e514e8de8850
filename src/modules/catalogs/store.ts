import { and, asc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import type { CatalogItem } from './item-rules.js';
import {
  type CatalogVersion,
  type ChangeSummary,
  catalogOfferings,
  catalogPartnerSyncs,
  catalogs,
} from './tables.js';

export type CatalogRow = typeof catalogs.$inferSelect;
export type NewCatalog = typeof catalogs.$inferInsert;
export type OfferingRow = typeof catalogOfferings.$inferSelect;
export type PartnerSyncRow = typeof catalogPartnerSyncs.$inferSelect;

/** How many versions a catalog remembers (newest first). */
const keptVersions = 10;

export async function findCatalog(db: Db, advertiserId: number, catalogId: string) {
  const [row] = await db
    .select()
    .from(catalogs)
    .where(columnsEqual(catalogs, { advertiserId, catalogId }));
  return row;
}

/** Locks one catalog row for the rest of the transaction (imports and syncs apply in turn). */
export async function lockCatalog(tx: Db, id: number): Promise<CatalogRow | undefined> {
  const [row] = await tx.select().from(catalogs).where(eq(catalogs.id, id)).for('update');
  return row;
}

export async function catalogsOf(db: Db, advertiserId: number): Promise<CatalogRow[]> {
  return db.select().from(catalogs).where(eq(catalogs.advertiserId, advertiserId));
}

export async function pageCatalogs(
  db: Db,
  advertiserId: number,
  filter: { type?: string; status: 'ACTIVE' | 'ARCHIVED' | 'ALL' },
  page: { take: number; skip: number },
) {
  const where: SQL[] = [eq(catalogs.advertiserId, advertiserId)];
  if (filter.type) where.push(eq(catalogs.type, filter.type));
  if (filter.status !== 'ALL') where.push(eq(catalogs.status, filter.status));
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(catalogs)
      .where(and(...where))
      .orderBy(asc(catalogs.id))
      .limit(page.take)
      .offset(page.skip),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(catalogs)
      .where(and(...where)),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

export async function insertCatalog(tx: Db, input: NewCatalog): Promise<CatalogRow> {
  const [row] = await tx.insert(catalogs).values(input).returning();
  return row as CatalogRow;
}

export async function updateCatalog(tx: Db, id: number, values: Partial<NewCatalog>) {
  const [row] = await tx.update(catalogs).set(values).where(eq(catalogs.id, id)).returning();
  return row as CatalogRow;
}

/** DELETE of a catalog: the catalog and every offering in it are archived together. */
export async function archiveCatalog(tx: Db, id: number, at: Date): Promise<void> {
  await tx
    .update(catalogOfferings)
    .set({ status: 'ARCHIVED', updatedAt: at })
    .where(columnsEqual(catalogOfferings, { catalogRowId: id, status: 'ACTIVE' }));
  await tx
    .update(catalogs)
    .set({ status: 'ARCHIVED', archivedAt: at, itemCount: 0, updatedAt: at })
    .where(eq(catalogs.id, id));
}

export async function pageOfferings(
  db: Db,
  catalogRowId: number,
  status: 'ACTIVE' | 'ARCHIVED' | 'ALL',
  page: { take: number; skip: number },
) {
  const where: SQL[] = [eq(catalogOfferings.catalogRowId, catalogRowId)];
  if (status !== 'ALL') where.push(eq(catalogOfferings.status, status));
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(catalogOfferings)
      .where(and(...where))
      .orderBy(asc(catalogOfferings.id))
      .limit(page.take)
      .offset(page.skip),
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(catalogOfferings)
      .where(and(...where)),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

/** The active items of a catalog, for pushing it to a partner. */
export async function activeOfferings(db: Db, catalogRowId: number): Promise<OfferingRow[]> {
  return db
    .select()
    .from(catalogOfferings)
    .where(columnsEqual(catalogOfferings, { catalogRowId, status: 'ACTIVE' }))
    .orderBy(asc(catalogOfferings.id));
}

export async function findOffering(db: Db, catalogRowId: number, offeringId: string) {
  const [row] = await db
    .select()
    .from(catalogOfferings)
    .where(columnsEqual(catalogOfferings, { catalogRowId, offeringId }));
  return row;
}

/**
 * Writes items into a catalog: new ids are inserted, changed or archived ones updated (back to
 * ACTIVE), identical ones left alone. Counts what happened.
 */
export async function upsertOfferings(
  tx: Db,
  catalogRowId: number,
  customerId: number,
  items: CatalogItem[],
  at: Date,
): Promise<{ added: number; updated: number; unchanged: number }> {
  let added = 0;
  let updated = 0;
  // 13 columns a row: 1,000 rows stay under PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < items.length; i += 1000) {
    const chunk = items.slice(i, i + 1000);
    const written = await tx
      .insert(catalogOfferings)
      .values(
        chunk.map((item) => ({
          catalogRowId,
          customerId,
          ...item,
          status: 'ACTIVE' as const,
          createdAt: at,
          updatedAt: at,
        })),
      )
      .onConflictDoUpdate({
        target: [catalogOfferings.catalogRowId, catalogOfferings.offeringId],
        set: {
          title: sql`excluded.title`,
          description: sql`excluded.description`,
          price: sql`excluded.price`,
          currency: sql`excluded.currency`,
          landingUrl: sql`excluded.landing_url`,
          imageUrl: sql`excluded.image_url`,
          data: sql`excluded.data`,
          contentHash: sql`excluded.content_hash`,
          status: 'ACTIVE',
          updatedAt: at,
        },
        setWhere: sql`${catalogOfferings.contentHash} <> excluded.content_hash or ${catalogOfferings.status} <> 'ACTIVE'`,
      })
      // xmax is 0 on a freshly inserted row and set on an updated one.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    for (const w of written) {
      if (w.inserted) added += 1;
      else updated += 1;
    }
  }
  return { added, updated, unchanged: items.length - added - updated };
}

/** Archives the catalog's active items whose ids are not kept (a sync replacing the items). */
export async function archiveOfferingsExcept(
  tx: Db,
  catalogRowId: number,
  keep: string[],
  at: Date,
): Promise<number> {
  const where: SQL[] = [
    eq(catalogOfferings.catalogRowId, catalogRowId),
    eq(catalogOfferings.status, 'ACTIVE'),
  ];
  if (keep.length > 0) where.push(notInArray(catalogOfferings.offeringId, keep));
  const archived = await tx
    .update(catalogOfferings)
    .set({ status: 'ARCHIVED', updatedAt: at })
    .where(and(...where))
    .returning({ id: catalogOfferings.id });
  return archived.length;
}

export async function archiveOffering(tx: Db, id: number, at: Date): Promise<void> {
  await tx
    .update(catalogOfferings)
    .set({ status: 'ARCHIVED', updatedAt: at })
    .where(eq(catalogOfferings.id, id));
}

/**
 * After items changed: the active count and a content hash over every active item, a new
 * version when anything was added, updated or removed, and the change summary.
 */
export async function recordVersion(
  tx: Db,
  catalog: CatalogRow,
  summary: ChangeSummary,
  at: Date,
): Promise<CatalogRow> {
  const [state] = await tx
    .select({
      count: sql<number>`count(*)`.mapWith(Number),
      hash: sql<
        string | null
      >`md5(string_agg(${catalogOfferings.offeringId} || ':' || ${catalogOfferings.contentHash}, ',' order by ${catalogOfferings.offeringId} collate "C"))`,
    })
    .from(catalogOfferings)
    .where(columnsEqual(catalogOfferings, { catalogRowId: catalog.id, status: 'ACTIVE' }));
  const changed = summary.added + summary.updated + summary.removed > 0;
  const itemCount = state?.count ?? 0;
  const contentHash = state?.hash ?? hashOfEmpty;
  const versionNumber = changed ? catalog.versionNumber + 1 : catalog.versionNumber;
  const versions: CatalogVersion[] = changed
    ? [
        {
          versionNumber,
          itemCount,
          contentHash,
          changeSummary: summary,
          createdAt: at.toISOString(),
        },
        ...catalog.versions,
      ].slice(0, keptVersions)
    : catalog.versions;
  return updateCatalog(tx, catalog.id, {
    itemCount,
    contentHash,
    versionNumber,
    versions,
    lastChangeSummary: summary,
    lastSyncedAt: at,
    updatedAt: at,
  });
}
/** md5 of the empty string: the content hash of a catalog without items. */
export const hashOfEmpty = 'd41d8cd98f00b204e9800998ecf8427e';

export async function savePartnerSync(tx: Db, row: typeof catalogPartnerSyncs.$inferInsert) {
  await tx
    .insert(catalogPartnerSyncs)
    .values(row)
    .onConflictDoUpdate({
      target: [catalogPartnerSyncs.catalogRowId, catalogPartnerSyncs.partnerId],
      set: {
        status: row.status,
        platformId: row.platformId ?? null,
        itemCount: row.itemCount ?? null,
        error: row.error ?? null,
        attemptedAt: row.attemptedAt,
        ...(row.syncedAt && { syncedAt: row.syncedAt }),
      },
    });
}

export async function partnerSyncsOf(db: Db, catalogRowIds: number[]): Promise<PartnerSyncRow[]> {
  if (catalogRowIds.length === 0) return [];
  return db
    .select()
    .from(catalogPartnerSyncs)
    .where(inArray(catalogPartnerSyncs.catalogRowId, catalogRowIds))
    .orderBy(asc(catalogPartnerSyncs.partnerId));
}
