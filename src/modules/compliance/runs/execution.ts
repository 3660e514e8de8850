import type { OwnedAuth } from '../../../upstream/index.js';
import type { SourceRow } from '../../inventory-sources/index.js';
import type { ComplianceDeps } from '../deps.js';
import { gradeRun } from './grading.js';
import type { RunnerAuth, RunnerOutcome, RunnerRequest } from '../runner/types.js';
import { type RunQueue, testable } from './queue.js';
import * as store from '../store.js';
import {
  readOnlyStoryboards,
  type StoryboardId,
  storyboardsFor,
  withheldStoryboards,
} from '../storyboards.js';
import { withheldObservation, withWithheld } from '../withheld.js';

/**
 * Running one queued compliance run: the source as it is now, the credential it presents, the
 * storyboards in the runner, the graded outcome recorded with an activity entry.
 */
export function createRunExecution(
  deps: ComplianceDeps,
  ports: {
    queue: RunQueue['queue'];
    runner: (request: RunnerRequest) => Promise<RunnerOutcome>;
    now: () => Date;
    onError: (error: unknown, context: string) => void;
    /** Whether a run of the source may book (source-settings.ts). */
    bookingsAllowedFor: (row: SourceRow) => Promise<boolean>;
  },
) {
  const { db } = deps;
  const { queue, runner, now, onError, bookingsAllowedFor } = ports;

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
      if (saved && !saved.passed) {
        await deps.onFailed?.(saved).catch((error: unknown) => onError(error, 'notifying'));
      }
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
    // Those that book run only where booking is not real: a sandbox, or the seller's leave.
    const bookings = await bookingsAllowedFor(row);
    const storyboards = row.capabilities
      ? storyboardsFor(row.capabilities, { bookings })
      : run.storyboards.filter((id) => bookings || readOnlyStoryboards.has(id as StoryboardId));
    const withheld = bookings ? [] : withheldStoryboards(row.capabilities);
    const outcome = await runner({
      agentUrl: run.agentUrl,
      protocol: run.protocol === 'A2A' ? 'a2a' : 'mcp',
      auth: credential.auth,
      storyboards,
      timeoutMs: deps.runTimeoutMs,
      allowPrivateNetwork: deps.allowPrivateNetwork,
      trustedHosts: [...deps.trustedHosts],
      bookings,
      seedFixtures: bookings && row.capabilities?.tools.includes('comply_test_controller') === true,
    });
    if (!outcome.ok) {
      const status = outcome.kind === 'timeout' ? 'error' : outcome.kind;
      await finish({ ...failed(status, outcome.message), credential: credential.credential });
      return;
    }
    const graded = withWithheld(gradeRun(outcome.report, storyboards), withheld);
    // Capability discovery alone says nothing of how a source sells: a source whose capabilities
    // Interchange did not read yet is not passed on it, whatever that one storyboard says.
    const judged = row.capabilities !== null || storyboards.length > 1;
    const observations = [...outcome.report.observations];
    if (withheld.length > 0) observations.unshift(withheldObservation(withheld));
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

  return execute;
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
