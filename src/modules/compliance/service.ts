import { AppError, invalid } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { SourceRow } from '../inventory-sources/index.js';
import type { StorefrontRow } from '../storefronts/index.js';
import type { ComplianceDeps } from './deps.js';
import { createRunExecution } from './runs/execution.js';
import { createRunQueue, testable } from './runs/queue.js';
import { createSourceSettings } from './source-settings.js';
import { removePatchedSdk } from './runner/patched-sdk.js';
import { runInWorker } from './runner/run-in-worker.js';
import { complianceCheckOf, type ComplianceState, stateOf } from './state.js';
import type { ComplianceCheck, RefreshInput, TestRun, TestRunsQuery } from './schemas.js';
import * as store from './store.js';
import { isFinished, testRunView } from './views.js';

export type { ComplianceDeps, CompliancePolicy, ComplianceScheduler } from './deps.js';

export type ComplianceService = ReturnType<typeof createComplianceService>;

const noneGated: ReadonlySet<number> = new Set();

export function createComplianceService(deps: ComplianceDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const runner = deps.runner ?? runInWorker;
  const onError = deps.onError ?? (() => undefined);
  const settings = createSourceSettings(deps, now);
  const bookingsAllowedFor = settings.bookingsAllowedFor;
  const { queue, enqueue } = createRunQueue({
    db,
    scheduler: deps.scheduler,
    onError,
    bookingsAllowedFor,
  });
  const execute = createRunExecution(deps, { queue, runner, now, onError, bookingsAllowedFor });

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

    /** GET …/inventory-sources/{sourceId}/compliance-settings. */
    sourceSettings: settings.get,
    /** PUT …/inventory-sources/{sourceId}/compliance-settings: recorded, with who set it. */
    updateSourceSettings: settings.put,

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
