import { isoDate } from '../../platform/formats.js';
import type { CohortRow } from './cohorts/store.js';
import type { LinkedAccount, LinkedBrand, MeasurementConfig, TestCohort } from './schemas.js';
import type { AdvertiserRow, LinkRow, MeasurementRow } from './store.js';
import type { BrandResolution } from './brand.js';

/** Row → wire shapes, in one place. */

export function linkView(row: LinkRow): LinkedAccount {
  return {
    linkId: String(row.id),
    accountId: row.accountId,
    credentialId: row.credentialId,
    name: row.name,
    advertiser: row.advertiserName,
    billingProxy: row.billingProxy,
    house: row.house,
    billing: row.billing,
    billingType: row.billingType,
    sources: row.sources,
    advertiserId: String(row.advertiserId),
    status: row.status,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

export function cohortView(row: CohortRow): TestCohort {
  return {
    id: String(row.id),
    advertiserId: String(row.advertiserId),
    name: row.name,
    ...(row.description !== null && { description: row.description }),
    cohortType: row.cohortType,
    role: row.role,
    definition: row.definition as TestCohort['definition'],
    ...(row.estimatedSize !== null && { estimatedSize: row.estimatedSize }),
    isActive: row.isActive,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

/** The singleton; before the first PUT it reads as defaults dated like the advertiser. */
export function measurementView(
  advertiser: AdvertiserRow,
  row: MeasurementRow | undefined,
): MeasurementConfig {
  return {
    advertiserId: String(advertiser.id),
    mmmEnabled: row?.mmmEnabled ?? false,
    ...(row?.mmmConfig && { mmmConfig: row.mmmConfig }),
    incrementalityTestingEnabled: row?.incrementalityTestingEnabled ?? false,
    brandLiftEnabled: row?.brandLiftEnabled ?? false,
    ...(row?.settings && { settings: row.settings }),
    createdAt: isoDate(row?.createdAt ?? advertiser.createdAt),
    updatedAt: isoDate(row?.updatedAt ?? advertiser.createdAt),
  };
}

export function coreView(row: AdvertiserRow) {
  return {
    id: String(row.id),
    name: row.name,
    status: row.status,
    sandbox: row.sandbox,
    brand: row.brand,
    primaryCurrency: row.primaryCurrency,
    // No campaign exists under any advertiser yet, so the currency is never locked.
    currencyLocked: false,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

export function brandFields(resolution: BrandResolution | undefined) {
  if (!resolution) return {};
  return {
    ...(resolution.brand && { linkedBrand: resolution.brand as LinkedBrand }),
    ...(resolution.warning && { brandWarning: resolution.warning }),
  };
}

export function detailView(
  row: AdvertiserRow,
  nested: {
    links: LinkRow[];
    cohorts: CohortRow[];
    measurement: MeasurementRow | undefined;
    eventSources: Record<string, unknown>[];
    brand?: BrandResolution;
  },
) {
  return {
    ...coreView(row),
    ...(row.description !== null && { description: row.description }),
    optimizationApplyMode: row.optimizationApplyMode,
    linkedAccounts: nested.links.map(linkView),
    linkedAccountCount: nested.links.length,
    utmConfig: row.utmConfig.map((u) => ({ ...u, source: 'advertiser' as const })),
    frequencyCaps: row.frequencyCaps.map((c) => ({
      ...c,
      targetLevel: 'ADVERTISER' as const,
      targetId: String(row.id),
    })),
    eventSources: nested.eventSources,
    testCohorts: nested.cohorts.map(cohortView),
    measurementConfig: measurementView(row, nested.measurement),
    ...brandFields(nested.brand),
  };
}
