import { validActionsForStatus } from '@adcp/sdk/server';
import type { CreateMediaBuySuccess, MediaBuyStatus } from '@adcp/sdk/types';

type MediaBuyValidAction = NonNullable<CreateMediaBuySuccess['valid_actions']>[number];

/**
 * A buy's statuses from least to most advanced. A buy split over several sources answers the
 * least advanced status any of them gave, so the buyer never sees it further along than its
 * slowest part.
 */
const statusRank = [
  'pending_creatives',
  'pending_start',
  'active',
  'paused',
  'completed',
  'canceled',
  'rejected',
];

/** The least advanced of the statuses given (undefined when none). */
export function leastAdvanced<S extends string>(statuses: S[]): S | undefined {
  return [...statuses].sort((a, b) => statusRank.indexOf(a) - statusRank.indexOf(b))[0];
}

/**
 * Statuses in which a source's part of a buy can no longer serve (nothing to take off it).
 * Not `completed`: a seller may put its task status there at the top of an answer, and a live
 * buy recorded as completed would never be asked to drop a withdrawn creative; asking a
 * finished buy costs one call.
 */
export const endedStatuses: ReadonlySet<string> = new Set(['canceled', 'rejected']);

/**
 * The media-buy status a source's create or update answer reports, when it reports one: a 3.1
 * answer's `media_buy_status` (its `status` is the task's, `completed`: a source asked as a 3.1
 * caller, such as a linked storefront under a 3.1 buyer's buy), else 3.0's `status`.
 */
export function answeredStatus(data: object): string | undefined {
  if ('media_buy_status' in data && typeof data.media_buy_status === 'string') {
    return data.media_buy_status;
  }
  return 'status' in data && typeof data.status === 'string' ? data.status : undefined;
}

/**
 * AdCP's buyer actions a storefront can carry out, in the protocol's order. Not `add_packages`:
 * the storefront refuses new_packages (update.ts), so a source's offer of it is not the buy's.
 */
const actionOrder: readonly MediaBuyValidAction[] = [
  'pause',
  'resume',
  'cancel',
  'update_budget',
  'update_dates',
  'update_packages',
  'sync_creatives',
];

/** One source's part of a buy as far as its buyer's next actions go. */
export interface ActionPart {
  /** The part's media-buy status, as its source answered it. */
  status?: string | undefined;
  /** The part's valid_actions, as its source answered them (absent: AdCP's default for the status). */
  validActions?: unknown;
}

/**
 * What a buyer may do with a buy made of `parts`: only what every source holding a part allows,
 * each as it said (its own valid_actions), else AdCP's default for the part's status (or
 * `status`, the buy's). Undefined when no part is known: the SDK's default for the status then.
 */
export function validActionsOf(
  parts: ActionPart[],
  status?: string,
): MediaBuyValidAction[] | undefined {
  if (parts.length === 0) return undefined;
  const lists = parts.map((part): readonly string[] => {
    if (Array.isArray(part.validActions)) return part.validActions as string[];
    const at = part.status ?? status;
    return at ? (validActionsForStatus(at as MediaBuyStatus) ?? []) : [];
  });
  return actionOrder.filter((action) => lists.every((list) => list.includes(action)));
}
