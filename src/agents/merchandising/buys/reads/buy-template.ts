import type { adcp31Schemas } from '../../../adcp31/index.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import type { MerchandisingDeps } from '../../deps.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { allowedActionsOf, storefrontAllowedActions } from './actions31.js';

type ProductAllowedAction = adcp31Schemas.ProductAllowedAction;
type Mode = ProductAllowedAction['modes'][number];

/*
 * AdCP 3.1: the action template a storefront buy is judged by (core/product-allowed-action.json
 * resolved onto a buy): its products' allowed_actions as get_products showed them. A sandbox
 * product's template is what the buyer seeded (as far as the storefront carries those actions);
 * a source's product is judged by the storefront's own template (what the storefront carries to
 * its sources), its source answering for its part on each buy.
 */

const modeRank: Record<Mode, number> = {
  self_serve: 0,
  conditional_self_serve: 1,
  requires_approval: 2,
};

/** The products a buy holds, as its buyer (or its proposal) named them. */
export const productIdsOf = (row: Pick<MediaBuyRow, 'routedPackages' | 'submittedPayload'>) =>
  (row.routedPackages ?? row.submittedPayload.packages ?? []).map((pkg) => pkg.product_id);

/**
 * The template of a buy of `productIds`: each action every product allows, in the strictest
 * first mode any gives it, in the statuses all allow it, with the first product's sla and terms.
 * The storefront's own template when no product declared one.
 */
export function buyActionTemplate(
  deps: Pick<MerchandisingDeps, 'sandbox'>,
  owner: { storefrontId: number; buyerCustomerId: number },
  productIds: readonly string[],
): readonly ProductAllowedAction[] {
  const scope = sandboxScope(owner.storefrontId, owner.buyerCustomerId);
  const templates = productIds.map((productId) => {
    if (!deps.sandbox.has(scope, productId)) return storefrontAllowedActions;
    const product = deps.sandbox.products(scope).find((p) => p.product_id === productId);
    if (!product) return storefrontAllowedActions;
    return allowedActionsOf(product);
  });
  if (templates.every((template) => template === storefrontAllowedActions)) {
    return storefrontAllowedActions;
  }
  const [first, ...rest] = templates;
  return (first ?? []).flatMap((entry) => {
    const others = rest.map((template) => template.find((o) => o.action === entry.action));
    if (others.some((other) => !other)) return [];
    return [others.reduce<ProductAllowedAction>((acc, other) => merged(acc, other!), entry)];
  });
}

function merged(a: ProductAllowedAction, b: ProductAllowedAction): ProductAllowedAction {
  const strictest = (entry: ProductAllowedAction) =>
    [...entry.modes].sort((x, y) => modeRank[y] - modeRank[x])[0]!;
  const mode = modeRank[strictest(b)] > modeRank[strictest(a)] ? strictest(b) : strictest(a);
  const statuses =
    a.allowed_statuses && b.allowed_statuses
      ? a.allowed_statuses.filter((status) => b.allowed_statuses!.includes(status))
      : (a.allowed_statuses ?? b.allowed_statuses);
  return {
    ...a,
    modes: [mode],
    ...(statuses && { allowed_statuses: statuses }),
  };
}
