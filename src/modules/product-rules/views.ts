import { isoDate } from '../../platform/formats.js';
import type { ProductRule } from './schemas.js';
import type { ProductRuleRow } from './store.js';

/** The one mapping from a row to the wire shape (ids as strings, as the docs print). */
export function productRuleView(row: ProductRuleRow): ProductRule {
  // kind and action were validated together on the way in; the row keeps them as JSON.
  return {
    id: String(row.id),
    storefrontId: String(row.storefrontId),
    name: row.name,
    kind: row.kind,
    active: row.active,
    priority: row.priority,
    match: row.match,
    action: row.action,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  } as ProductRule;
}
