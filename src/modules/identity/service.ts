import { randomBytes } from 'node:crypto';
import { createReadCache } from '../../platform/read-cache.js';
import { hashApiKey, keyMatches, lookupOf } from '../../platform/crypto/api-keys.js';
import type { Db } from '../../platform/db/database.js';
import { isoDate, isoDateOrNull } from '../../platform/formats.js';
import type { CustomerPrincipal, Principal } from '../../platform/principal.js';
import { isAdminRole } from '../../platform/principal.js';
import { customerDomainMissing } from './domain-notice.js';
import {
  adminRequired,
  apiKeyNotFound,
  childCannotHaveChildren,
  customerNotFound,
  notAMember,
  sponsoredCannotCreateChildren,
  staleTermsVersion,
} from './errors.js';
import { createKeyCache } from './key-cache.js';
import type {
  CreateChildInput,
  CreateCustomerInput,
  CustomerView,
  Terms,
  UserContext,
} from './schemas.js';
import * as store from './store.js';
import type { CustomerRow } from './store.js';
import { currentTerms } from './terms.js';
import { mintKey } from './keys.js';
import { createSponsorshipService } from './sponsorships.js';

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

const lastUsedWriteIntervalMs = 60_000;

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService(deps: IdentityDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const cache = createKeyCache(deps.keyCacheTtlMs ?? 2_000);
  // A customer's domain is set when it is created or by its ADMIN (setCustomerDomain, which
  // clears this cache): storefront agents read it on every forwarded call (the account sources
  // are asked with), so it is held briefly (another instance sees a change within the TTL).
  const domains = createReadCache();
  const lastUsedWrites = new Map<string, number>();
  const hooks = deps.onCustomerCreated ?? [];

  async function createCustomerRecords(
    tx: Db,
    input: {
      name: string;
      company: string;
      customerRole: 'BUYER' | 'SELLER';
      customerDomain: string | null;
      customerType?: 'STANDALONE' | 'CHILD';
      parentId?: number;
    },
  ): Promise<CustomerRow> {
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

  function principalFromKey(
    row: NonNullable<Awaited<ReturnType<typeof store.findKeyForAuth>>>,
  ): Principal | null {
    if (row.revokedAt) return null;
    if (row.kind === 'platform_admin') return { kind: 'admin', keyId: row.id };
    if (
      row.userId === null ||
      row.customerId === null ||
      !row.customerActive ||
      !row.membershipRole ||
      !row.customerRole ||
      !row.customerType
    ) {
      return null;
    }
    return customerPrincipalOf(row.id, {
      ...row,
      userId: row.userId,
      customerId: row.customerId,
      customerRole: row.customerRole,
      customerType: row.customerType,
      membershipRole: row.membershipRole,
    });
  }

  /** The principal of a customer's member as the key (or background work) acts for it. */
  function customerPrincipalOf(
    keyId: string,
    row: {
      userId: number;
      customerId: number;
      customerRole: CustomerPrincipal['customerRole'];
      customerType: CustomerPrincipal['customerType'];
      membershipRole: CustomerPrincipal['membershipRole'];
      parentId: number | null;
      tosVersion: string | null;
      parentTosVersion: string | null;
      sponsoredStorefrontId: number | null;
      sponsorOrganizationId: number | null;
      sponsorshipStatus: 'pending' | 'active' | 'suspended' | null;
    },
  ): CustomerPrincipal {
    const accepted =
      row.tosVersion === currentTerms.version ||
      (row.customerType === 'CHILD' && row.parentTosVersion === currentTerms.version);
    return {
      kind: 'customer',
      keyId,
      userId: row.userId,
      customerId: row.customerId,
      customerRole: row.customerRole,
      customerType: row.customerType,
      organizationId: row.parentId ?? row.customerId,
      membershipRole: row.membershipRole,
      tosAccepted: accepted,
      sponsorship:
        row.sponsoredStorefrontId !== null &&
        row.sponsorOrganizationId !== null &&
        row.sponsorshipStatus !== null
          ? {
              storefrontId: row.sponsoredStorefrontId,
              sellerOrganizationId: row.sponsorOrganizationId,
              status: row.sponsorshipStatus,
            }
          : null,
    };
  }

  function noteKeyUsed(keyId: string): void {
    const t = now().getTime();
    const last = lastUsedWrites.get(keyId);
    if (last !== undefined && t - last < lastUsedWriteIntervalMs) return;
    lastUsedWrites.set(keyId, t);
    store.touchApiKey(db, keyId, new Date(t)).catch((e) => deps.onError?.(e, 'touchApiKey'));
  }

  async function mintAdminKey(name: string | null) {
    const minted = await mintKey(db, { kind: 'platform_admin', name });
    return { id: minted.id, key: minted.key, createdAt: minted.createdAt };
  }

  async function userContext(
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

  const sponsorships = createSponsorshipService({ db, onChange: () => cache.clear(), now });

  return {
    sponsorships,

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

    /** Resolves a bearer token; undefined when unknown, revoked, or its customer is gone. */
    async authenticate(token: string): Promise<Principal | undefined> {
      const hash = hashApiKey(token);
      let principal = cache.get(hash);
      if (principal === undefined) {
        const row = await store.findKeyForAuth(db, lookupOf(token));
        principal = row && keyMatches(token, row.hash) ? principalFromKey(row) : null;
        cache.set(hash, principal);
      }
      if (principal) noteKeyUsed(principal.keyId);
      return principal ?? undefined;
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

    /** Issues a key acting for the customer's first ADMIN user; the key is returned only here. */
    async createCustomerApiKey(customerId: number, name: string | null) {
      const customer = await store.findCustomer(db, customerId);
      if (!customer) throw customerNotFound();
      const admin = await store.findFirstAdmin(db, customerId);
      if (!admin) throw customerNotFound();
      return mintKey(db, { kind: 'user', customerId, userId: admin.id, name });
    },

    createAdminApiKey: (name: string | null) => mintAdminKey(name),

    /**
     * Makes sure a platform admin key exists: the configured one (stored hashed), or a generated
     * one on first start. Returns the generated key, which the caller prints once.
     */
    async ensureAdminKey(configured: string | undefined): Promise<string | undefined> {
      if (configured) {
        await store.upsertConfiguredAdminKey(db, {
          id: 'key_env_admin',
          lookup: lookupOf(configured),
          hash: hashApiKey(configured),
        });
        cache.clear();
        return undefined;
      }
      if ((await store.countActiveAdminKeys(db)) > 0) return undefined;
      return (await mintAdminKey('bootstrap admin key')).key;
    },

    async revokeApiKey(id: string) {
      const row = await store.revokeApiKey(db, id, now());
      if (!row || !row.revokedAt) throw apiKeyNotFound();
      cache.clear();
      // The key is revoked (committed) whatever a hook does: a failing hook is reported, not
      // answered as a 500 that a retry would then meet as a 404. Console sessions signed in
      // with the key are refused anyway, since every console request re-authenticates it.
      for (const hook of deps.onKeyRevoked ?? []) {
        await hook(row.id).catch((error: unknown) => deps.onError?.(error, 'onKeyRevoked'));
      }
      return { id: row.id, revokedAt: isoDate(row.revokedAt) };
    },

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
      return userContext(principal.userId, result.child.id, result.converted);
    },

    /** Points the caller's key at another customer the user belongs to. */
    async switchCustomer(principal: CustomerPrincipal, customerId: number): Promise<UserContext> {
      const role = await store.findMembershipRole(db, principal.userId, customerId);
      const customer = role ? await store.findCustomer(db, customerId) : undefined;
      if (!role || !customer?.active) throw notAMember();
      await store.setActiveCustomer(db, principal.keyId, customerId);
      cache.clear();
      return userContext(principal.userId, customerId, false);
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

function termsStatus(customer: CustomerRow, parent: CustomerRow | undefined) {
  const own = customer.tosAcceptedVersion === currentTerms.version;
  const byParent =
    !own &&
    customer.customerType === 'CHILD' &&
    parent?.tosAcceptedVersion === currentTerms.version;
  return { accepted: own || byParent, byParent };
}

function termsView(customer: CustomerRow, parent: CustomerRow | undefined): Terms {
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

function customerView(row: CustomerRow): CustomerView {
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
