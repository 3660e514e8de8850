import type { Db } from '../../platform/db/database.js';
import { isoDate, isoDateOrNull } from '../../platform/formats.js';
import { customerNotFound } from './errors.js';
import type { CustomerView, Terms, UserContext } from './schemas.js';
import * as store from './store.js';
import type { CustomerRow } from './store.js';
import { currentTerms } from './terms.js';

/** What a user sees of itself and its customers after creating a child or switching to one. */
export async function userContext(
  db: Db,
  userId: number,
  customerId: number,
  convertedFromStandalone: boolean,
): Promise<UserContext> {
  const [user, memberships] = await Promise.all([
    store.findUser(db, userId),
    store.listMembershipsOfUser(db, userId),
  ]);
  const active = memberships.find((m) => m.customer.id === customerId);
  if (!user || !active) throw customerNotFound();
  const parent = active.customer.parentId
    ? await store.findCustomer(db, active.customer.parentId)
    : undefined;
  const terms = termsStatus(active.customer, parent);
  return {
    user: {
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      role: active.role,
    },
    customer: {
      id: active.customer.id,
      company: active.customer.company,
      name: active.customer.name,
      active: active.customer.active,
      customerRole: active.customer.customerRole,
      customerType: active.customer.customerType,
    },
    customers: memberships.map((m) => ({
      id: m.customer.id,
      company: m.customer.company,
      name: m.customer.name,
      role: m.role,
      customerType: m.customer.customerType,
    })),
    showTosBox: !terms.accepted,
    organizationContractMissing: active.customer.customerType === 'CHILD' && !terms.accepted,
    hasContract: terms.accepted,
    latestTosVersion: currentTerms.version,
    convertedFromStandalone,
  };
}

export function termsStatus(customer: CustomerRow, parent: CustomerRow | undefined) {
  const own = customer.tosAcceptedVersion === currentTerms.version;
  const byParent =
    !own &&
    customer.customerType === 'CHILD' &&
    parent?.tosAcceptedVersion === currentTerms.version;
  return { accepted: own || byParent, byParent };
}

export function termsView(customer: CustomerRow, parent: CustomerRow | undefined): Terms {
  const status = termsStatus(customer, parent);
  return {
    version: currentTerms.version,
    title: currentTerms.title,
    summary: currentTerms.summary,
    accepted: status.accepted,
    acceptedVersion: customer.tosAcceptedVersion,
    acceptedAt: isoDateOrNull(customer.tosAcceptedAt),
    acceptedByParent: status.byParent,
  };
}

export function customerView(row: CustomerRow): CustomerView {
  return {
    id: row.id,
    name: row.name,
    company: row.company,
    customerRole: row.customerRole,
    customerType: row.customerType,
    parentId: row.parentId,
    customerDomain: row.customerDomain,
    active: row.active,
    tosAcceptedVersion: row.tosAcceptedVersion,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}
