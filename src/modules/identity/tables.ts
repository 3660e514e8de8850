import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

const createdAt = () => timestamptz('created_at').notNull().defaultNow();

export const customers = pgTable(
  'customers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    company: text('company').notNull(),
    customerRole: text('customer_role').$type<'BUYER' | 'SELLER'>().notNull(),
    customerType: text('customer_type')
      .$type<'STANDALONE' | 'PARENT' | 'CHILD'>()
      .notNull()
      .default('STANDALONE'),
    parentId: integer('parent_id').references((): AnyPgColumn => customers.id),
    customerDomain: text('customer_domain'),
    active: boolean('active').notNull().default(true),
    tosAcceptedVersion: text('tos_accepted_version'),
    tosAcceptedAt: timestamptz('tos_accepted_at'),
    tosAcceptedBy: integer('tos_accepted_by'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('customers_parent_idx').on(t.parentId)],
);

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: text('email').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  'memberships',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    role: text('role').$type<'MEMBER' | 'ADMIN' | 'SUPER_ADMIN'>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.customerId] }),
    index('memberships_customer_idx').on(t.customerId),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    /** Clear lookup prefix; the key itself is only stored as `hash`. */
    lookup: text('lookup').notNull(),
    hash: text('hash').notNull(),
    displayPrefix: text('display_prefix').notNull(),
    kind: text('kind').$type<'platform_admin' | 'user'>().notNull(),
    name: text('name'),
    userId: integer('user_id').references(() => users.id),
    activeCustomerId: integer('active_customer_id').references(() => customers.id),
    createdAt: createdAt(),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
    /**
     * A sandbox key (AdCP's sandbox principal, test-kits/acme-outdoor.yaml `sandbox: true`): every
     * account it syncs or names on a storefront is that account's sandbox account.
     */
    sandbox: boolean('sandbox').notNull().default(false),
  },
  (t) => [uniqueIndex('api_keys_lookup_key').on(t.lookup), index('api_keys_user_idx').on(t.userId)],
);

/**
 * A sponsored buyer: a BUYER customer created through a seller's join link, confined to one
 * storefront. Identity owns it because the confinement travels with every principal.
 */
export const sponsorships = pgTable(
  'sponsorships',
  {
    buyerCustomerId: integer('buyer_customer_id')
      .primaryKey()
      .references(() => customers.id),
    storefrontId: integer('storefront_id').notNull(),
    sellerOrganizationId: integer('seller_organization_id').notNull(),
    joinLinkId: text('join_link_id').notNull(),
    status: text('status').$type<'pending' | 'active' | 'suspended'>().notNull(),
    posture: text('posture').$type<'prepay' | 'credit'>().notNull().default('prepay'),
    signupEmail: text('signup_email').notNull(),
    country: text('country'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sponsorships_email_per_storefront_key').on(t.storefrontId, t.signupEmail),
    index('sponsorships_organization_idx').on(t.sellerOrganizationId),
  ],
);
