import { AppError } from '../../../platform/errors.js';
import { servedCapabilities, type SelfDeclaration } from './capabilities.js';
import type { InventorySourcesDeps } from '../deps.js';
import { sellingVerdict } from '../ports/selling.js';
import type * as rawStore from '../store.js';
import type { StoredSourceRow } from '../store.js';

/*
 * The kinds Interchange serves itself (modular sources, ad servers, provider adapters) have no
 * agent to probe: each reports what it offers and whether it can sell now, and that report is
 * what readiness and the storefront agent read (selling.ts). Such a source is made ACTIVE only
 * when its report says it can sell: at once when it has nothing to connect (a modular source),
 * else when its connection first works (its kind reports no problem), or by the operator then.
 */

/** Why a served source cannot sell now, in words that name what the operator must do. */
export interface SelfProblem {
  code: string;
  message: string;
  /** Its credentials are missing or refused (readiness' agent_auth), not its reachability. */
  credentials?: boolean;
}

export interface SelfReport {
  declared: SelfDeclaration;
  problem: SelfProblem | null;
}

export function createSelfReports(
  deps: Pick<InventorySourcesDeps, 'db' | 'activity'>,
  store: typeof rawStore,
  now: () => Date,
) {
  const { db, activity } = deps;

  return {
    /**
     * Records a served kind's report in place of a probe (capabilities, health); a PENDING source
     * whose report has no problem goes ACTIVE (once: the update is conditional). Answers the row.
     */
    async recordSelfReport(row: StoredSourceRow, report: SelfReport): Promise<StoredSourceRow> {
      const at = now();
      const recorded = await store.recordProbe(db, row.id, {
        capabilities: servedCapabilities(report.declared),
        lastProbeAt: at,
        ...(report.problem
          ? {
              lastError: {
                code: report.problem.code,
                message: report.problem.message,
                at: at.toISOString(),
                ...(report.problem.credentials && { credentials: true }),
              },
            }
          : { lastSuccessAt: at, lastError: null }),
        lastLatencyMs: null,
      });
      if (report.problem || recorded.status !== 'PENDING') return recorded;
      const promoted = await store.promotePending(db, row.id);
      if (!promoted) return recorded;
      await activity.record({
        storefrontId: promoted.storefrontId,
        action: 'UPDATE',
        resourceType: 'STOREFRONT_INVENTORY_SOURCE',
        resourceId: promoted.sourceId,
        resourceName: promoted.name,
        userId: null,
        actorOrigin: 'system',
        changes: { status: { from: 'PENDING', to: 'ACTIVE' } },
        description: `Inventory source ${promoted.name} is ACTIVE: its connection works`,
      });
      return promoted;
    },
  };
}

/**
 * Why a served source may not be made ACTIVE by its operator: its own report says it cannot
 * sell (credentials missing or refused, not connected, deactivated), or it never reported.
 */
export function servedActivationRefusal(row: StoredSourceRow): AppError | undefined {
  const verdict = sellingVerdict({ ...row, status: 'ACTIVE' });
  if (verdict.canTransact) return undefined;
  const { reason } = verdict;
  if (reason.check !== 'agent_status' && reason.check !== 'agent_auth') return undefined;
  const message =
    reason.code === 'NOT_CHECKED'
      ? `${row.name} has not reported that it can sell yet: finish connecting it first`
      : reason.message;
  return new AppError('invalid', `The source cannot be ACTIVE: ${message}`, {
    field: 'status',
    details: { reason: reason.code, credentials: reason.check === 'agent_auth' },
  });
}
