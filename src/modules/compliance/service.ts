import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { OwnedAuth } from '../../upstream/index.js';
import type { ActivityService } from '../activity/index.js';
import type {
  InventorySourcesService,
  SourceRow,
  StoredSourceRow,
} from '../inventory-sources/index.js';
import type { StorefrontRow, StorefrontsService } from '../storefronts/index.js';
import { gradeRun } from './grading.js';
import { removePatchedSdk } from './runner/patched-sdk.js';
import { runInWorker } from './runner/run-in-worker.js';
import type { RunnerAuth, RunnerOutcome, RunnerRequest } from './runner/types.js';
import { complianceCheckOf, type ComplianceState, stateOf } from './state.js';
import type { ComplianceCheck, RefreshInput, TestRun, TestRunsQuery } from './schemas.js';
import * as store from './store.js';
import { storyboardsFor } from './storyboards.js';
import { isFinished, testRunView } from './views.js';

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
}

export type ComplianceService = ReturnType<typeof createComplianceService>;

/** Sources a run applies to: connected (an endpoint), not disabled, not deleted. */
const testable = (row: StoredSourceRow): row is SourceRow =>
  row.endpointUrl !== null && row.agentId !== null && row.status !== 'DISABLED';

const noneGated: ReadonlySet<number> = new Set();

export function createComplianceService(deps: ComplianceDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const runner = deps.runner ?? runInWorker;
  const onError = deps.onError ?? (() => undefined);

  /** Queues a run of `row` (or answers the one already waiting) and hands it to the queue. */
  async function queue(
    row: SourceRow,
    trigger: 'registration' | 'refresh' | 'schedule',
    options: { requestedBy?: number | null; buyerCustomerId?: number; customerId: number },
  ): Promise<store.RunRow> {
    const { run, queued } = await store.queueRun(db, {
      runUid: randomUUID(),
      customerId: options.customerId,
      storefrontId: row.storefrontId,
      inventorySourceId: row.id,
      sourceId: row.sourceId,
      agentId: row.agentId,
      agentUrl: row.endpointUrl,
      protocol: row.protocol,
      trigger,
      buyerCustomerId: options.buyerCustomerId ?? null,
      requestedBy: options.requestedBy ?? null,
      status: 'queued',
      storyboards: storyboardsFor(row.capabilities),
    });
    if (queued) await enqueue(run.id);
    return run;
  }

  async function enqueue(runId: number) {
    const scheduler = deps.scheduler();
    // A queue not running (a CLI command, a test without workers) leaves the run queued; the
    // next sweep hands it over.
    if (!scheduler) return;
    await scheduler
      .enqueue(runId)
      .catch((error: unknown) => onError(error, `queueing run ${runId}`));
  }

  /** The credential the runner presents: the storefront's, a buyer's, or none. */
  async function credentialOf(
    run: store.RunRow,
    row: SourceRow,
  ): Promise<
    { auth: RunnerAuth | undefined; credential: 'storefront' | 'buyer' | 'none' } | string
  > {
    if (run.buyerCustomerId !== null) {
      const owned = await deps.buyerAuthAt(run.buyerCustomerId, row.agentId);
      if (!owned) return 'the named buyer has no ACTIVE credential registered at this source';
      return { auth: runnerAuthOf(owned), credential: 'buyer' };
    }
    const operatorHoldsNone = row.authSealed === null || row.authenticationType === 'OAUTH';
    if (row.requiresCredentials && operatorHoldsNone) {
      return (
        "this source takes buyers' credentials and the storefront holds none: refresh with " +
        'buyerCustomerId, a BUYER customer of your organisation connected to it'
      );
    }
    const owned = await deps.inventorySources.operatorAuthOf(
      row,
      Math.min(deps.runTimeoutMs, 30_000),
    );
    const auth = runnerAuthOf(owned);
    return { auth, credential: auth ? 'storefront' : 'none' };
  }

  /** Runs one queued run to its end and records the outcome; never throws for the agent's faults. */
  async function execute(runId: number): Promise<void> {
    const run = await store.claimRun(db, runId, now());
    if (!run) return;
    const started = performance.now();
    const finish = async (result: Omit<store.FinishedRun, 'durationMs'>) => {
      const durationMs = Math.round(performance.now() - started);
      const saved = await store.finishRun(db, run.id, { ...result, durationMs }, now());
      if (saved) await recordActivity(saved);
    };
    const row = (await deps.inventorySources.allRowsOf(run.storefrontId)).find(
      (r) => r.id === run.inventorySourceId,
    );
    if (!row || !testable(row)) {
      await finish(failed('error', 'the source was removed, disabled or lost its endpoint'));
      return;
    }
    // The credential below is the source's as it is now: it goes only to the endpoint the source
    // has now. A run queued before the endpoint (or protocol) changed is ended, and the source
    // queued afresh, rather than run against where the source was.
    if (row.endpointUrl !== run.agentUrl || row.protocol !== run.protocol) {
      await finish(
        failed('error', 'the source moved while this run waited; a run of it is queued'),
      );
      await queue(row, run.trigger, {
        customerId: run.customerId,
        requestedBy: run.requestedBy,
        ...(run.buyerCustomerId !== null && { buyerCustomerId: run.buyerCustomerId }),
      });
      return;
    }
    let credential: Awaited<ReturnType<typeof credentialOf>>;
    try {
      credential = await credentialOf(run, row);
    } catch (error) {
      credential = `the credential could not be obtained: ${(error as Error).message}`;
    }
    if (typeof credential === 'string') {
      await finish(failed('auth_required', credential));
      return;
    }
    // Which storyboards apply follows from what the source says it can do now: a run queued
    // before the source's first probe answered is judged on the capabilities it has since.
    const storyboards = row.capabilities ? storyboardsFor(row.capabilities) : run.storyboards;
    const outcome = await runner({
      agentUrl: run.agentUrl,
      protocol: run.protocol === 'A2A' ? 'a2a' : 'mcp',
      auth: credential.auth,
      storyboards,
      timeoutMs: deps.runTimeoutMs,
      allowPrivateNetwork: deps.allowPrivateNetwork,
      trustedHosts: [...deps.trustedHosts],
      seedFixtures: row.capabilities?.tools.includes('comply_test_controller') === true,
    });
    if (!outcome.ok) {
      const status = outcome.kind === 'timeout' ? 'error' : outcome.kind;
      await finish({ ...failed(status, outcome.message), credential: credential.credential });
      return;
    }
    const graded = gradeRun(outcome.report, storyboards);
    // Capability discovery alone says nothing of how a source sells: a source whose capabilities
    // Interchange has never read is not passed on it, whatever that one storyboard says.
    const judged = row.capabilities !== null || storyboards.length > 1;
    const observations = [...outcome.report.observations];
    if (outcome.report.seeding) {
      observations.unshift({
        category: 'deterministic_testing',
        severity: 'info',
        message: outcome.report.seeding,
      });
    }
    await finish({
      status: 'completed',
      passed: judged && graded.passed,
      summary: judged ? graded.summary : unjudgedSummary,
      storyboards,
      tracks: graded.tracks,
      failures: graded.failures,
      observations,
      error: null,
      credential: credential.credential,
    });
  }

  async function recordActivity(run: store.RunRow) {
    await deps.activity
      .record({
        storefrontId: run.storefrontId,
        action: 'PROBE',
        resourceType: 'STOREFRONT_INVENTORY_SOURCE',
        resourceId: run.sourceId,
        resourceName: run.sourceId,
        userId: run.requestedBy,
        actorOrigin: 'system',
        outcome: run.passed ? 'succeeded' : 'failed',
        description: `Compliance run (${run.trigger}): ${
          run.status === 'completed' ? run.summary : `${run.status}: ${run.error ?? ''}`
        }`,
      })
      .catch((error: unknown) => onError(error, `recording compliance run ${run.id}`));
  }

  async function waitFor(runIds: number[], budgetMs: number): Promise<void> {
    const deadline = Date.now() + budgetMs;
    while (Date.now() < deadline) {
      const rows = await store.runsByIds(db, runIds);
      if (rows.every(isFinished)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function stateFor(storefront: StorefrontRow): Promise<ComplianceState> {
    const [sources, finished, pending] = await Promise.all([
      deps.inventorySources.allRowsOf(storefront.id),
      store.latestFinishedBySource(db, storefront.id),
      store.unfinishedBySource(db, storefront.id),
    ]);
    return stateOf(sources.filter(testable), finished, pending, deps.policy);
  }

  return {
    policy: deps.policy,

    /** Compliance of a storefront's sources, for readiness (one read of the runs). */
    stateFor,

    /** GET /readiness/compliance: the agent_connectivity check, null before any run. */
    async checkFor(principal: CustomerPrincipal): Promise<ComplianceCheck | null> {
      const storefront = await deps.storefronts.requireOwn(principal);
      const state = await stateFor(storefront);
      return state.anyRun ? complianceCheckOf(state) : null;
    },

    /**
     * POST /readiness/compliance/refresh: queues a run of every testable source (or the one
     * named), waits for them up to the refresh budget, and answers the check as it then stands;
     * runs still under way are listed in `pending`.
     */
    async refresh(principal: CustomerPrincipal, input: RefreshInput): Promise<ComplianceCheck> {
      const storefront = await deps.storefronts.requireOwn(principal);
      let rows = (await deps.inventorySources.allRowsOf(storefront.id)).filter(
        (r): r is SourceRow => r.endpointUrl !== null && r.agentId !== null,
      );
      const named = input.agentId !== undefined || input.sourceId !== undefined;
      rows = named
        ? rows.filter(
            (r) =>
              (input.agentId === undefined || r.agentId === input.agentId) &&
              (input.sourceId === undefined || r.sourceId === input.sourceId),
          )
        : rows.filter(testable);
      if (named && rows.length === 0) {
        throw new AppError('not_found', 'No inventory source of your storefront has this id', {
          field: input.sourceId !== undefined ? 'sourceId' : 'agentId',
        });
      }
      if (input.buyerCustomerId !== undefined) {
        const buyer = await deps.actingPrincipal(input.buyerCustomerId);
        if (
          !buyer ||
          buyer.customerRole !== 'BUYER' ||
          buyer.organizationId !== principal.organizationId
        ) {
          throw invalid('Not a BUYER customer of your organisation', 'buyerCustomerId');
        }
      }
      const runs = await Promise.all(
        rows.map((row) =>
          queue(row, 'refresh', {
            customerId: principal.customerId,
            requestedBy: principal.userId,
            ...(input.buyerCustomerId !== undefined && { buyerCustomerId: input.buyerCustomerId }),
          }),
        ),
      );
      if (runs.length > 0 && deps.refreshWaitMs > 0) {
        await waitFor(
          runs.map((r) => r.id),
          deps.refreshWaitMs,
        );
      }
      return complianceCheckOf(await stateFor(storefront));
    },

    /** GET /test-runs: the caller's storefront runs, newest first. */
    async listRuns(principal: CustomerPrincipal, query: TestRunsQuery): Promise<TestRun[]> {
      const storefront = await deps.storefronts.requireOwn(principal);
      // One storefront per seller customer: another id is another customer's, so nothing.
      if (query.storefrontId !== undefined && query.storefrontId !== storefront.id) return [];
      let inventorySourceId: number | undefined;
      if (query.sourceId !== undefined) {
        const source = (await deps.inventorySources.allRowsOf(storefront.id)).find(
          (r) => r.sourceId === query.sourceId,
        );
        if (!source) return [];
        inventorySourceId = source.id;
      }
      const rows = await store.listRuns(db, {
        storefrontIds: [storefront.id],
        take: query.take,
        runUid: query.runUid,
        inventorySourceId,
      });
      return rows.map(testRunView);
    },

    /**
     * Going ACTIVE under the strict policy: refused while the source's latest compliance run
     * failed (hosted: "going ACTIVE requires the backing agent … passing compliance"). A source
     * not run yet may go ACTIVE; its registration run decides whether it then serves.
     */
    async activationRefusal(row: SourceRow): Promise<AppError | undefined> {
      if (deps.policy !== 'strict') return undefined;
      const last = (await store.latestFinishedBySource(db, row.storefrontId)).get(row.id);
      if (!last || last.passed === true) return undefined;
      const failing = (last.tracks ?? []).filter((t) => t.status === 'fail').map((t) => t.label);
      return new AppError(
        'invalid',
        `The source cannot be ACTIVE: its latest compliance run did not pass (${
          last.status === 'completed' ? `failing: ${failing.join(', ')}` : last.status
        }); fix what it reports and re-run compliance`,
        {
          field: 'status',
          code: 'COMPLIANCE_FAILED',
          details: { runUid: last.runUid, failingTracks: failing, policy: 'strict' },
        },
      );
    },

    /**
     * The storefront's sources buyers must not be offered: under the strict policy, those whose
     * latest finished compliance run did not pass (one indexed read; none under warn or off).
     * The source registry leaves them out of composition, passthrough and buy routing.
     */
    async gatedOf(storefrontId: number): Promise<ReadonlySet<number>> {
      if (deps.policy !== 'strict') return noneGated;
      return store.failingSources(db, storefrontId);
    },

    /** A source was registered or its endpoint or credential changed: run the storyboards. */
    async sourceConnected(row: SourceRow, customerId: number, userId: number | null) {
      if (deps.policy === 'off' || row.status === 'DISABLED') return;
      try {
        await queue(row, 'registration', { customerId, requestedBy: userId });
      } catch (error) {
        onError(error, `queueing the registration compliance run of ${row.sourceId}`);
      }
    },

    /** The job's work: runs one queued run (compliance-runs job). */
    execute,

    /**
     * The schedule's sweep: queues a run of every testable source last run more than the
     * interval ago, and hands over runs left waiting without a job (a queue that was down).
     */
    async sweep(): Promise<number> {
      if (deps.policy === 'off' || deps.intervalSeconds === 0) return 0;
      const rows = await deps.inventorySources.liveRowsForCompliance();
      const last = await store.lastRunTimes(
        db,
        rows.map((r) => r.id),
      );
      const due = now().getTime() - deps.intervalSeconds * 1000;
      let queued = 0;
      for (const row of rows) {
        const at = last.get(row.id);
        if (at && at.getTime() > due) continue;
        const storefront = await deps.storefronts.findById(row.storefrontId);
        if (!storefront) continue;
        await queue(row, 'schedule', { customerId: storefront.customerId });
        queued++;
      }
      return queued;
    },

    /** Removes this process's patched SDK copy (A2A runs), if one was made. */
    close(): void {
      removePatchedSdk();
    },

    /** Runs queued for longer than `olderThanMs` (their job may have been lost). */
    async requeueStale(olderThanMs: number): Promise<void> {
      for (const id of await store.staleQueued(db, new Date(now().getTime() - olderThanMs))) {
        await enqueue(id);
      }
    },
  };
}

const unjudgedSummary =
  'Only capability discovery ran: the source has not answered a capability probe, so which ' +
  'media-buy storyboards apply is unknown and the source is not counted as passing. Test its ' +
  'connection, then refresh compliance.';

function failed(
  status: 'unreachable' | 'auth_required' | 'error',
  message: string,
): Omit<store.FinishedRun, 'durationMs'> {
  return {
    status,
    passed: false,
    summary: null,
    tracks: [],
    failures: [],
    observations: [],
    error: message.slice(0, 2000),
    credential: null,
  };
}

function runnerAuthOf(owned: OwnedAuth): RunnerAuth | undefined {
  const { auth } = owned;
  switch (auth.type) {
    case 'NO_AUTH':
      return undefined;
    case 'BASIC':
      return { type: 'basic', username: auth.username, password: auth.password };
    case 'API_KEY':
    case 'JWT':
      return { type: 'bearer', token: auth.token };
    case 'OAUTH':
      return { type: 'bearer', token: auth.accessToken };
  }
}
