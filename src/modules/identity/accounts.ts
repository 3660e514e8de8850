import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { isAdminRole } from '../../platform/principal.js';
import {
  adminRequired,
  childCannotHaveChildren,
  customerNotFound,
  notAMember,
  sponsoredCannotCreateChildren,
  staleTermsVersion,
} from './errors.js';
import type { createKeyCache } from './keys/cache.js';
import type { CreateChildInput, Terms, UserContext } from './schemas.js';
import { customerDomainMissing } from './domain-notice.js';
import * as store from './store.js';
import type { CustomerRow } from './store.js';
import { currentTerms } from './terms.js';
import { termsView, userContext } from './views.js';

/** A customer as it is created, standalone or as a parent's child. */
export interface NewCustomerRecords {
  name: string;
  company: string;
  customerRole: 'BUYER' | 'SELLER';
  customerDomain: string | null;
  customerType?: 'STANDALONE' | 'CHILD';
  parentId?: number;
}

/**
 * A signed-in customer's own account: what it is, the customers its user belongs to, child
 * customers (the first turns a standalone customer into a parent), switching between them, and
 * the terms of service.
 */
export function createAccountService(deps: {
  db: Db;
  cache: ReturnType<typeof createKeyCache>;
  now: () => Date;
  createCustomerRecords: (tx: Db, input: NewCustomerRecords) => Promise<CustomerRow>;
}) {
  const { db, cache, now, createCustomerRecords } = deps;
  return {
    async getCurrentAccount(principal: CustomerPrincipal) {
      const customer = await store.findCustomer(db, principal.customerId);
      if (!customer) throw customerNotFound();
      return {
        id: customer.id,
        company: customer.company,
        name: customer.name,
        role: principal.membershipRole,
        customerRole: customer.customerRole,
        customerType: customer.customerType,
        parentId: customer.parentId,
        customerDomain: customer.customerDomain,
        ...(customer.customerRole === 'BUYER' && {
          readiness: customer.customerDomain
            ? { status: 'ready' as const, issues: [] }
            : { status: 'action_required' as const, issues: [{ ...customerDomainMissing }] },
        }),
        sponsorship: principal.sponsorship
          ? {
              storefrontId: principal.sponsorship.storefrontId,
              status: principal.sponsorship.status,
            }
          : null,
        ...(principal.membershipRole !== 'MEMBER' && {
          standing: { creditLimit: null, currency: 'USD' },
        }),
      };
    },

    async listAccounts(principal: CustomerPrincipal) {
      const rows = await store.listMembershipsOfUser(db, principal.userId);
      return {
        accounts: rows.map((r) => ({
          id: r.customer.id,
          company: r.customer.company,
          name: r.customer.name,
          role: r.role,
          customerRole: r.customer.customerRole,
          customerType: r.customer.customerType,
        })),
      };
    },

    /**
     * Creates a CHILD under the caller's customer (ADMIN only). The first child turns a standalone
     * customer into a PARENT; the caller becomes ADMIN of the child and its key switches to it.
     */
    async createChild(principal: CustomerPrincipal, input: CreateChildInput): Promise<UserContext> {
      if (!isAdminRole(principal.membershipRole)) throw adminRequired();
      if (principal.sponsorship) throw sponsoredCannotCreateChildren();
      if (principal.customerType === 'CHILD') throw childCannotHaveChildren();
      const result = await db.transaction(async (tx) => {
        const parent = await store.findCustomer(tx, principal.customerId);
        if (!parent) throw customerNotFound();
        const converted = parent.customerType === 'STANDALONE';
        if (converted) {
          await store.convertToParent(
            tx,
            parent.id,
            input.parentName ?? `${parent.company} (Admin)`,
          );
        }
        const child = await createCustomerRecords(tx, {
          name: input.name,
          company: parent.company,
          customerRole: input.customerRole,
          // A buyer child without its own domain operates under its parent's.
          customerDomain:
            input.customerDomain ??
            (input.customerRole === 'BUYER' ? parent.customerDomain : null) ??
            null,
          customerType: 'CHILD',
          parentId: parent.id,
        });
        await store.insertMembership(tx, {
          userId: principal.userId,
          customerId: child.id,
          role: 'ADMIN',
        });
        await store.setActiveCustomer(tx, principal.keyId, child.id);
        return { child, converted };
      });
      cache.clear();
      return userContext(db, principal.userId, result.child.id, result.converted);
    },

    /** Points the caller's key at another customer the user belongs to. */
    async switchCustomer(principal: CustomerPrincipal, customerId: number): Promise<UserContext> {
      const role = await store.findMembershipRole(db, principal.userId, customerId);
      const customer = role ? await store.findCustomer(db, customerId) : undefined;
      if (!role || !customer?.active) throw notAMember();
      await store.setActiveCustomer(db, principal.keyId, customerId);
      cache.clear();
      return userContext(db, principal.userId, customerId, false);
    },

    async getTerms(principal: CustomerPrincipal): Promise<Terms> {
      const customer = await store.findCustomer(db, principal.customerId);
      if (!customer) throw customerNotFound();
      const parent = customer.parentId
        ? await store.findCustomer(db, customer.parentId)
        : undefined;
      return termsView(customer, parent);
    },

    /** Records the customer's acceptance of the current terms (ADMIN only). */
    async acceptTerms(principal: CustomerPrincipal, version: string | undefined): Promise<Terms> {
      if (!isAdminRole(principal.membershipRole)) throw adminRequired();
      if (version !== undefined && version !== currentTerms.version) {
        throw staleTermsVersion(currentTerms.version);
      }
      const customer = await store.recordTermsAcceptance(
        db,
        principal.customerId,
        currentTerms.version,
        principal.userId,
        now(),
      );
      cache.clear();
      const parent = customer.parentId
        ? await store.findCustomer(db, customer.parentId)
        : undefined;
      return termsView(customer, parent);
    },
  };
}
