import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { preparedPerDb } from '../../platform/db/prepared.js';
import { storefronts } from './tables.js';

type StorefrontRow = typeof storefronts.$inferSelect;

/**
 * The buyer storefront list's page without filters (its usual call), prepared once per database
 * for each of its three scopes (issue 30): the marketplace (listed, not hidden, not archived),
 * one organization's storefronts, and a sponsored buyer's one storefront. The window count
 * rides along with the page, as in listForBuyer, which builds the filtered shapes.
 */
export type BuyerPageScope =
  | { visibility: 'public' }
  | { visibility: 'organization'; organizationId: number }
  | { onlyId: number };

const page = (db: Db) =>
  db
    .select({ row: storefronts, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(storefronts);
const listed = and(
  eq(storefronts.marketplaceStatus, 'LISTED'),
  eq(storefronts.hidden, false),
  isNull(storefronts.archivedAt),
);
const ofOrganization = eq(storefronts.organizationId, sql.placeholder('scope'));
const onlyOne = eq(storefronts.id, sql.placeholder('scope'));

function prepared(where: ReturnType<typeof and>, name: string) {
  return preparedPerDb((db) =>
    page(db)
      .where(where)
      .orderBy(asc(storefronts.id))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(name),
  );
}
const pages = {
  public: prepared(listed, 'storefronts_buyer_page_public'),
  organization: prepared(ofOrganization, 'storefronts_buyer_page_organization'),
  only: prepared(onlyOne, 'storefronts_buyer_page_only'),
};

export async function buyerPage(
  db: Db,
  scope: BuyerPageScope,
  window: { limit: number; offset: number },
): Promise<{ rows: StorefrontRow[]; total: number }> {
  const [statement, value, where] =
    'onlyId' in scope
      ? [pages.only, scope.onlyId, eq(storefronts.id, scope.onlyId)]
      : scope.visibility === 'organization'
        ? [
            pages.organization,
            scope.organizationId,
            eq(storefronts.organizationId, scope.organizationId),
          ]
        : [pages.public, 0, listed];
  const found = await statement(db).execute({ scope: value, ...window });
  if (found.length > 0) return { rows: found.map((r) => r.row), total: found[0]?.total ?? 0 };
  // Past the last page: the count alone.
  const [totals] = await db.select({ n: count() }).from(storefronts).where(where);
  return { rows: [], total: totals?.n ?? 0 };
}
