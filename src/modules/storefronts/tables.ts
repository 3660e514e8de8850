import type { OverdeliveryBilling } from './billing.js';
import {
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { timestamps, timestamptz } from '../../platform/db/columns.js';
import type { BrandColors, BusinessProfile } from './schemas.js';

/** One storefront per SELLER customer; `organization_id` groups a parent's and children's. */
export const storefronts = pgTable(
  'storefronts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity({ startWith: 1001 }),
    customerId: integer('customer_id').notNull(),
    organizationId: integer('organization_id').notNull(),
    platformId: text('platform_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    publisherDomain: text('publisher_domain'),
    operatorDomain: text('operator_domain'),
    brandName: text('brand_name'),
    logoUrl: text('logo_url'),
    brandColors: jsonb('brand_colors').$type<BrandColors>(),
    website: text('website'),
    channels: jsonb('channels').$type<string[]>().notNull().default([]),
    regions: jsonb('regions').$type<string[]>().notNull().default([]),
    defaultCurrency: text('default_currency'),
    supportedLanguages: jsonb('supported_languages').$type<string[]>().notNull().default(['en']),
    storefrontType: text('storefront_type')
      .$type<'composition' | 'passthrough'>()
      .notNull()
      .default('composition'),
    creativeApproval: text('creative_approval')
      .$type<'auto' | 'manual'>()
      .notNull()
      .default('manual'),
    mediaBuyApproval: text('media_buy_approval')
      .$type<'auto' | 'manual'>()
      .notNull()
      .default('manual'),
    businessProfile: jsonb('business_profile').$type<BusinessProfile>(),
    /**
     * How far a source's reported delivery may pass what a buy booked (impressions and budget)
     * before the seller must confirm the overdelivery (modular delivery reports), in percent.
     */
    deliveryTolerancePercent: numeric('delivery_tolerance_percent', {
      precision: 5,
      scale: 2,
      mode: 'number',
    })
      .notNull()
      .default(10),
    /** Whether delivery a seller confirmed past a buy's budget is billed (storefronts/billing.ts). */
    overdeliveryBilling: text('overdelivery_billing')
      .$type<OverdeliveryBilling>()
      .notNull()
      .default('not_billed'),
    /**
     * The answer size the seller chose (issue 47): how many products one get_products answer
     * shows when the buyer does not page; wins over any posture's size. null: the posture's.
     */
    maxProducts: integer('max_products'),
    /** Seller intake hold (hosted isPaused): set while paused; no discovery, no new buys. */
    pausedAt: timestamptz('paused_at'),
    /** Country allowlist for briefs (ISO 3166-1 alpha-2); null: not confirmed. */
    acceptedCountries: jsonb('accepted_countries').$type<string[]>(),
    acceptsAllCountries: boolean('accepts_all_countries').notNull().default(false),
    advertisingPolicyDisclosure: jsonb('advertising_policy_disclosure')
      .$type<string[]>()
      .notNull()
      .default([]),
    demandContactName: text('demand_contact_name'),
    demandContactEmail: text('demand_contact_email'),
    paymentCurrencies: jsonb('payment_currencies').$type<string[]>().notNull().default([]),
    logoBackground: text('logo_background').$type<'dark-bg' | 'light-bg' | 'transparent-bg'>(),
    marketplaceStatus: text('marketplace_status')
      .$type<'PENDING_REVIEW' | 'LISTED'>()
      .notNull()
      .default('PENDING_REVIEW'),
    hidden: boolean('hidden').notNull().default(false),
    listedAt: timestamptz('listed_at'),
    hiddenAt: timestamptz('hidden_at'),
    claimedAt: timestamptz('claimed_at'),
    activatedAt: timestamptz('activated_at'),
    archivedAt: timestamptz('archived_at'),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('storefronts_customer_key').on(t.customerId),
    uniqueIndex('storefronts_platform_id_key').on(t.platformId),
    index('storefronts_organization_idx').on(t.organizationId),
    index('storefronts_marketplace_idx').on(t.marketplaceStatus, t.hidden),
  ],
);
