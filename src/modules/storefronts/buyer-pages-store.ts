import { and, asc, count, eq, isNull, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { preparedPerDb } from '../../platform/db/prepared.js';
import { storefronts } from './tables.js';

type StorefrontRow = typeof storefronts.$inferSelect;

/**
 * A page of the buyer storefront list, id order, with the total for paging, in one of its three
 * scopes: the marketplace (listed, not hidden, not archived), one organization's storefronts,
 * and a sponsored buyer's one storefront. Without filters (its usual call) the page is read
 * through a statement prepared once per database for its scope (issue 30); with filters
 * (listForBuyer builds them) through the same query shape, built per call.
 */
export type BuyerPageScope =
  | { visibility: 'public' }
  | { visibility: 'organization'; organizationId: number }
  | { onlyId: number };

type Window = { limit: number; offset: number };

const listed = and(
  eq(storefronts.marketplaceStatus, 'LISTED'),
  eq(storefronts.hidden, false),
  isNull(storefronts.archivedAt),
) as SQL;

/** The scope's rows; `value` is the organization or storefront id (a placeholder when prepared). */
function scopeWhere(scope: BuyerPageScope, value: number | Placeholder): SQL {
  if ('onlyId' in scope) return eq(storefronts.id, value);
  if (scope.visibility === 'organization') return eq(storefronts.organizationId, value);
  return listed;
}
const scopeValue = (scope: BuyerPageScope) =>
  'onlyId' in scope ? scope.onlyId : scope.visibility === 'organization' ? scope.organizationId : 0;

// One round trip: the window count rides along with the page.
const page = (db: Db, where: SQL) =>
  db
    .select({ row: storefronts, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(storefronts)
    .where(where)
    .orderBy(asc(storefronts.id));

function prepared(scope: BuyerPageScope, name: string) {
  return preparedPerDb((db) =>
    page(db, scopeWhere(scope, sql.placeholder('scope')))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(name),
  );
}
const pages = {
  public: prepared({ visibility: 'public' }, 'storefronts_buyer_page_public'),
  organization: prepared(
    { visibility: 'organization', organizationId: 0 },
    'storefronts_buyer_page_organization',
  ),
  only: prepared({ onlyId: 0 }, 'storefronts_buyer_page_only'),
};
const statementOf = (scope: BuyerPageScope) =>
  'onlyId' in scope ? pages.only : pages[scope.visibility];

/** A page of the scope's storefronts, narrowed by `filters` when there are any. */
export async function buyerPage(
  db: Db,
  scope: BuyerPageScope,
  window: Window,
  filters: SQL[] = [],
): Promise<{ rows: StorefrontRow[]; total: number }> {
  const value = scopeValue(scope);
  const where = and(scopeWhere(scope, value), ...filters) as SQL;
  const found =
    filters.length === 0
      ? await statementOf(scope)(db).execute({ scope: value, ...window })
      : await page(db, where).limit(window.limit).offset(window.offset);
  if (found.length > 0) return { rows: found.map((r) => r.row), total: found[0]?.total ?? 0 };
  // Past the last page: the count alone.
  const [totals] = await db.select({ n: count() }).from(storefronts).where(where);
  return { rows: [], total: totals?.n ?? 0 };
}
