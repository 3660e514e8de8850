import { fineActionRollup, pauseCancelActions } from '../../../../sources/buyer-actions.js';

/**
 * What a buyer may do next with a buy in the ledger (its AdCP `valid_actions`): pause, resume
 * and cancel it, and change its budgets and flight (within its avails, capacity held in the
 * ledger: amend.ts), before it starts too. Its packages' creatives are the buyer's to put on or
 * replace while it can still run (amend.ts `assigned`; a buy waiting for creatives starts with
 * them), so `sync_creatives` is offered too: a 3.1 buyer's creative assignments at
 * update_media_buy are gated on it (adcp31/actions.ts).
 */
export function ledgerValidActions(status: string): ReturnType<typeof pauseCancelActions> {
  const actions = pauseCancelActions(status, { budgetAndDates: true, beforeStart: true });
  return actions.length > 0 ? [...actions, 'sync_creatives'] : actions;
}

/** The coarse actions a ledger buy takes in any status it can be changed in. */
const takenByLedger = new Set<string>(
  ['active', 'paused'].flatMap((status) => ledgerValidActions(status)),
);

/**
 * Whether a ledger buy ever takes the AdCP 3.1 fine action `action`: when the coarse one it rolls
 * up into is offered (buyer-actions.ts fineActionRollup). Not its targeting, pacing or caps, nor
 * packages added or removed.
 */
export function ledgerTakes(action: string): boolean {
  const coarse = (fineActionRollup as Readonly<Record<string, string | undefined>>)[action];
  return coarse !== undefined && takenByLedger.has(coarse);
}
