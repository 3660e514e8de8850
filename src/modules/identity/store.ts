import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { CustomerRole, CustomerType, MembershipRole } from '../../platform/principal.js';
import { emailTaken } from './errors.js';
import { apiKeys, customers, memberships, sponsorships, users } from './tables.js';

/** Every query on identity's tables; rows come back as the shapes below, never as table types. */
export type CustomerRow = typeof customers.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface NewCustomer {
  name: string;
  company: string;
  customerRole: CustomerRole;
  customerType?: CustomerType;
  parentId?: number;
  customerDomain?: string | null;
}

export async function insertCustomer(db: Db, input: NewCustomer): Promise<CustomerRow> {
  const [row] = await db.insert(customers).values(input).returning();
  return row as CustomerRow;
}

export async function findCustomer(db: Db, id: number): Promise<CustomerRow | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.id, id));
  return row;
}

export async function setCustomerDomain(
  db: Db,
  id: number,
  customerDomain: string,
): Promise<CustomerRow | undefined> {
  const [row] = await db
    .update(customers)
    .set({ customerDomain, updatedAt: new Date() })
    .where(eq(customers.id, id))
    .returning();
  return row;
}

/**
 * The admin customer list's page query, prepared once per database (issue 30): one round trip,
 * the window count riding along with the page; drizzle builds its SQL once and PostgreSQL plans
 * it once per connection.
 */
const customerPages = new WeakMap<Db, ReturnType<typeof prepareCustomerPage>>();
const prepareCustomerPage = (db: Db) =>
  db
    .select({ customer: customers, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(customers)
    .orderBy(asc(customers.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare('identity_customer_page');
function customerPageOf(db: Db) {
  let prepared = customerPages.get(db);
  if (!prepared) customerPages.set(db, (prepared = prepareCustomerPage(db)));
  return prepared;
}

export async function listCustomers(
  db: Db,
  page: { limit: number; offset: number },
): Promise<{ rows: CustomerRow[]; total: number }> {
  const found = await customerPageOf(db).execute(page);
  if (found.length > 0) {
    return { rows: found.map((r) => r.customer), total: found[0]?.total ?? 0 };
  }
  const [totals] = await db.select({ total: count() }).from(customers);
  return { rows: [], total: totals?.total ?? 0 };
}

export async function convertToParent(db: Db, customerId: number, name: string): Promise<void> {
  await db
    .update(customers)
    .set({ customerType: 'PARENT', name, updatedAt: new Date() })
    .where(eq(customers.id, customerId));
}

export async function recordTermsAcceptance(
  db: Db,
  customerId: number,
  version: string,
  userId: number,
  at: Date,
): Promise<CustomerRow> {
  const [row] = await db
    .update(customers)
    .set({ tosAcceptedVersion: version, tosAcceptedAt: at, tosAcceptedBy: userId, updatedAt: at })
    .where(eq(customers.id, customerId))
    .returning();
  return row as CustomerRow;
}

/**
 * Inserts a new user; throws `emailTaken` when the address is already a user's (in any case),
 * including when a concurrent signup took it first. There is deliberately no "find or create":
 * identity never merges by email.
 */
export async function insertUser(
  db: Db,
  input: { email: string; firstName?: string | null; lastName?: string | null },
): Promise<UserRow> {
  try {
    const [row] = await db.insert(users).values(input).returning();
    return row as UserRow;
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) throw emailTaken();
    throw error;
  }
}

/** A user's id by email, case-insensitively: a lookup for filters, never to merge identities. */
export async function findUserIdByEmail(db: Db, email: string): Promise<number | undefined> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return row?.id;
}

export async function findUser(db: Db, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function insertMembership(
  db: Db,
  input: { userId: number; customerId: number; role: MembershipRole },
): Promise<void> {
  await db.insert(memberships).values(input).onConflictDoNothing();
}

export async function findMembershipRole(
  db: Db,
  userId: number,
  customerId: number,
): Promise<MembershipRole | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(columnsEqual(memberships, { userId, customerId }));
  return row?.role;
}

/** The customers a user belongs to, with the user's role on each, oldest first. */
export async function listMembershipsOfUser(db: Db, userId: number) {
  return db
    .select({ customer: customers, role: memberships.role })
    .from(memberships)
    .innerJoin(customers, eq(customers.id, memberships.customerId))
    .where(and(eq(memberships.userId, userId), eq(customers.active, true)))
    .orderBy(asc(customers.id));
}

/** The earliest ADMIN of a customer: the user that admin-issued keys act for. */
export async function findFirstAdmin(db: Db, customerId: number): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ user: users })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(columnsEqual(memberships, { customerId, role: 'ADMIN' }))
    .orderBy(asc(memberships.createdAt), asc(users.id))
    .limit(1);
  return row?.user;
}

export async function insertApiKey(db: Db, input: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(input).returning();
  return row as ApiKeyRow;
}

export async function upsertConfiguredAdminKey(
  db: Db,
  input: { id: string; lookup: string; hash: string },
): Promise<void> {
  await db
    .insert(apiKeys)
    .values({
      ...input,
      kind: 'platform_admin',
      displayPrefix: 'custom',
      name: 'INTERCHANGE_ADMIN_KEY',
    })
    .onConflictDoUpdate({
      target: apiKeys.id,
      set: { lookup: input.lookup, hash: input.hash, revokedAt: null },
    });
}

export async function countActiveAdminKeys(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.kind, 'platform_admin'), isNull(apiKeys.revokedAt)));
  return row?.n ?? 0;
}

/** Revokes an active key; undefined when there is none with that id (or it was revoked). */
export async function revokeApiKey(db: Db, id: string, at: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row;
}

export async function setActiveCustomer(db: Db, keyId: string, customerId: number): Promise<void> {
  await db.update(apiKeys).set({ activeCustomerId: customerId }).where(eq(apiKeys.id, keyId));
}

export async function touchApiKey(db: Db, keyId: string, at: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, keyId));
}

const parent = alias(customers, 'parent_customer');
const parentSponsorship = alias(sponsorships, 'parent_sponsorship');

/**
 * What a principal is built from, for a key presented (`findKeyForAuth`) or for background work
 * acting for a customer (`findCustomerForActing`): the customer's standing, terms and
 * sponsorship. Both queries join `parent`, `sponsorships` on the customer and
 * `parentSponsorship` on its parent. A customer's own sponsorship wins, else its parent's:
 * confinement follows a sponsored customer into any child it may have (children of sponsored
 * customers are refused, but the rule does not depend on that).
 */
const customerStanding = {
  customerId: customers.id,
  customerRole: customers.customerRole,
  customerType: customers.customerType,
  customerActive: customers.active,
  parentId: customers.parentId,
  tosVersion: customers.tosAcceptedVersion,
  parentTosVersion: parent.tosAcceptedVersion,
  sponsoredStorefrontId: sql<
    number | null
  >`coalesce(${sponsorships.storefrontId}, ${parentSponsorship.storefrontId})`,
  sponsorOrganizationId: sql<
    number | null
  >`coalesce(${sponsorships.sellerOrganizationId}, ${parentSponsorship.sellerOrganizationId})`,
  sponsorshipStatus: sql<
    SponsorshipRow['status'] | null
  >`coalesce(${sponsorships.status}, ${parentSponsorship.status})`,
};

/** Everything authentication needs about a presented key, in one round trip. */
export async function findKeyForAuth(db: Db, lookup: string) {
  const [row] = await db
    .select({
      id: apiKeys.id,
      hash: apiKeys.hash,
      kind: apiKeys.kind,
      revokedAt: apiKeys.revokedAt,
      userId: apiKeys.userId,
      sandbox: apiKeys.sandbox,
      ...customerStanding,
      membershipRole: memberships.role,
    })
    .from(apiKeys)
    .leftJoin(customers, eq(customers.id, apiKeys.activeCustomerId))
    .leftJoin(parent, eq(parent.id, customers.parentId))
    .leftJoin(
      memberships,
      and(eq(memberships.userId, apiKeys.userId), eq(memberships.customerId, customers.id)),
    )
    .leftJoin(sponsorships, eq(sponsorships.buyerCustomerId, customers.id))
    .leftJoin(parentSponsorship, eq(parentSponsorship.buyerCustomerId, customers.parentId))
    .where(eq(apiKeys.lookup, lookup));
  return row;
}

export type SponsorshipRow = typeof sponsorships.$inferSelect;

export async function insertSponsorship(
  db: Db,
  input: typeof sponsorships.$inferInsert,
): Promise<SponsorshipRow> {
  const [row] = await db.insert(sponsorships).values(input).returning();
  return row as SponsorshipRow;
}

export async function findSponsorship(db: Db, buyerCustomerId: number) {
  const [row] = await db
    .select({ sponsorship: sponsorships, buyerName: customers.name })
    .from(sponsorships)
    .innerJoin(customers, eq(customers.id, sponsorships.buyerCustomerId))
    .where(eq(sponsorships.buyerCustomerId, buyerCustomerId));
  return row;
}

/** The buyers an organisation sponsors, oldest first. */
export async function listSponsorships(db: Db, sellerOrganizationId: number) {
  return db
    .select({ sponsorship: sponsorships, buyerName: customers.name })
    .from(sponsorships)
    .innerJoin(customers, eq(customers.id, sponsorships.buyerCustomerId))
    .where(eq(sponsorships.sellerOrganizationId, sellerOrganizationId))
    .orderBy(asc(sponsorships.createdAt), asc(sponsorships.buyerCustomerId));
}

/**
 * Moves a sponsorship to `to` only from one of `from`, in one statement, so two racing
 * transitions cannot both succeed. Undefined when the row was not in an allowed state.
 */
export async function transitionSponsorship(
  db: Db,
  buyerCustomerId: number,
  from: SponsorshipRow['status'][],
  to: SponsorshipRow['status'],
): Promise<SponsorshipRow | undefined> {
  const [row] = await db
    .update(sponsorships)
    .set({ status: to, updatedAt: new Date() })
    .where(
      and(eq(sponsorships.buyerCustomerId, buyerCustomerId), inArray(sponsorships.status, from)),
    )
    .returning();
  return row;
}

/** Names of several customers by id (for listings that show who asked). */
export async function customerNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(inArray(customers.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * What background work acting for a customer needs to know of it (see the service's
 * `actingPrincipal`): its standing, organisation, terms and sponsorship (its own or its
 * parent's), and its earliest admin member.
 */
export async function findCustomerForActing(db: Db, customerId: number) {
  const [row] = await db
    .select({
      ...customerStanding,
      userId: sql<number | null>`(select ${memberships.userId} from ${memberships}
        where ${memberships.customerId} = ${customers.id}
        order by (${memberships.role} = 'MEMBER'), ${memberships.userId} limit 1)`,
    })
    .from(customers)
    .leftJoin(parent, eq(parent.id, customers.parentId))
    .leftJoin(sponsorships, eq(sponsorships.buyerCustomerId, customers.id))
    .leftJoin(parentSponsorship, eq(parentSponsorship.buyerCustomerId, customers.parentId))
    .where(eq(customers.id, customerId));
  return row;
}
