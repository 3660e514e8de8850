import { z } from 'zod';
import { takeSkipQuery } from '../../platform/http/pagination.js';
import { defineRoute } from '../../platform/http/route.js';
import {
  accountSourceSchema,
  advertiserParams,
  cohortListSchema,
  cohortParams,
  createTestCohortBody,
  linkedAccountInput,
  linkedAccountSchema,
  listCohortsQuery,
  measurementConfigSchema,
  testCohortSchema,
  updateMeasurementConfigBody,
  updateTestCohortBody,
} from './schemas.js';
import type { AdvertisersService } from './service.js';

const base = '/api/v2/buyer/advertisers/:advertiserId';
const pageQuery = takeSkipQuery({ defaultTake: 50, maxTake: 250 });

const availableQuery = z
  .object({
    storefrontId: z.coerce.number().int().min(1).max(2_147_483_647),
    sourceId: z.string().min(1).max(255),
    credentialId: z.string().min(1).max(32).optional(),
    refresh: z.enum(['true', 'false']).optional(),
    billingType: z.string().max(64).optional(),
  })
  .extend(pageQuery.shape);

const availableAccountSchema = z.object({
  accountId: z.string(),
  credentialId: z.string().nullable(),
  name: z.string().nullable(),
  advertiser: z.string().nullable(),
  billingProxy: z.string().nullable(),
  house: z.string().nullable(),
  billing: z.string().nullable(),
  sources: z.array(accountSourceSchema),
  status: z.string(),
});

const linkedListQuery = z
  .object({
    storefrontId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
    sourceId: z.string().min(1).max(255).optional(),
    status: z.string().max(64).optional(),
  })
  .extend(pageQuery.shape);

/** Linked source accounts, test cohorts and the measurement config of one advertiser. */
export function nestedAdvertiserRoutes(advertisers: AdvertisersService) {
  return [
    ...accountRoutes(advertisers),
    ...testCohortRoutes(advertisers),
    ...measurementConfigRoutes(advertisers),
  ];
}

/** The source accounts an advertiser can link (discovered with its credential) and has linked. */
function accountRoutes(advertisers: AdvertisersService) {
  const accounts = { tags: ['Advertiser accounts'] };
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/accounts/available`,
      operationId: 'listAvailableAccounts',
      summary:
        'Discover the accounts an inventory source lists for your credential (AdCP list_accounts)',
      description:
        'Asks the source with your own credential; answers are cached per credential (synced=false) ' +
        'until refresh=true. With several credentials on the source, name one with credentialId ' +
        '(400 lists the candidates).',
      ...accounts,
      auth: 'customer',
      params: advertiserParams,
      query: availableQuery,
      response: z.object({
        accounts: z.array(availableAccountSchema),
        total: z.number().int(),
        synced: z.boolean(),
        billingOptions: z.object({
          default: z.string().nullable(),
          supported: z.array(z.string()),
        }),
      }),
      handler: ({ principal, params, query }) =>
        advertisers.accounts.available(principal, params.advertiserId, {
          storefrontId: query.storefrontId,
          sourceId: query.sourceId,
          ...(query.credentialId !== undefined && { credentialId: query.credentialId }),
          ...(query.billingType !== undefined && { billingType: query.billingType }),
          refresh: query.refresh === 'true',
          take: query.take,
          skip: query.skip,
        }),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/accounts`,
      operationId: 'listAdvertiserAccounts',
      summary: 'List the source accounts linked to this advertiser',
      ...accounts,
      auth: 'customer',
      params: advertiserParams,
      query: linkedListQuery,
      response: z.object({ accounts: z.array(linkedAccountSchema), total: z.number().int() }),
      handler: ({ principal, params, query }) =>
        advertisers.accounts.list(principal, params.advertiserId, {
          ...(query.storefrontId !== undefined && { storefrontId: query.storefrontId }),
          ...(query.sourceId !== undefined && { sourceId: query.sourceId }),
          ...(query.status !== undefined && { status: query.status }),
          take: query.take,
          skip: query.skip,
        }),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/accounts`,
      operationId: 'assignAccount',
      summary: 'Link a discovered account to this advertiser',
      description:
        'The account must be one GET …/accounts/available lists; 409 when already linked.',
      ...accounts,
      auth: 'customer',
      status: 201,
      params: advertiserParams,
      body: linkedAccountInput,
      response: linkedAccountSchema,
      handler: ({ principal, params, body }) =>
        advertisers.accounts.assign(principal, params.advertiserId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/accounts/:accountId`,
      operationId: 'getAdvertiserAccount',
      summary: 'Get one linked account (by the source’s account id, or by link id)',
      ...accounts,
      auth: 'customer',
      params: advertiserParams.extend({ accountId: z.string().min(1).max(255) }),
      response: linkedAccountSchema,
      handler: ({ principal, params }) =>
        advertisers.accounts.get(principal, params.advertiserId, params.accountId),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/accounts/:linkId`,
      operationId: 'unassignAccount',
      summary: 'Unlink an account from this advertiser (by link id)',
      ...accounts,
      auth: 'customer',
      params: advertiserParams.extend({ linkId: z.string().min(1).max(255) }),
      response: z.object({ unlinked: z.literal(true) }),
      handler: ({ principal, params }) =>
        advertisers.accounts.unassign(principal, params.advertiserId, params.linkId),
    }),
  ];
}

/** An advertiser's test cohorts: create, list, read, update, delete. */
function testCohortRoutes(advertisers: AdvertisersService) {
  const cohorts = { tags: ['Test cohorts'] };
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/test-cohorts`,
      operationId: 'listTestCohorts',
      summary: 'List test cohorts (id ascending; take/skip; role and isActive filters)',
      ...cohorts,
      auth: 'customer',
      params: advertiserParams,
      query: listCohortsQuery,
      response: cohortListSchema,
      handler: ({ principal, params, query }) =>
        advertisers.cohorts.list(principal, params.advertiserId, query),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/test-cohorts`,
      operationId: 'createTestCohort',
      summary: 'Create a test cohort (name, cohortType, definition; role TREATMENT by default)',
      description:
        'definition is checked per type: zip_code needs zips, geo/dma/region/country need geos, ' +
        'percentage/random_split a percentage in (0, 100].',
      ...cohorts,
      auth: 'customer',
      status: 201,
      params: advertiserParams,
      body: createTestCohortBody,
      response: z.object({ cohort: testCohortSchema }),
      handler: ({ principal, params, body }) =>
        advertisers.cohorts.create(principal, params.advertiserId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/test-cohorts/:cohortId`,
      operationId: 'getTestCohort',
      summary: 'Get a test cohort',
      ...cohorts,
      auth: 'customer',
      params: cohortParams,
      response: z.object({ cohort: testCohortSchema }),
      handler: ({ principal, params }) =>
        advertisers.cohorts.get(principal, params.advertiserId, params.cohortId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/test-cohorts/:cohortId`,
      operationId: 'updateTestCohort',
      summary: 'Update a test cohort (fields left out stay)',
      ...cohorts,
      auth: 'customer',
      params: cohortParams,
      body: updateTestCohortBody,
      response: z.object({ cohort: testCohortSchema }),
      handler: ({ principal, params, body }) =>
        advertisers.cohorts.update(principal, params.advertiserId, params.cohortId, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/test-cohorts/:cohortId`,
      operationId: 'deleteTestCohort',
      summary: 'Delete a test cohort',
      description:
        'Answers 200 with {id, deleted: true} in the envelope (the hosted docs print 204).',
      ...cohorts,
      auth: 'customer',
      params: cohortParams,
      response: z.object({ id: z.string(), deleted: z.literal(true) }),
      handler: ({ principal, params }) =>
        advertisers.cohorts.remove(principal, params.advertiserId, params.cohortId),
    }),
  ];
}

/** An advertiser's measurement config: read (defaults until first set) and set. */
function measurementConfigRoutes(advertisers: AdvertisersService) {
  const measurement = { tags: ['Measurement config'] };
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/measurement-config`,
      operationId: 'getMeasurementConfig',
      summary: 'Get the measurement config (defaults until first set)',
      ...measurement,
      auth: 'customer',
      params: advertiserParams,
      response: z.object({ measurementConfig: measurementConfigSchema }),
      handler: ({ principal, params }) =>
        advertisers.measurement.get(principal, params.advertiserId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${base}/measurement-config`,
      operationId: 'updateMeasurementConfig',
      summary:
        'Set the measurement config (every field optional; null clears mmmConfig or settings)',
      ...measurement,
      auth: 'customer',
      params: advertiserParams,
      body: updateMeasurementConfigBody,
      response: z.object({ measurementConfig: measurementConfigSchema }),
      handler: ({ principal, params, body }) =>
        advertisers.measurement.put(principal, params.advertiserId, body),
    }),
  ];
}
