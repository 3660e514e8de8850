import {
  and,
  asc,
  count,
  eq,
  ilike,
  isNotNull,
  isNull,
  like,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { escapeLike, likeContaining } from '../../platform/db/like.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { conflict } from '../../platform/errors.js';
import { storefronts } from './tables.js';
import { buyerPage, type BuyerPageScope } from './buyer-pages-store.js';

export type StorefrontRow = typeof storefronts.$inferSelect;
export type NewStorefront = typeof storefronts.$inferInsert;

export async function platformIdTaken(db: Db, platformId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: storefronts.id })
    .from(storefronts)
    .where(eq(storefronts.platformId, platformId));
  return row !== undefined;
}

export async function insertStorefront(db: Db, input: NewStorefront): Promise<StorefrontRow> {
  try {
    const [row] = await db.insert(storefronts).values(input).returning();
    return row as StorefrontRow;
  } catch (error) {
    throw mapUnique(error);
  }
}

export async function findByCustomer(
  db: Db,
  customerId: number,
): Promise<StorefrontRow | undefined> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.customerId, customerId));
  return row;
}

export async function findById(db: Db, id: number): Promise<StorefrontRow | undefined> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.id, id));
  return row;
}

export async function findByPlatformId(
  db: Db,
  platformId: string,
): Promise<StorefrontRow | undefined> {
  const [row] = await db.select().from(storefronts).where(eq(storefronts.platformId, platformId));
  return row;
}

export async function updateStorefront(
  db: Db,
  id: number,
  patch: Partial<NewStorefront>,
): Promise<StorefrontRow> {
  try {
    const [row] = await db
      .update(storefronts)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(storefronts.id, id))
      .returning();
    return row as StorefrontRow;
  } catch (error) {
    throw mapUnique(error);
  }
}

export async function listForAdmin(
  db: Db,
  filter: { review?: 'pending_review' | 'listed' | 'hidden'; limit: number; offset: number },
) {
  const where: SQL[] = [];
  if (filter.review === 'pending_review')
    where.push(eq(storefronts.marketplaceStatus, 'PENDING_REVIEW'));
  if (filter.review === 'listed') {
    where.push(eq(storefronts.marketplaceStatus, 'LISTED'), eq(storefronts.hidden, false));
  }
  if (filter.review === 'hidden') where.push(eq(storefronts.hidden, true));
  const condition = where.length ? and(...where) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(storefronts)
      .where(condition)
      .orderBy(asc(storefronts.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: count() }).from(storefronts).where(condition),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

function mapUnique(error: unknown): unknown {
  if (isUniqueViolation(error, 'storefronts_platform_id_key')) {
    return conflict('Another storefront already uses this platformId', 'platformId');
  }
  if (isUniqueViolation(error, 'storefronts_customer_key')) {
    return conflict('This account already has a storefront');
  }
  return error;
}

export interface BuyerStorefrontFilter {
  /** public: listed, not hidden, not archived; organization: every storefront of one org. */
  visibility: 'public' | 'organization';
  organizationId?: number;
  /** A sponsored buyer's storefront: the only one it may see, listed or not. */
  onlyId?: number;
  name?: string;
  displayStatus?: 'configuring' | 'transacting' | 'archived' | 'neutral' | 'paused';
  channel?: string;
  region?: string;
  /** Storefronts whose publisher coverage includes this domain or a subdomain of it. */
  publisherDomain?: string;
  limit: number;
  offset: number;
}

/** Storefront rows a buyer may browse, id order, with the total for paging (buyer-pages-store.ts). */
export async function listForBuyer(db: Db, f: BuyerStorefrontFilter) {
  const scope: BuyerPageScope =
    f.onlyId !== undefined
      ? { onlyId: f.onlyId }
      : f.visibility === 'organization'
        ? { visibility: 'organization', organizationId: f.organizationId ?? -1 }
        : { visibility: 'public' };
  const where: SQL[] = [];
  if (f.name) where.push(ilike(storefronts.name, likeContaining(f.name)));
  // The same precedence as displayStatusOf: archived, then paused, then the stage.
  if (f.displayStatus === 'archived') where.push(isNotNull(storefronts.archivedAt));
  if (f.displayStatus === 'paused') {
    where.push(isNotNull(storefronts.pausedAt), isNull(storefronts.archivedAt));
  }
  if (f.displayStatus === 'neutral') {
    where.push(isNull(storefronts.pausedAt), isNull(storefronts.archivedAt));
  }
  if (f.displayStatus === 'transacting' || f.displayStatus === 'configuring') {
    where.push(
      f.displayStatus === 'transacting'
        ? isNotNull(storefronts.activatedAt)
        : isNull(storefronts.activatedAt),
      isNull(storefronts.pausedAt),
      isNull(storefronts.archivedAt),
    );
  }
  if (f.channel) where.push(sql`${storefronts.channels} @> ${JSON.stringify([f.channel])}::jsonb`);
  if (f.region) {
    // Hosted: a country the storefront accepts briefs from; our free-form regions still match.
    const region = JSON.stringify([f.region]);
    const isCountry = /^[A-Z]{2}$/.test(f.region);
    where.push(
      or(
        sql`${storefronts.regions} @> ${region}::jsonb`,
        sql`${storefronts.acceptedCountries} @> ${region}::jsonb`,
        ...(isCountry ? [eq(storefronts.acceptsAllCountries, true)] : []),
      ) as SQL,
    );
  }
  if (f.publisherDomain) {
    const domain = f.publisherDomain.toLowerCase();
    const suffix = `%.${escapeLike(domain)}`;
    where.push(
      or(
        eq(storefronts.publisherDomain, domain),
        like(storefronts.publisherDomain, suffix),
        sql`exists (select 1 from jsonb_array_elements_text(coalesce(${storefronts.businessProfile} -> 'publisherDomains', '[]'::jsonb)) as d(name) where d.name = ${domain} or d.name like ${suffix})`,
      ) as SQL,
    );
  }
  return buyerPage(db, scope, { limit: f.limit, offset: f.offset }, where);
}
