import { createHash } from 'node:crypto';
import { type CatalogItem, type ItemIssue, hashOf, itemOf } from './item-rules.js';
import type { SyncCatalogItem } from './schemas.js';
import * as store from './store.js';
import type { CatalogRow } from './store.js';

/*
 * One sync_catalogs entry, read before anything is written: its items checked for its type, its
 * metadata, whether either changed, and what each entry's outcome reports.
 */

export type SyncOutcome = {
  catalog_id: string;
  action: 'created' | 'updated' | 'unchanged' | 'failed' | 'deleted';
  platform_id?: string;
  catalog_version_number?: number;
  content_hash?: string;
  item_count?: number;
  items_approved?: number;
  items_pending?: number;
  items_rejected?: number;
  item_changes?: { added: number; updated: number; unchanged: number; removed: number };
  health_status?: 'healthy' | 'not_synced';
  item_issues?: ItemIssue[];
  last_synced_at?: string;
  error?: string;
};

/** The first item issues a sync reports; the counts say how many there were in all. */
export const reportedIssues = 100;

/** Items of one sync entry checked for its type: usable items, and issues for the rest. */
export function checkItems(entry: SyncCatalogItem) {
  const items: CatalogItem[] = [];
  const issues: ItemIssue[] = [];
  const seen = new Set<string>();
  for (const raw of entry.items ?? []) {
    const checked = itemOf(entry.type, raw);
    if (checked.issue) issues.push(checked.issue);
    else if (seen.has(checked.item.offeringId))
      issues.push({
        item_id: checked.item.offeringId,
        issue: 'this item id appears more than once',
        severity: 'error',
      });
    else {
      seen.add(checked.item.offeringId);
      items.push(checked.item);
    }
  }
  return { items, issues };
}

export const metadataOf = (entry: SyncCatalogItem) => ({
  type: entry.type,
  name: entry.name ?? null,
  url: entry.url ?? null,
  feedFormat: entry.feed_format ?? null,
  updateFrequency: entry.update_frequency ?? null,
  conversionEvents: entry.conversion_events ?? [],
});

export function metadataChanged(row: CatalogRow, m: ReturnType<typeof metadataOf>) {
  return (
    row.status !== 'ACTIVE' ||
    row.type !== m.type ||
    row.name !== m.name ||
    row.url !== m.url ||
    row.feedFormat !== m.feedFormat ||
    row.updateFrequency !== m.updateFrequency ||
    hashOf(row.conversionEvents) !== hashOf(m.conversionEvents)
  );
}

/** The catalog content hash recordVersion would compute, for a dry run's comparison. */
export function hashOfItems(items: CatalogItem[]): string {
  const joined = [...items]
    .sort((a, b) => (a.offeringId < b.offeringId ? -1 : a.offeringId > b.offeringId ? 1 : 0))
    .map((i) => `${i.offeringId}:${i.contentHash}`)
    .join(',');
  return items.length === 0 ? store.hashOfEmpty : createHash('md5').update(joined).digest('hex');
}
