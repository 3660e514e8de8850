import type { AdvertisersService, AdvertiserRow } from '../advertisers/index.js';
import type { Db } from '../../platform/db/database.js';
import { invalid } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { archivedCatalog, offeringExists, offeringNotFound } from './errors.js';
import { type CatalogItem, type ItemIssue, idFieldOf, itemOf, titleFieldOf } from './item-rules.js';
import {
  type CreateOfferingInput,
  createOfferingBody,
  type UpdateOfferingInput,
} from './schemas.js';
import * as store from './store.js';
import type { CatalogRow, OfferingRow } from './store.js';
import { offeringView } from './views.js';

interface OfferingsDeps {
  db: Db;
  advertisers: Pick<AdvertisersService, 'requireAdvertiser' | 'requireActive'>;
  now: () => Date;
  requireCatalog: (advertiser: AdvertiserRow, catalogId: string) => Promise<CatalogRow>;
}

/** One row of a bulk import: the line it came from and what it holds. */
export interface ImportRecord {
  line: number;
  value: unknown;
  /** Set when the line could not be read at all (not JSON, wrong column count). */
  error?: string;
}

/** Rows written per transaction during an import: memory stays flat whatever the file size. */
const importBatch = 1000;
/** The first rejected rows an import reports; `rejected` counts them all. */
const reportedIssues = 100;

/**
 * The AdCP item an offering written through REST stands for: its id and title under the
 * catalog type's own field names, the common fields, and the type's own `attributes`.
 */
export function rawItemOf(type: string, input: CreateOfferingInput): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...(input.attributes ?? {}) };
  raw[idFieldOf(type)] = input.offeringId;
  if (input.title !== undefined) raw[titleFieldOf(type)] = input.title;
  if (input.description !== undefined) raw.description = input.description;
  if (input.price !== undefined) raw.price = input.price;
  if (input.currency !== undefined) raw.currency = input.currency;
  if (input.landingUrl !== undefined) raw.landing_url = input.landingUrl;
  if (input.imageUrl !== undefined) raw.image_url = input.imageUrl;
  return raw;
}

/** An offering read back as REST input, so a partial update can merge into it. */
function inputOf(row: OfferingRow): CreateOfferingInput {
  return {
    offeringId: row.offeringId,
    ...(row.title !== null && { title: row.title }),
    ...(row.description !== null && { description: row.description }),
    ...(row.price !== null && { price: row.price }),
    ...(row.currency !== null && { currency: row.currency }),
    ...(row.landingUrl !== null && { landingUrl: row.landingUrl }),
    ...(row.imageUrl !== null && { imageUrl: row.imageUrl }),
    attributes: row.data,
  };
}

const issueError = (issue: ItemIssue) =>
  invalid(issue.issue, issue.field === undefined ? undefined : `attributes.${issue.field}`);

/**
 * A record of an import: a REST offering (camelCase, with offeringId) or an AdCP item of the
 * catalog's type (snake_case, its id field).
 */
function itemOfRecord(type: string, value: unknown) {
  if (value && typeof value === 'object' && 'offeringId' in value) {
    const parsed = createOfferingBody.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return {
        issue: {
          field: first?.path.join('.') || undefined,
          issue: first?.message ?? 'not an offering',
          severity: 'error' as const,
        },
      };
    }
    return itemOf(type, rawItemOf(type, parsed.data));
  }
  return itemOf(type, value);
}

export function createOfferings(deps: OfferingsDeps) {
  const { db, advertisers, now } = deps;

  async function writableCatalog(
    principal: CustomerPrincipal,
    advertiserId: string,
    catalogId: string,
  ) {
    const advertiser = await advertisers.requireActive(principal.customerId, advertiserId);
    const catalog = await deps.requireCatalog(advertiser, catalogId);
    if (catalog.status === 'ARCHIVED') throw archivedCatalog();
    return catalog;
  }

  /** Writes items into a catalog and records the version, in one transaction. */
  async function write(catalog: CatalogRow, customerId: number, items: CatalogItem[]) {
    const at = now();
    return db.transaction(async (tx) => {
      const locked = (await store.lockCatalog(tx, catalog.id)) ?? catalog;
      const written = await store.upsertOfferings(tx, catalog.id, customerId, items, at);
      await store.recordVersion(tx, locked, { ...written, removed: 0 }, at);
      return written;
    });
  }

  return {
    async list(
      principal: CustomerPrincipal,
      advertiserId: string,
      catalogId: string,
      query: { status: 'ACTIVE' | 'ARCHIVED' | 'ALL'; take: number; skip: number },
    ) {
      const advertiser = await advertisers.requireAdvertiser(principal.customerId, advertiserId);
      const catalog = await deps.requireCatalog(advertiser, catalogId);
      const { rows, total } = await store.pageOfferings(db, catalog.id, query.status, query);
      return { offerings: rows.map((r) => offeringView(r, catalog.catalogId)), total };
    },

    async get(
      principal: CustomerPrincipal,
      advertiserId: string,
      catalogId: string,
      offeringId: string,
    ) {
      const advertiser = await advertisers.requireAdvertiser(principal.customerId, advertiserId);
      const catalog = await deps.requireCatalog(advertiser, catalogId);
      const row = await store.findOffering(db, catalog.id, offeringId);
      if (!row) throw offeringNotFound();
      return offeringView(row, catalog.catalogId);
    },

    async create(
      principal: CustomerPrincipal,
      advertiserId: string,
      catalogId: string,
      input: CreateOfferingInput,
    ) {
      const catalog = await writableCatalog(principal, advertiserId, catalogId);
      const existing = await store.findOffering(db, catalog.id, input.offeringId);
      if (existing?.status === 'ACTIVE') throw offeringExists(input.offeringId);
      const checked = itemOf(catalog.type, rawItemOf(catalog.type, input));
      if (checked.issue) throw issueError(checked.issue);
      await write(catalog, principal.customerId, [checked.item]);
      const row = await store.findOffering(db, catalog.id, input.offeringId);
      return offeringView(row as OfferingRow, catalog.catalogId);
    },

    /** Fields left out stay; attributes, when sent, replace the type's own fields. */
    async update(
      principal: CustomerPrincipal,
      advertiserId: string,
      catalogId: string,
      offeringId: string,
      input: UpdateOfferingInput,
    ) {
      const catalog = await writableCatalog(principal, advertiserId, catalogId);
      const row = await store.findOffering(db, catalog.id, offeringId);
      if (!row || row.status !== 'ACTIVE') throw offeringNotFound();
      const merged = { ...inputOf(row), ...input, offeringId };
      const checked = itemOf(catalog.type, rawItemOf(catalog.type, merged));
      if (checked.issue) throw issueError(checked.issue);
      await write(catalog, principal.customerId, [checked.item]);
      const updated = await store.findOffering(db, catalog.id, offeringId);
      return offeringView(updated as OfferingRow, catalog.catalogId);
    },

    async archive(
      principal: CustomerPrincipal,
      advertiserId: string,
      catalogId: string,
      offeringId: string,
    ) {
      const catalog = await writableCatalog(principal, advertiserId, catalogId);
      const row = await store.findOffering(db, catalog.id, offeringId);
      if (!row) throw offeringNotFound();
      if (row.status === 'ACTIVE') {
        const at = now();
        await db.transaction(async (tx) => {
          const locked = (await store.lockCatalog(tx, catalog.id)) ?? catalog;
          await store.archiveOffering(tx, row.id, at);
          await store.recordVersion(
            tx,
            locked,
            { added: 0, updated: 0, unchanged: 0, removed: 1 },
            at,
          );
        });
      }
      return { offeringId, archived: true as const };
    },

    /**
     * Bulk import: records arrive one by one (from a stream), are checked against the catalog's
     * type and written in batches; an invalid row is reported with its line and skipped. Items
     * not in the file stay as they are (an upsert, not a replacement).
     */
    async import(
      principal: CustomerPrincipal,
      advertiserId: string,
      catalogId: string,
      records: AsyncIterable<ImportRecord>,
    ) {
      const catalog = await writableCatalog(principal, advertiserId, catalogId);
      const totals = { received: 0, added: 0, updated: 0, unchanged: 0, rejected: 0, repeated: 0 };
      const issues: (ItemIssue & { line: number })[] = [];
      // Keyed by id: a later row of the same id in one batch replaces the earlier one.
      let batch = new Map<string, CatalogItem>();
      const at = now();
      const flush = async () => {
        if (batch.size === 0) return;
        const items = [...batch.values()];
        batch = new Map();
        const written = await db.transaction(async (tx) => {
          await store.lockCatalog(tx, catalog.id);
          return store.upsertOfferings(tx, catalog.id, principal.customerId, items, at);
        });
        totals.added += written.added;
        totals.updated += written.updated;
        totals.unchanged += written.unchanged;
      };
      for await (const record of records) {
        totals.received += 1;
        const checked = record.error
          ? { issue: { issue: record.error, severity: 'error' as const } }
          : itemOfRecord(catalog.type, record.value);
        if (checked.issue) {
          totals.rejected += 1;
          if (issues.length < reportedIssues) issues.push({ line: record.line, ...checked.issue });
          continue;
        }
        if (batch.has(checked.item.offeringId)) totals.repeated += 1;
        batch.set(checked.item.offeringId, checked.item);
        if (batch.size >= importBatch) await flush();
      }
      await flush();
      const final = await db.transaction(async (tx) => {
        const locked = (await store.lockCatalog(tx, catalog.id)) ?? catalog;
        return store.recordVersion(
          tx,
          locked,
          { added: totals.added, updated: totals.updated, unchanged: totals.unchanged, removed: 0 },
          now(),
        );
      });
      return {
        catalogId: catalog.catalogId,
        ...totals,
        issues,
        itemCount: final.itemCount,
        versionNumber: final.versionNumber,
      };
    },
  };
}
