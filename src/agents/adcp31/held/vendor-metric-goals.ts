import { isRecord } from '../../../platform/is-record.js';
import { holdInExt, restoreHeld } from './in-ext.js';

/*
 * AdCP 3.1's `vendor_metric` optimization goals (core/optimization-goal.json: a measurement
 * vendor's metric, e.g. attention) on create_media_buy packages. @adcp/sdk 6.11 validates a
 * request against 3.0.6, whose goals are `metric` or `event` only, so a valid 3.1 package with
 * one was refused VALIDATION_ERROR before the storefront saw it. For a 3.1 caller the layer
 * hands the SDK the package with its goals held in the package's `ext` (free-form in 3.0, and
 * part of the payload the idempotency key is bound to, so a replay with other goals still
 * conflicts), and the storefront's handler puts them back before anything reads the buy.
 */

const held = 'interchange_optimization_goals';

const isVendorGoal = (goal: unknown) => isRecord(goal) && goal['kind'] === 'vendor_metric';

/** A 3.1 create_media_buy as the 3.0 server behind validates it: vendor goals held in `ext`. */
export function vendorGoalsFor30(args: Record<string, unknown>): Record<string, unknown> {
  const packages = args['packages'];
  if (!Array.isArray(packages)) return args;
  let lifted = false;
  const next = packages.map((pkg: unknown) => {
    const goals = isRecord(pkg) ? pkg['optimization_goals'] : undefined;
    if (!isRecord(pkg) || !Array.isArray(goals) || !goals.some(isVendorGoal)) return pkg;
    lifted = true;
    const kept = goals.filter((goal) => !isVendorGoal(goal));
    return holdInExt(pkg, 'optimization_goals', held, goals, kept);
  });
  return lifted ? { ...args, packages: next } : args;
}

/** The request as its buyer sent it: each package's goals back in place, in their order. */
export const withVendorGoals = <T extends object>(request: T): T =>
  restoreHeld(request, held, 'optimization_goals');
