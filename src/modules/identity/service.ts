import { randomBytes } from 'node:crypto';
import { createReadCache } from '../../platform/read-cache.js';
import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { createAccountService, type NewCustomerRecords } from './accounts.js';
import { isAdminRole } from '../../platform/principal.js';
import { adminRequired, customerNotFound } from './errors.js';
import { createKeyCache } from './keys/cache.js';
import { createKeyService } from './keys/service.js';
import { customerPrincipalOf } from './keys/principals.js';
import type { CreateCustomerInput, CustomerView } from './schemas.js';
import { createSponsorshipService } from './sponsorships.js';
import * as store from './store.js';
import type { CustomerRow } from './store.js';
import { customerView } from './views.js';

/** Runs inside the transaction that creates a customer (e.g. a SELLER's storefront). */
export type CustomerCreatedHook = (
  tx: Db,
  customer: {
    id: number;
    parentId: number | null;
    name: string;
    customerRole: 'BUYER' | 'SELLER';
    customerDomain: string | null;
  },
) => Promise<void>;

export interface IdentityDeps {
  db: Db;
  now?: () => Date;
  /** How long a resolved key may be reused without asking the database. */
  keyCacheTtlMs?: number;
  onCustomerCreated?: CustomerCreatedHook[];
  /** Runs after an API key is revoked (e.g. to end the console sessions it signed in). */
  onKeyRevoked?: ((keyId: string) => Promise<void>)[];
  onError?: (error: unknown, context: string) => void;
}

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService(deps: IdentityDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const cache = createKeyCache(deps.keyCacheTtlMs ?? 2_000);
  // A customer's domain is set when it is created or by its ADMIN (setCustomerDomain, which
  // clears this cache): storefront agents read it on every forwarded call (the account sources
  // are asked with), so it is held briefly (another instance sees a change within the TTL).
  const domains = createReadCache();
  const hooks = deps.onCustomerCreated ?? [];

  async function createCustomerRecords(tx: Db, input: NewCustomerRecords): Promise<CustomerRow> {
    const customer = await store.insertCustomer(tx, input);
    for (const hook of hooks) {
      await hook(tx, {
        id: customer.id,
        parentId: customer.parentId,
        name: customer.name,
        customerRole: customer.customerRole,
        customerDomain: customer.customerDomain,
      });
    }
    return customer;
  }

  const sponsorships = createSponsorshipService({ db, onChange: () => cache.clear(), now });
  const keys = createKeyService({
    db,
    cache,
    now,
    onKeyRevoked: deps.onKeyRevoked,
    onError: deps.onError,
  });
  const accounts = createAccountService({ db, cache, now, createCustomerRecords });

  return {
    sponsorships,
    ...keys,
    ...accounts,

    /**
     * The customer as background work on its behalf acts (delivery import, status sync): its
     * own standing and sponsorship, an admin member as the user, no key (keyId `background`).
     * Undefined when the customer is gone, inactive or has no member.
     */
    async actingPrincipal(customerId: number): Promise<CustomerPrincipal | undefined> {
      const row = await store.findCustomerForActing(db, customerId);
      if (!row || !row.customerActive || row.userId === null) return undefined;
      return customerPrincipalOf(`background:${customerId}`, {
        ...row,
        userId: row.userId,
        membershipRole: 'ADMIN',
      });
    },

    /** Creates a customer with its first ADMIN user, running creation hooks in one transaction. */
    async createCustomer(input: CreateCustomerInput): Promise<CustomerView> {
      const customer = await db.transaction(async (tx) => {
        const created = await createCustomerRecords(tx, {
          name: input.name,
          company: input.company ?? input.name,
          customerRole: input.customerRole,
          customerDomain: input.customerDomain ?? null,
        });
        // A generated address carries a random part: a guessable one (admin+<id>@domain) is what
        // an attacker would try to claim elsewhere.
        const email =
          input.adminEmail ??
          `admin+${randomBytes(9).toString('base64url')}@${input.customerDomain ?? 'customers.interchange.local'}`;
        const user = await store.insertUser(tx, { email });
        await store.insertMembership(tx, {
          userId: user.id,
          customerId: created.id,
          role: 'ADMIN',
        });
        return created;
      });
      return customerView(customer);
    },

    customerNames: (ids: number[]) => store.customerNames(db, ids),

    /** For audit-log filters only (identity never merges by email). */
    userIdByEmail: (email: string) => store.findUserIdByEmail(db, email),

    async userEmail(userId: number): Promise<string | null> {
      return (await store.findUser(db, userId))?.email ?? null;
    },

    /**
     * Sets a customer's domain (its ADMIN, acting in it or through a membership of it). The
     * domain is claimed, not verified: accounts at sources are bound to the first buyer that
     * uses a `{brand, operator}` pair (account-bindings), so naming another's domain reaches
     * none of theirs.
     */
    async setCustomerDomain(
      principal: CustomerPrincipal,
      customerId: number,
      customerDomain: string,
    ) {
      const role =
        customerId === principal.customerId
          ? principal.membershipRole
          : await store.findMembershipRole(db, principal.userId, customerId);
      if (!role) throw customerNotFound();
      if (!isAdminRole(role)) throw adminRequired();
      const row = await store.setCustomerDomain(db, customerId, customerDomain);
      if (!row) throw customerNotFound();
      domains.clear();
      return { id: row.id, customerDomain: row.customerDomain, customerDomainApproved: false };
    },

    /** The customer's domain (null when it has none); NOT_FOUND for an unknown id. */
    customerDomainOf(id: number): Promise<string | null> {
      return domains.get(`customer:${id}`, async () => {
        const row = await store.findCustomer(db, id);
        if (!row) throw customerNotFound();
        return row.customerDomain ?? null;
      });
    },

    async getCustomer(id: number): Promise<CustomerView> {
      const row = await store.findCustomer(db, id);
      if (!row) throw customerNotFound();
      return customerView(row);
    },

    async listCustomers(page: { limit: number; offset: number }) {
      const { rows, total } = await store.listCustomers(db, page);
      return { items: rows.map(customerView), total };
    },
  };
}
