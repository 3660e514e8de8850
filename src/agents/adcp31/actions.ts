import { validActionsForStatus } from '@adcp/sdk/server';
import type { MediaBuyStatus } from '@adcp/sdk/types';
import { isRecord } from '../../platform/is-record.js';
import { fineActionRollup } from '../../sources/buyer-actions.js';
import {
  type ActionNotAllowedDetails,
  type FineMediaBuyAction,
  type MediaBuyActionMode,
  type MediaBuyAvailableAction,
  mediaBuyAvailableAction,
  type MediaBuyValidAction,
  type ProductAllowedAction,
} from './schemas/actions.js';
import { mediaBuyStatus } from './schemas/envelope.js';

/*
 * AdCP 3.1's media-buy action discovery (enums/media-buy-valid-action.json and its
 * enumMetadata): which fine action a coarse 3.0 one covers, which actions an update_media_buy
 * request amounts to, and the resolution of a product's template into a buy's available actions.
 * What a seller allows is its own business (the template it passes in).
 */

/** The coarse 3.0 action each fine one rolls up into (enumMetadata's `rollup`). */
export const coarseActionOf: Readonly<Record<FineMediaBuyAction, MediaBuyValidAction>> =
  fineActionRollup;

const isFine = (action: string): action is FineMediaBuyAction => action in coarseActionOf;

/** The buy statuses in which AdCP's default state machine permits `action` (never empty). */
export function statusesAllowing(action: FineMediaBuyAction): MediaBuyStatus[] {
  return mediaBuyStatus.options.filter((status) =>
    (validActionsForStatus(status) as string[]).includes(coarseActionOf[action]),
  );
}

/** Statuses in which an action without `allowed_statuses` is permitted (product-allowed-action.json). */
const nonTerminal = new Set(['pending_creatives', 'pending_start', 'active', 'paused']);

const modeRank: Record<MediaBuyActionMode, number> = {
  self_serve: 0,
  conditional_self_serve: 1,
  requires_approval: 2,
};
const stricter = (a: MediaBuyActionMode, b: MediaBuyActionMode) =>
  modeRank[b] > modeRank[a] ? b : a;

/** One source's part of a buy: its status and what it said may be done with it. */
export interface ActionPart {
  status?: string | undefined;
  /** 3.0's flat valid_actions, as the source answered them (absent: the status's default). */
  validActions?: unknown;
  /** 3.1's available_actions, when the source speaks 3.1: authoritative for its part. */
  availableActions?: unknown;
}

/**
 * The actions open on a buy (core/media-buy-available-action.json): each action of the seller's
 * template that every part allows, in the strictest mode any part gives it (a part needing
 * approval makes the buy's action need it). A part's own word (its available_actions or
 * valid_actions) is authoritative for it, beyond the template's advisory statuses; a part that
 * said nothing allows what AdCP's state machine allows at its status (or the buy's). None open
 * when no part is known.
 */
export function resolveAvailableActions(
  template: readonly ProductAllowedAction[],
  status: string,
  parts: readonly ActionPart[],
): MediaBuyAvailableAction[] {
  if (parts.length === 0) return [];
  const out: MediaBuyAvailableAction[] = [];
  for (const entry of template) {
    if (!isFine(entry.action)) continue;
    let mode: MediaBuyActionMode | undefined = entry.modes[0];
    for (const part of parts) {
      const partMode = modeOnPart(entry.action, part, status);
      mode = partMode && mode && stricter(mode, partMode);
    }
    if (!mode) continue;
    out.push({
      action: entry.action,
      mode,
      ...(entry.sla && { sla: entry.sla }),
      ...(entry.terms_ref && { terms_ref: entry.terms_ref }),
    });
  }
  return out;
}

const permittedAt = (entry: ProductAllowedAction, status: string) =>
  entry.allowed_statuses
    ? (entry.allowed_statuses as string[]).includes(status)
    : nonTerminal.has(status);

/** The mode a part allows `action` in, or undefined when it does not allow it. */
function modeOnPart(
  action: FineMediaBuyAction,
  part: ActionPart,
  status: string,
): MediaBuyActionMode | undefined {
  if (Array.isArray(part.availableActions)) {
    for (const raw of part.availableActions) {
      const parsed = mediaBuyAvailableAction.safeParse(raw);
      if (!parsed.success) continue;
      if (parsed.data.action === action || parsed.data.action === coarseActionOf[action]) {
        return parsed.data.mode;
      }
    }
    return undefined;
  }
  const listed = Array.isArray(part.validActions)
    ? (part.validActions as unknown[])
    : (validActionsForStatus((part.status ?? status) as MediaBuyStatus) ?? []);
  return listed.includes(action) || listed.includes(coarseActionOf[action])
    ? 'self_serve'
    : undefined;
}

/** A buy as an update is judged against: its flight and its packages' budgets now. */
export interface BuyNow {
  start_time?: string | undefined;
  end_time?: string | undefined;
  packages: ReadonlyArray<{ package_id: string; budget?: number | undefined }>;
}

/**
 * The actions an update_media_buy request amounts to (enumMetadata's `update_fields`), judged
 * against the buy as it is: a later end is extend_flight, an earlier one shorten_flight; a
 * package budget up is increase_budget, down decrease_budget, and several moved with the total
 * kept is reallocate_budget.
 */
export function attemptedActions(update: object, now: BuyNow): FineMediaBuyAction[] {
  const request: Record<string, unknown> = { ...update };
  const found = new Set<FineMediaBuyAction>();
  if (request['paused'] === true) found.add('pause');
  if (request['paused'] === false) found.add('resume');
  if (request['canceled'] === true) found.add('cancel');
  if (request['start_time'] !== undefined) found.add('update_flight_dates');
  if (typeof request['end_time'] === 'string')
    found.add(flightMove(now.end_time, request['end_time']));
  if (Array.isArray(request['new_packages'])) found.add('add_packages');
  const packages = Array.isArray(request['packages']) ? request['packages'].filter(isRecord) : [];
  let before = 0;
  let after = 0;
  const moved: Array<'up' | 'down'> = [];
  for (const pkg of packages) {
    const current = now.packages.find((p) => p.package_id === pkg['package_id']);
    if (pkg['canceled'] === true) found.add('remove_packages');
    if (pkg['start_time'] !== undefined) found.add('update_flight_dates');
    if (typeof pkg['end_time'] === 'string') {
      found.add(flightMove(now.end_time, pkg['end_time']));
    }
    if (pkg['pacing'] !== undefined) found.add('update_pacing');
    if (isRecord(pkg['targeting_overlay'])) {
      const { frequency_cap: cap, ...rest } = pkg['targeting_overlay'];
      if (cap !== undefined) found.add('update_frequency_caps');
      if (Object.keys(rest).length > 0) found.add('update_targeting');
    }
    for (const key of ['keyword_targets_add', 'keyword_targets_remove']) {
      if (pkg[key] !== undefined) found.add('update_targeting');
    }
    for (const key of ['negative_keywords_add', 'negative_keywords_remove']) {
      if (pkg[key] !== undefined) found.add('update_targeting');
    }
    if (pkg['creatives'] !== undefined) found.add('replace_creative');
    if (pkg['creative_assignments'] !== undefined) found.add('update_creative_assignments');
    const budget = pkg['budget'];
    if (typeof budget === 'number' && typeof current?.budget === 'number') {
      before += current.budget;
      after += budget;
      if (budget !== current.budget) moved.push(budget > current.budget ? 'up' : 'down');
    } else if (typeof budget === 'number') {
      found.add('increase_budget');
    }
  }
  if (moved.length > 1 && before === after) found.add('reallocate_budget');
  else for (const way of moved) found.add(way === 'up' ? 'increase_budget' : 'decrease_budget');
  return [...found];
}

function flightMove(current: string | undefined, next: string): FineMediaBuyAction {
  const [was, will] = [Date.parse(current ?? ''), Date.parse(next)];
  if (Number.isNaN(was) || Number.isNaN(will) || was === will) return 'update_flight_dates';
  return will > was ? 'extend_flight' : 'shorten_flight';
}

/**
 * The first attempted action the buy does not have open in a mode the request can take
 * (error-details/action-not-allowed.json), or undefined when all are open: not in the template
 * is `not_supported_on_product`; in it but not at the buy's status `wrong_status`; at that
 * status but refused by a part `not_supported_on_buy`; open only through approval
 * `mode_mismatch` (a direct update cannot take it).
 */
export function refusedAction(
  attempted: readonly FineMediaBuyAction[],
  template: readonly ProductAllowedAction[],
  status: string,
  available: readonly MediaBuyAvailableAction[],
): ActionNotAllowedDetails | undefined {
  for (const action of attempted) {
    const open = available.find((entry) => entry.action === action);
    const refuse = (reason: ActionNotAllowedDetails['reason']) => ({
      attempted_action: action,
      reason,
      currently_available_actions: [...available],
    });
    if (open) {
      if (open.mode === 'requires_approval') return refuse('mode_mismatch');
      continue;
    }
    const entry = template.find((candidate) => candidate.action === action);
    if (!entry) return refuse('not_supported_on_product');
    return refuse(permittedAt(entry, status) ? 'not_supported_on_buy' : 'wrong_status');
  }
  return undefined;
}

/** The recovery enums/error-code.json gives ACTION_NOT_ALLOWED for each reason. */
export const actionNotAllowedRecovery = (reason: ActionNotAllowedDetails['reason']) =>
  reason === 'wrong_status' || reason === 'mode_mismatch' ? 'correctable' : 'terminal';
