import { AdcpError } from '@adcp/sdk/server';
import type { GetProductsResponse, UpdateMediaBuyRequest } from '@adcp/sdk/types';
import {
  actionNotAllowedRecovery,
  adcp31Schemas,
  attemptedActions,
  type BuyActionPart,
  coarseActionOf,
  refusedAction,
  resolveAvailableActions,
  statusesAllowing,
} from '../../../adcp31/index.js';

type ProductAllowedAction = adcp31Schemas.ProductAllowedAction;
type FineAction = adcp31Schemas.FineMediaBuyAction;

/*
 * AdCP 3.1's action discovery on a storefront, for 3.1 callers only: the products' action
 * template (allowed_actions[]), a buy's open actions (available_actions[]) and the refusal of an
 * update the buy does not have open (ACTION_NOT_ALLOWED).
 */

/**
 * What a storefront's update_media_buy carries to the sources holding a buy, each self-serve
 * (nothing of an update waits for the operator) in the statuses AdCP's state machine permits
 * it. Not add_packages: new_packages are not routed to a source (ad servers and provider
 * adapters refuse them), so the storefront does not offer it.
 */
export const storefrontAllowedActions: readonly ProductAllowedAction[] = (
  Object.keys(coarseActionOf) as FineAction[]
)
  .filter((action) => action !== 'add_packages')
  .map((action) => ({
    action,
    modes: ['self_serve'],
    allowed_statuses: statusesAllowing(action),
  }));

const carried = new Set<string>(storefrontAllowedActions.map((entry) => entry.action));

type WireProduct = GetProductsResponse['products'][number];

/**
 * A product's action template: its source's own (a 3.1 source declared it), as far as the
 * storefront carries those actions, else the storefront's.
 */
export function allowedActionsOf(product: object): readonly ProductAllowedAction[] {
  const declared = (product as { allowed_actions?: unknown }).allowed_actions;
  if (!Array.isArray(declared)) return storefrontAllowedActions;
  return declared.flatMap((raw) => {
    const parsed = adcp31Schemas.productAllowedAction.safeParse(raw);
    return parsed.success && carried.has(parsed.data.action) ? [parsed.data] : [];
  });
}

/** The products with their action template (allowedActionsOf). */
export const withAllowedActions = <P extends WireProduct>(products: P[]): P[] =>
  products.map((product) => ({ ...product, allowed_actions: allowedActionsOf(product) }));

/**
 * The template without the actions a product scopes to other statuses than the buy's: a
 * product's word on when an action is open binds (the storefront's own statuses are AdCP's
 * default state machine, which a source's own answer may widen).
 */
const templateAt = (template: readonly ProductAllowedAction[], status: string) =>
  template === storefrontAllowedActions
    ? template
    : template.filter(
        (entry) => !entry.allowed_statuses || (entry.allowed_statuses as string[]).includes(status),
      );

/**
 * The actions open on a storefront buy at `status`, made of `parts` (one per source), judged by
 * the buy's action template (buy-template.ts; the storefront's own when its products declare none).
 */
export const availableActionsOf = (
  status: string,
  parts: readonly BuyActionPart[],
  template: readonly ProductAllowedAction[] = storefrontAllowedActions,
) => resolveAvailableActions(templateAt(template, status), status, parts);

/** A storefront buy as read for its buyer: enough of it to judge an update against. */
export interface ReadBuy {
  status: string;
  start_time?: string;
  end_time?: string;
  packages?: Array<{ package_id: string; budget?: number }>;
  available_actions?: adcp31Schemas.MediaBuyAvailableAction[];
}

/** The statuses a buy never leaves (media-buy-status.json). */
const terminal = new Set(['completed', 'rejected', 'canceled']);

/**
 * Refuses an update the buy does not have open (AdCP 3.1 ACTION_NOT_ALLOWED, with the attempted
 * action, the reason and the buy's open actions in its details) before any source is asked. A
 * buy in a terminal status answers the codes 3.1's state machine reserves instead (storyboard
 * media_buy_state_machine/terminal_enforcement): NOT_CANCELLABLE for a re-cancel, INVALID_STATE
 * for any other change.
 */
export function refuseUnavailableAction(
  buy: ReadBuy,
  patch: UpdateMediaBuyRequest,
  template: readonly ProductAllowedAction[] = storefrontAllowedActions,
): void {
  const attempted = attemptedActions(patch, {
    start_time: buy.start_time,
    end_time: buy.end_time,
    packages: buy.packages ?? [],
  });
  const refused = refusedAction(attempted, template, buy.status, buy.available_actions ?? []);
  if (!refused) return;
  if (terminal.has(buy.status)) refuseTerminal(buy.status, attempted);
  throw new AdcpError('ACTION_NOT_ALLOWED', {
    message: `${refused.attempted_action} is not open on this media buy (${refused.reason}, status ${buy.status}); see details.currently_available_actions`,
    recovery: actionNotAllowedRecovery(refused.reason),
    details: refused,
  });
}

function refuseTerminal(status: string, attempted: readonly string[]): never {
  if (attempted.includes('cancel')) {
    throw new AdcpError('NOT_CANCELLABLE', {
      message: `This media buy is ${status}: it cannot be canceled again`,
      recovery: 'correctable',
      field: 'canceled',
    });
  }
  throw new AdcpError('INVALID_STATE', {
    message: `This media buy is ${status}: it cannot be changed any more (see get_media_buys)`,
    recovery: 'correctable',
  });
}
