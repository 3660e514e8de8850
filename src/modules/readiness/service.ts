import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ActivityService } from '../activity/index.js';
import {
  complianceCheckOf,
  type ComplianceService,
  sourceComplianceOf,
} from '../compliance/index.js';
import type { InventorySourcesService } from '../inventory-sources/index.js';
import type { OperatingInstructionsService } from '../operating-instructions/index.js';
import type { PublisherAuthorizationService } from '../publisher-authorization/index.js';
import type { ReadinessVerdict, StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import { isReady, publisherAuthorizationCheck, readinessChecks } from './checks.js';
import { availabilityOf, demandCoverageOf, phaseOf } from './availability.js';
import { diagnosesOf } from './diagnoses.js';
import { setupModeOf, sourceDiagnostic } from './diagnostics.js';
import type { Readiness } from './schemas.js';

/** Readiness reads storefront, sources, instructions and activity; it owns no tables. */
export interface ReadinessDeps {
  storefronts: StorefrontsService;
  inventorySources: InventorySourcesService;
  operatingInstructions: OperatingInstructionsService;
  activity: ActivityService;
  compliance: Pick<ComplianceService, 'stateFor'>;
  publisherAuthorization: Pick<PublisherAuthorizationService, 'readinessFor'>;
}

export type ReadinessService = ReturnType<typeof createReadinessService>;

export function createReadinessService(deps: ReadinessDeps) {
  /**
   * The blocking checks alone (availability, activation): compliance and publisher
   * authorization inform and never block, so buyer views and activation do not read them.
   * Buyer views read the sources from the read cache; activation, which gates on a source the
   * seller may have just activated on another instance, reads the database.
   */
  async function blockers(storefront: StorefrontRow, sourcesFrom: 'cache' | 'database') {
    const [sources, active] = await Promise.all([
      sourcesFrom === 'cache'
        ? deps.inventorySources.cachedRowsOf(storefront.id)
        : deps.inventorySources.allRowsOf(storefront.id),
      deps.operatingInstructions.findActive(storefront.id),
    ]);
    const checks = readinessChecks({
      storefront,
      sources,
      hasActiveOperatingInstructions: active !== undefined,
    });
    return { checks, availability: availabilityOf(storefront, checks) };
  }

  async function evaluate(storefront: StorefrontRow): Promise<Readiness> {
    const sources = await deps.inventorySources.allRowsOf(storefront.id);
    const [active, latest, compliance, publisherDomains, productIssues] = await Promise.all([
      deps.operatingInstructions.findActive(storefront.id),
      deps.activity.latestFor(storefront.id, 'STOREFRONT_INVENTORY_SOURCE'),
      deps.compliance.stateFor(storefront),
      deps.publisherAuthorization.readinessFor(storefront, sources),
      deps.inventorySources.productIssuesOf(sources.map((s) => s.id)),
    ]);
    const checks = [
      ...readinessChecks({
        storefront,
        sources,
        hasActiveOperatingInstructions: active !== undefined,
      }),
      complianceCheckOf(compliance),
      publisherAuthorizationCheck(publisherDomains),
    ];
    const availability = availabilityOf(storefront, checks);
    return {
      platformId: storefront.platformId,
      status: isReady(checks) ? 'ready' : 'blocked',
      ...availability,
      phase: phaseOf(storefront, sources, availability),
      checks,
      publisherDomains,
      demandCoverage: demandCoverageOf(storefront, sources),
      sourceDiagnostics: sources.map((s) =>
        sourceDiagnostic(
          s,
          storefront.storefrontType,
          latest.get(s.sourceId),
          sourceComplianceOf(compliance, s.id),
          productIssues.get(s.id) ?? [],
        ),
      ),
      diagnoses: diagnosesOf(sources, productIssues),
      setupMode: setupModeOf(sources, storefront.storefrontType),
    };
  }

  return {
    /** Readiness of the caller's storefront, from cached probe results (it never probes). */
    async forSeller(principal: CustomerPrincipal): Promise<Readiness> {
      return evaluate(await deps.storefronts.requireOwn(principal));
    },

    /** Availability of a storefront (buyer views): canTransact, effectiveStatus, blockerIds. */
    async availability(storefront: StorefrontRow) {
      const { canTransact, effectiveStatus, blockerIds } = (await blockers(storefront, 'cache'))
        .availability;
      return { canTransact, effectiveStatus, blockerIds };
    },

    /** The verdict activation re-checks server-side. */
    async verdict(storefrontId: number): Promise<ReadinessVerdict> {
      const storefront = await deps.storefronts.findById(storefrontId);
      if (!storefront) return { ready: false, blocking: [] };
      const { checks } = await blockers(storefront, 'database');
      return {
        ready: isReady(checks),
        blocking: checks
          .filter((c) => c.isBlocker && c.status !== 'complete' && c.status !== 'optional')
          .map((c) => ({
            id: c.id,
            name: c.name,
            ...(c.details !== undefined && { details: c.details }),
          })),
      };
    },
  };
}
