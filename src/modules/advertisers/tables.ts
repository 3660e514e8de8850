import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps, timestamptz } from '../../platform/db/columns.js';
import type { LinkedBrand } from './schemas.js';

export interface UtmParam {
  paramKey: string;
  paramValue: string;
}

export interface FrequencyCapConfig {
  id: string;
  max_impressions: number;
  window: { interval: number; unit: 'seconds' | 'minutes' | 'hours' | 'days' | 'campaign' };
  createdAt: string;
  updatedAt: string;
}

/**
 * A buyer customer's advertisers. Ids are numeric strings on the wire (seed 004 shows "12345").
 * `sandbox` is fixed at creation; DELETE archives (status ARCHIVED) and restore brings it back.
 */
export const advertisers = pgTable(
  'advertisers',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 10001 }),
    customerId: integer('customer_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    brand: text('brand').notNull(),
    status: text('status').$type<'ACTIVE' | 'ARCHIVED'>().notNull().default('ACTIVE'),
    sandbox: boolean('sandbox').notNull().default(false),
    optimizationApplyMode: text('optimization_apply_mode')
      .$type<'AUTO' | 'MANUAL'>()
      .notNull()
      .default('MANUAL'),
    primaryCurrency: text('primary_currency').notNull(),
    utmConfig: jsonb('utm_config').$type<UtmParam[]>().notNull().default([]),
    frequencyCaps: jsonb('frequency_caps').$type<FrequencyCapConfig[]>().notNull().default([]),
    archivedAt: timestamptz('archived_at'),
    ...timestamps(),
  },
  (t) => [index('advertisers_customer_idx').on(t.customerId, t.status, t.id)],
);

/**
 * Source accounts linked to an advertiser: an account discovered on an inventory source
 * (AdCP list_accounts) that the buying flow sends to that source. The descriptive fields are a
 * copy taken when linking, so reads never call the source.
 */
export const advertiserAccounts = pgTable(
  'advertiser_accounts',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 501 }),
    advertiserId: bigintNumber('advertiser_id').notNull(),
    customerId: integer('customer_id').notNull(),
    storefrontId: integer('storefront_id').notNull(),
    sourceId: text('source_id').notNull(),
    agentId: text('agent_id').notNull(),
    accountId: text('account_id').notNull(),
    credentialId: text('credential_id'),
    billingType: text('billing_type'),
    name: text('name'),
    advertiserName: text('advertiser_name'),
    billingProxy: text('billing_proxy'),
    house: text('house'),
    billing: text('billing'),
    status: text('status').notNull().default('active'),
    /** The storefront sources the account was reachable through when linked (names frozen). */
    sources: jsonb('sources').$type<AccountSource[]>().notNull().default([]),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('advertiser_accounts_link_key').on(
      t.advertiserId,
      t.storefrontId,
      t.sourceId,
      t.accountId,
    ),
    index('advertiser_accounts_customer_idx').on(t.customerId, t.advertiserId),
  ],
);

/**
 * What list_accounts answered for one buyer credential: the cache of accounts/available. Keyed
 * by the owner (customer and credential), never by the agent alone, so no buyer reads another's.
 */
export const sourceAccountCache = pgTable(
  'source_account_cache',
  {
    customerId: integer('customer_id').notNull(),
    credentialId: text('credential_id').notNull(),
    agentId: text('agent_id').notNull(),
    accounts: jsonb('accounts').$type<DiscoveredAccount[]>().notNull(),
    fetchedAt: timestamptz('fetched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.credentialId, t.agentId] })],
);

export interface AccountSource {
  storefrontId: number;
  storefrontName: string;
  sourceId: string;
  sourceName: string;
}

export interface DiscoveredAccount {
  accountId: string;
  name: string | null;
  advertiser: string | null;
  billingProxy: string | null;
  house: string | null;
  billing: string | null;
  status: string;
}

/** Resolved brand.json per (customer, domain): the owner is part of the key. */
export const brandCache = pgTable(
  'brand_cache',
  {
    customerId: integer('customer_id').notNull(),
    domain: text('domain').notNull(),
    /** The resolved brand, or null when resolution failed (then `warning` says why). */
    brand: jsonb('brand').$type<LinkedBrand>(),
    warning: text('warning'),
    fetchedAt: timestamptz('fetched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.domain] })],
);

/** A/B and incrementality cohorts of an advertiser. */
export const testCohorts = pgTable(
  'advertiser_test_cohorts',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 301 }),
    advertiserId: bigintNumber('advertiser_id').notNull(),
    customerId: integer('customer_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    cohortType: text('cohort_type').notNull(),
    role: text('role').$type<'TREATMENT' | 'CONTROL' | 'OBSERVATION'>().notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    estimatedSize: integer('estimated_size'),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps(),
  },
  (t) => [index('advertiser_test_cohorts_advertiser_idx').on(t.advertiserId, t.id)],
);

/** The measurement singleton of an advertiser; absent until first PUT (GET answers defaults). */
export const measurementConfigs = pgTable('advertiser_measurement_configs', {
  advertiserId: bigintNumber('advertiser_id').primaryKey(),
  customerId: integer('customer_id').notNull(),
  mmmEnabled: boolean('mmm_enabled').notNull().default(false),
  mmmConfig: jsonb('mmm_config').$type<Record<string, unknown>>(),
  incrementalityTestingEnabled: boolean('incrementality_testing_enabled').notNull().default(false),
  brandLiftEnabled: boolean('brand_lift_enabled').notNull().default(false),
  settings: jsonb('settings').$type<Record<string, unknown>>(),
  ...timestamps(),
});
