import { isAppError } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { Db } from '../../platform/db/database.js';
import type { OptimizableBuy } from '../campaigns/index.js';
import { budgetsAre } from './suggest.js';
import * as store from './store.js';
import { applicableStatuses, type SuggestionRow } from './tables.js';

/** What applying needs of campaigns: the buy, and the one way a buy's budgets change. */
export interface ApplyDeps {
  db: Db;
  buyOf(customerId: number, mediaBuyId: string): Promise<OptimizableBuy | undefined>;
  /** The update-media-buy path (campaigns' patchMediaBuy): at the seller first, then recorded. */
  patchBudgets(
    principal: CustomerPrincipal,
    mediaBuyId: string,
    packages: { packageId: string; budget: number }[],
  ): Promise<{ warnings: string[] }>;
  actAs(customerId: number): Promise<CustomerPrincipal | undefined>;
  /** How long one apply run holds a suggestion before another may take it over. */
  leaseMs: number;
  now(): Date;
}

/** Thrown for a run to be retried later (the job queue's retry): nothing was decided. */
export class ApplyLater extends Error {}

const finish = (
  deps: ApplyDeps,
  row: SuggestionRow,
  to: 'APPLIED' | 'APPLIED_FAIL' | 'EXPIRED',
  why: { reason?: string; error?: string } = {},
) => store.transition(deps.db, row.id, applicableStatuses, to, why, true);

/**
 * Applies one approved (MANUAL) or ingested (AUTO) suggestion, as the apply job's run. The
 * buy's recorded budgets decide, so a retry never applies twice: already the proposed ones
 * (an earlier run's change reached the seller) → APPLIED; still the ones it was made from →
 * the change is sent through update-media-buy; anything else → EXPIRED. A write whose outcome
 * is still being established at the seller (seller-write recovery) is waited for (ApplyLater).
 * `lastAttempt`: a seller still unavailable fails the suggestion instead of retrying.
 */
export async function applySuggestion(
  deps: ApplyDeps,
  id: string,
  lastAttempt: boolean,
): Promise<SuggestionRow | undefined> {
  const row = await store.claimForApply(deps.db, id, applicableStatuses, deps.now(), deps.leaseMs);
  if (!row) return undefined;
  const buy = await deps.buyOf(row.customerId, row.mediaBuyId);
  if (buy && budgetsAre(buy, row.adjustments, 'proposedBudget'))
    return finish(deps, row, 'APPLIED');
  if (buy?.pendingWrite) {
    await store.releaseClaim(deps.db, row.id);
    throw new ApplyLater("The media buy's last change is still being established at the seller");
  }
  if (!buy || buy.status !== 'ACTIVE' || !budgetsAre(buy, row.adjustments, 'currentBudget')) {
    return finish(deps, row, 'EXPIRED', {
      reason: buy
        ? `The media buy is ${buy.status} with budgets other than those this was suggested from`
        : 'The media buy is gone',
    });
  }
  const principal = await deps.actAs(row.customerId);
  if (!principal)
    return finish(deps, row, 'APPLIED_FAIL', { error: "The buyer's account is inactive" });
  let warnings: string[];
  try {
    ({ warnings } = await deps.patchBudgets(
      principal,
      row.mediaBuyId,
      row.adjustments.map((a) => ({ packageId: a.packageId, budget: a.proposedBudget })),
    ));
  } catch (error) {
    const refused = isAppError(error) && (error.kind === 'invalid' || error.kind === 'not_found');
    if (refused || lastAttempt) {
      const message = isAppError(error) ? error.message : 'The change could not be sent';
      return finish(deps, row, 'APPLIED_FAIL', { error: message });
    }
    await store.releaseClaim(deps.db, row.id);
    throw new ApplyLater(isAppError(error) ? error.message : 'The seller could not be reached');
  }
  const after = await deps.buyOf(row.customerId, row.mediaBuyId);
  if (after?.pendingWrite) {
    // The seller's answer was lost: seller-write recovery establishes it; a later run reads it.
    await store.releaseClaim(deps.db, row.id);
    throw new ApplyLater('The outcome of the change is being established at the seller');
  }
  const reviewing = after && !budgetsAre(after, row.adjustments, 'proposedBudget');
  return finish(deps, row, 'APPLIED', reviewing ? { reason: warnings.join('; ') } : {});
}
