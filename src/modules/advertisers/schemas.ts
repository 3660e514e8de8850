import { z } from 'zod';
import { pageSchema, takeSkipQuery } from '../../platform/http/pagination.js';
import { positiveIdSchema } from '../../platform/formats.js';

const pageSize = z.coerce.number().int().min(1).max(100);
const pageStart = z.coerce.number().int().min(0).max(1_000_000_000);

/** Wire contract of /api/v2/buyer/advertisers (hosted buyer.json; seed 004 where they differ). */

/** Advertiser ids are numeric strings (seed 004: "12345"); anything else is simply not found. */
export const advertiserIdSchema = z.string().min(1).max(255);
export const advertiserParams = z.object({ advertiserId: advertiserIdSchema });

const queryBoolean = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .or(z.boolean());

export const linkedAccountInput = z.object({
  storefrontId: positiveIdSchema,
  sourceId: z.string().min(1).max(255),
  accountId: z.string().min(1).max(255),
  credentialId: z.string().max(32).optional(),
  billingType: z.string().max(64).optional(),
});
export type LinkedAccountInput = z.infer<typeof linkedAccountInput>;

const utmParam = z.object({
  paramKey: z.string().regex(/^[a-zA-Z0-9_-]{1,100}$/, 'letters, digits, _ or -, up to 100'),
  paramValue: z.string().min(1).max(200),
});

const frequencyCapInput = z.object({
  max_impressions: z.number().int().min(1).max(1_000_000_000),
  window: z.object({
    interval: z.number().min(1).max(1_000_000),
    unit: z.enum(['seconds', 'minutes', 'hours', 'days', 'campaign']),
  }),
});
export type FrequencyCapInput = z.infer<typeof frequencyCapInput>;

const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as USD')
  .transform((v) => v.toUpperCase());

export const createAdvertiserBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(1000).optional(),
    brand: z.string().trim().min(1).max(2048),
    saveBrand: z.boolean().optional(),
    linkedAccounts: z.array(linkedAccountInput).max(50).optional(),
    optimizationApplyMode: z.enum(['AUTO', 'MANUAL']).optional(),
    primaryCurrency: currency,
    sandbox: z.boolean().optional(),
    utmConfig: z.array(utmParam).max(20).optional(),
    frequencyCaps: z.array(frequencyCapInput).max(20).optional(),
  })
  // Unknown fields (e.g. the hosted dataDelivery, not offered here) are refused, not dropped.
  .strict();
export type CreateAdvertiserInput = z.infer<typeof createAdvertiserBody>;

/** PUT is partial or full; `sandbox` may be repeated only with its current value. */
export const updateAdvertiserBody = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    /** Accepted for hosted clients; there is no brand registry to save to here. */
    saveBrand: z.boolean().optional(),
    description: z.string().max(1000).nullable().optional(),
    brand: z.string().trim().min(1).max(2048).optional(),
    linkedAccounts: z.array(linkedAccountInput).max(50).optional(),
    optimizationApplyMode: z.enum(['AUTO', 'MANUAL']).optional(),
    primaryCurrency: currency.optional(),
    sandbox: z.boolean().optional(),
    utmConfig: z.array(utmParam).max(20).optional(),
    frequencyCaps: z.array(frequencyCapInput).max(20).optional(),
  })
  .strict();
export type UpdateAdvertiserInput = z.infer<typeof updateAdvertiserBody>;

export const listAdvertisersQuery = z
  .object({
    status: z.enum(['ACTIVE', 'ARCHIVED', 'ALL']).default('ACTIVE'),
    name: z.string().max(255).optional(),
    /** Advertisers linked to at least one account on this inventory source (sourceId or agent id). */
    linkedAccountPartnerId: z.string().min(1).max(255).optional(),
    sandbox: queryBoolean.optional(),
    includeAccounts: queryBoolean.optional(),
    includeBrand: queryBoolean.optional(),
  })
  // Both styles (seed 004: take/skip; hosted: limit/offset); no defaults here, so the style
  // actually sent wins (pageRequestOf), 100 per page when neither is.
  .extend({
    limit: pageSize.optional(),
    offset: pageStart.optional(),
    take: pageSize.optional(),
    skip: pageStart.optional(),
  });
export type ListAdvertisersQuery = z.infer<typeof listAdvertisersQuery>;

export const getAdvertiserQuery = z.object({ includeBrand: queryBoolean.optional() });

export const accountSourceSchema = z.object({
  storefrontId: z.number().int(),
  storefrontName: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
});

export const linkedAccountSchema = z.object({
  linkId: z.string(),
  accountId: z.string(),
  credentialId: z.string().nullable(),
  name: z.string().nullable(),
  advertiser: z.string().nullable(),
  billingProxy: z.string().nullable(),
  house: z.string().nullable(),
  billing: z.string().nullable(),
  billingType: z.string().nullable(),
  sources: z.array(accountSourceSchema),
  advertiserId: z.string(),
  status: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LinkedAccount = z.infer<typeof linkedAccountSchema>;

export const linkedBrandSchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string(),
  manifest: z.record(z.string(), z.unknown()),
  logoUrl: z.string().optional(),
  industry: z.string().optional(),
  colors: z.record(z.string(), z.string()).optional(),
  tagline: z.string().optional(),
  tone: z.string().optional(),
});
export type LinkedBrand = z.infer<typeof linkedBrandSchema>;

export const cohortRole = z.enum(['TREATMENT', 'CONTROL', 'OBSERVATION']);

export const testCohortSchema = z.object({
  id: z.string(),
  advertiserId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  cohortType: z.string(),
  role: cohortRole,
  definition: z.object({ type: z.string() }).catchall(z.unknown()),
  estimatedSize: z.number().int().optional(),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TestCohort = z.infer<typeof testCohortSchema>;

const mmmConfig = z
  .object({
    provider: z.string().max(255).optional(),
    dataSourceIds: z.array(z.string().max(255)).max(100).optional(),
    reportingFrequency: z.enum(['weekly', 'monthly', 'quarterly']).optional(),
  })
  .catchall(z.unknown());

export const measurementConfigSchema = z.object({
  advertiserId: z.string(),
  mmmEnabled: z.boolean(),
  mmmConfig: mmmConfig.optional(),
  incrementalityTestingEnabled: z.boolean(),
  brandLiftEnabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MeasurementConfig = z.infer<typeof measurementConfigSchema>;

export const updateMeasurementConfigBody = z.object({
  mmmEnabled: z.boolean().optional(),
  mmmConfig: mmmConfig.nullable().optional(),
  incrementalityTestingEnabled: z.boolean().optional(),
  brandLiftEnabled: z.boolean().optional(),
  settings: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type UpdateMeasurementConfigInput = z.infer<typeof updateMeasurementConfigBody>;

const advertiserCore = {
  id: z.string(),
  name: z.string(),
  status: z.enum(['ACTIVE', 'ARCHIVED']),
  sandbox: z.boolean(),
  brand: z.string(),
  primaryCurrency: z.string(),
  currencyLocked: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** List rows: the hosted summary, plus linkedAccounts with includeAccounts=true (seed 004). */
export const advertiserSummarySchema = z.object({
  ...advertiserCore,
  linkedAccountCount: z.number().int(),
  linkedAccounts: z.array(linkedAccountSchema).optional(),
  linkedBrand: linkedBrandSchema.optional(),
  brandWarning: z.string().optional(),
});
export type AdvertiserSummary = z.infer<typeof advertiserSummarySchema>;

export const advertiserListSchema = pageSchema(advertiserSummarySchema);

const frequencyCapSchema = frequencyCapInput.extend({
  id: z.string(),
  targetLevel: z.literal('ADVERTISER'),
  targetId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** SESOFI (seed 004): GET returns everything nested. */
export const advertiserSchema = z.object({
  ...advertiserCore,
  description: z.string().optional(),
  optimizationApplyMode: z.enum(['AUTO', 'MANUAL']),
  linkedAccounts: z.array(linkedAccountSchema),
  linkedAccountCount: z.number().int(),
  utmConfig: z.array(utmParam.extend({ source: z.literal('advertiser') })),
  frequencyCaps: z.array(frequencyCapSchema),
  /** As GET …/event-sources lists them (filled once the event sources module is wired). */
  eventSources: z.array(z.record(z.string(), z.unknown())),
  testCohorts: z.array(testCohortSchema),
  measurementConfig: measurementConfigSchema,
  linkedBrand: linkedBrandSchema.optional(),
  brandWarning: z.string().optional(),
});
export type Advertiser = z.infer<typeof advertiserSchema>;

export const createTestCohortBody = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1000).optional(),
  cohortType: z.string().min(1).max(64),
  role: cohortRole.default('TREATMENT'),
  definition: z.object({ type: z.string().min(1).max(64) }).catchall(z.unknown()),
  estimatedSize: z.number().int().min(0).max(2_147_483_647).optional(),
});
export type CreateTestCohortInput = z.infer<typeof createTestCohortBody>;

export const updateTestCohortBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(1000).nullable().optional(),
  cohortType: z.string().min(1).max(64).optional(),
  role: cohortRole.optional(),
  definition: z
    .object({ type: z.string().min(1).max(64) })
    .catchall(z.unknown())
    .optional(),
  estimatedSize: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
  isActive: z.boolean().optional(),
});
export type UpdateTestCohortInput = z.infer<typeof updateTestCohortBody>;

export const cohortParams = advertiserParams.extend({ cohortId: z.string().min(1).max(255) });

export const listCohortsQuery = z
  .object({
    /** Hosted clients repeat the path's advertiserId here; it must then be the same. */
    advertiserId: advertiserIdSchema.optional(),
    role: cohortRole.optional(),
    isActive: queryBoolean.optional(),
  })
  .extend(takeSkipQuery({ defaultTake: 50, maxTake: 250 }).shape);
export type ListCohortsQuery = z.infer<typeof listCohortsQuery>;

export const cohortListSchema = z.object({
  cohorts: z.array(testCohortSchema),
  total: z.number().int(),
});
