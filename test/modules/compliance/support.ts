import { sql } from 'drizzle-orm';
import {
  type CompliancePolicy,
  createComplianceService,
} from '../../../src/modules/compliance/index.js';
import type { RunnerOutcome, RunnerRequest } from '../../../src/modules/compliance/runner/types.js';
import { rowsOf } from '../../../src/platform/db/migrate.js';
import type { Harness } from '../../harness.js';

/**
 * A compliance service over the harness's database and services whose runner plays nothing:
 * it records each request in `asked` and answers `outcome`. With the job queue not started,
 * runs stay queued until the test executes them through it.
 */
export function recordingCompliance(
  h: Harness,
  policy: CompliancePolicy,
  outcome: RunnerOutcome,
): { compliance: ReturnType<typeof createComplianceService>; asked: RunnerRequest[] } {
  const asked: RunnerRequest[] = [];
  const compliance = createComplianceService({
    db: h.database.db,
    storefronts: h.services.storefronts,
    inventorySources: h.services.inventorySources,
    activity: h.services.activity,
    buyerAuthAt: async () => null,
    actingPrincipal: (id) => h.services.identity.actingPrincipal(id),
    scheduler: () => undefined,
    policy,
    intervalSeconds: 0,
    runTimeoutMs: 5_000,
    refreshWaitMs: 0,
    allowPrivateNetwork: true,
    trustedHosts: new Set(),
    runner: async (request) => {
      asked.push(request);
      return outcome;
    },
  });
  return { compliance, asked };
}

/** The runs waiting in the queue, oldest first. */
export async function queuedRuns(h: Harness): Promise<{ id: number; agent_url: string }[]> {
  const result = await h.database.db.execute(
    sql`select id, agent_url from compliance_runs where status = 'queued' order by id`,
  );
  return rowsOf<{ id: number; agent_url: string }>(result).map((r) => ({ ...r, id: Number(r.id) }));
}
