import { defineRoute } from '../../platform/http/route.js';
import {
  complianceCheckSchema,
  refreshBody,
  sourceSettingsBody,
  sourceSettingsParams,
  sourceSettingsSchema,
  testRunsQuery,
  testRunsSchema,
} from './schemas.js';
import type { ComplianceService } from './service.js';

const tags = ['Storefront'];

/** The hosted `compliance` group: readiness' compliance check, its refresh, and the runs kept. */
export function complianceRoutes(compliance: ComplianceService) {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/readiness/compliance',
      operationId: 'storefront.compliance.get',
      summary: "The storefront's compliance check (its sources' latest runs); null before any run",
      description:
        'The readiness check agent_connectivity: per source (compliance[]) the tracks of its ' +
        'latest compliance run (one per AdCP storyboard that applies to it), passed or not, ' +
        'failure reasons, observations and checkedAt; runs under way are listed in pending.',
      tags,
      auth: 'seller',
      response: complianceCheckSchema.nullable(),
      handler: ({ principal }) => compliance.checkFor(principal),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/readiness/compliance/refresh',
      operationId: 'storefront.compliance.refresh',
      summary: 'Re-run the compliance storyboards of every testable source, or of one',
      description:
        'Queues a run per source (a durable job; a run already waiting is reused), waits for ' +
        'them up to INTERCHANGE_COMPLIANCE_REFRESH_WAIT_MS and answers the check as it then ' +
        'stands; runs still under way are in pending (follow one with GET /test-runs?runUid=).',
      tags,
      auth: 'seller',
      body: refreshBody,
      response: complianceCheckSchema,
      handler: ({ principal, body }) => compliance.refresh(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/test-runs',
      operationId: 'storefront.testRuns.list',
      summary: "The storefront's compliance runs, newest first",
      description:
        'Every compliance run is kept: tracks with passed, failed and skipped steps, duration, ' +
        "failures with the storyboard's own expectation and hints, observations and checkedAt.",
      tags,
      auth: 'seller',
      query: testRunsQuery,
      response: testRunsSchema,
      handler: async ({ principal, query }) => ({
        runs: await compliance.listRuns(principal, query),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/storefront/inventory-sources/:sourceId/compliance-settings',
      operationId: 'storefront.compliance.sourceSettings',
      summary: "A source's compliance settings, and which storyboards its runs play",
      description:
        'Storyboards that book, change or traffic buys run only at a source that declares a ' +
        'sandbox it honours (sandboxDeclared, AdCP account.sandbox) or whose seller allowed ' +
        'them (allowBookingStoryboards); withheld lists those left out.',
      tags,
      auth: 'seller',
      params: sourceSettingsParams,
      response: sourceSettingsSchema,
      handler: ({ principal, params }) => compliance.sourceSettings(principal, params.sourceId),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v2/storefront/inventory-sources/:sourceId/compliance-settings',
      operationId: 'storefront.compliance.updateSourceSettings',
      summary: 'Allow (or stop) the booking storyboards at a source without a sandbox',
      description:
        'allowBookingStoryboards: true lets compliance runs of this source call ' +
        'create_media_buy, update_media_buy, sync_creatives and the other writes although it ' +
        'declares no sandbox. Recorded with who set it, and in the activity log; the next run ' +
        'plays accordingly.',
      tags,
      auth: 'seller',
      params: sourceSettingsParams,
      body: sourceSettingsBody,
      response: sourceSettingsSchema,
      handler: ({ principal, params, body }) =>
        compliance.updateSourceSettings(principal, params.sourceId, body),
    }),
  ];
}
