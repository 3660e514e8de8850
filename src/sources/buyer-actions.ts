import type { CreateMediaBuySuccess } from '@adcp/sdk/types';

/** AdCP's buyer actions on a media buy (valid_actions). */
type MediaBuyValidAction = NonNullable<CreateMediaBuySuccess['valid_actions']>[number];

/**
 * What a buyer may do next with a buy at a source that can pause, resume and cancel it and,
 * when it says so, change its budgets and flight (and nothing else: no package edits, no new
 * packages, no creatives after booking). A kind answers these as the buy's AdCP
 * `valid_actions`, so a buyer is never offered a change the source always refuses (the SDK's
 * default list offers every change).
 *
 * `budgetAndDates`: while the buy runs (active or paused); `beforeStart`: also while it waits
 * to start.
 */
export function pauseCancelActions(
  status: string,
  can: { budgetAndDates: boolean; beforeStart?: boolean },
): MediaBuyValidAction[] {
  const changes: MediaBuyValidAction[] = can.budgetAndDates
    ? ['update_budget', 'update_dates']
    : [];
  switch (status) {
    case 'active':
      return ['pause', 'cancel', ...changes];
    case 'paused':
      return ['resume', 'cancel', ...changes];
    case 'pending_start':
    case 'pending_creatives':
      return ['cancel', ...(can.beforeStart ? changes : [])];
    default:
      return [];
  }
}

/**
 * The coarse 3.0 action each fine AdCP 3.1 action rolls up into (enums/media-buy-valid-action.json
 * enumMetadata's `rollup`): a source that answers the coarse one takes every fine one under it.
 */
export const fineActionRollup = {
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  extend_flight: 'update_dates',
  shorten_flight: 'update_dates',
  update_flight_dates: 'update_dates',
  increase_budget: 'update_budget',
  decrease_budget: 'update_budget',
  reallocate_budget: 'update_budget',
  update_targeting: 'update_packages',
  update_pacing: 'update_packages',
  update_frequency_caps: 'update_packages',
  remove_packages: 'update_packages',
  replace_creative: 'sync_creatives',
  update_creative_assignments: 'sync_creatives',
  remove_creative: 'sync_creatives',
  add_packages: 'add_packages',
} as const;
