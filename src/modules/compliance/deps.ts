import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { OwnedAuth } from '../../upstream/index.js';
import type { ActivityService } from '../activity/index.js';
import type { InventorySourcesService } from '../inventory-sources/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import type { RunnerOutcome, RunnerRequest } from './runner/types.js';

export type CompliancePolicy = 'strict' | 'warn' | 'off';

/** Where queued runs go: the job queue (src/jobs/compliance-runs.ts). */
export interface ComplianceScheduler {
  enqueue(runId: number): Promise<void>;
}

export interface ComplianceDeps {
  db: Db;
  storefronts: Pick<StorefrontsService, 'requireOwn' | 'findById'>;
  inventorySources: Pick<
    InventorySourcesService,
    'allRowsOf' | 'operatorAuthOf' | 'liveRowsForCompliance'
  >;
  activity: Pick<ActivityService, 'record'>;
  /** A buyer's credential at an agent (buyer-access), for sources that take buyers'. */
  buyerAuthAt: (customerId: number, agentId: string) => Promise<OwnedAuth | null>;
  /** The customer as it stands now (identity), to check a named buyer is the seller's own. */
  actingPrincipal: (customerId: number) => Promise<CustomerPrincipal | undefined>;
  scheduler: () => ComplianceScheduler | undefined;
  policy: CompliancePolicy;
  intervalSeconds: number;
  runTimeoutMs: number;
  refreshWaitMs: number;
  allowPrivateNetwork: boolean;
  /** This deployment's own host:port (the built-in demo agent lives there). */
  trustedHosts: ReadonlySet<string>;
  /** Replaces the worker thread (tests of the service's own rules). */
  runner?: (request: RunnerRequest) => Promise<RunnerOutcome>;
  now?: () => Date;
  onError?: (error: unknown, context: string) => void;
  /** A run ended without passing (the seller is notified). */
  onFailed?: (run: {
    id: number;
    storefrontId: number;
    sourceId: string;
    summary: string | null;
    status: string;
    error: string | null;
  }) => Promise<void>;
}
