import type { adcp31Schemas } from '../../../adcp31/index.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import type { InventorySource } from '../../../../sources/port.js';
import { isRecord } from '../../../../platform/is-record.js';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../../deps.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { fixtureHeldAt } from '../../sandbox/fixtures/seeded-ids.js';
import { holdersOf } from '../../sandbox/fixtures/holders.js';
import { allowedActionsOf, storefrontAllowedActions } from './actions31.js';

type ProductAllowedAction = adcp31Schemas.ProductAllowedAction;
type Mode = ProductAllowedAction['modes'][number];

/*
 * AdCP 3.1: the action template a storefront buy is judged by (core/product-allowed-action.json
 * resolved onto a buy): its products' allowed_actions as get_products showed them. A sandbox
 * product's template is what the buyer seeded (as far as the storefront carries those actions),
 * whether the storefront's own book holds it or a source does (that source's listing of it, as
 * far as the source can act on a buy: a spreadsheet's, modular-sources/sandbox/fixtures.ts); a
 * source's own product is judged by the storefront's own template (what the storefront carries
 * to its sources), its source answering for its part on each buy.
 */

type Deps = Pick<MerchandisingDeps, 'sandbox' | 'sources' | 'fixtureHolders'>;
type Owner = { storefrontId: number; buyerCustomerId: number };
/** The buy's account, as its buyer named it (a source lists a fixture to that account). */
type Account = MediaBuyRow['submittedPayload']['account'] | undefined;
/** A storefront buy, as much of it as its template depends on. */
export type TemplatedBuy = Owner & Pick<MediaBuyRow, 'routedPackages' | 'submittedPayload'>;

const modeRank: Record<Mode, number> = {
  self_serve: 0,
  conditional_self_serve: 1,
  requires_approval: 2,
};

/** The products a buy holds, as its buyer (or its proposal) named them. */
const productIdsOf = (row: Pick<MediaBuyRow, 'routedPackages' | 'submittedPayload'>) =>
  (row.routedPackages ?? row.submittedPayload.packages ?? []).map((pkg) => pkg.product_id);

/**
 * The template of a buy of its products: each action every product allows, in the strictest
 * first mode any gives it, in the statuses all allow it, with the first product's sla and terms.
 * The storefront's own template when no product declared one.
 */
export async function buyActionTemplate(
  deps: Deps,
  buy: TemplatedBuy,
): Promise<readonly ProductAllowedAction[]> {
  return (await buyActionTemplates(deps, [buy]))[0]!;
}

/**
 * Each buy's template (buyActionTemplate), the buys' owners' fixtures at sources read once per
 * owner, not once per buy: a page of get_media_buys is one buyer's on one storefront.
 */
export async function buyActionTemplates(
  deps: Deps,
  buys: readonly TemplatedBuy[],
): Promise<Array<readonly ProductAllowedAction[]>> {
  const holders = holdersOf(deps);
  const heldByOwner = new Map<string, Promise<boolean>>();
  const holdsAtSources = (owner: Owner) => {
    const key = `${owner.storefrontId}\n${owner.buyerCustomerId}`;
    let found = heldByOwner.get(key);
    if (!found) {
      found = holders.heldBy(owner).then((held) => held.size > 0);
      heldByOwner.set(key, found);
    }
    return found;
  };
  return Promise.all(buys.map(async (buy) => templateOf(deps, buy, await holdsAtSources(buy))));
}

/** One buy's template; `atSources`: its buyer holds fixtures at some source. */
async function templateOf(
  deps: Deps,
  buy: TemplatedBuy,
  atSources: boolean,
): Promise<readonly ProductAllowedAction[]> {
  const account = buy.submittedPayload.account;
  const templates = await Promise.all(
    productIdsOf(buy).map((productId) =>
      productTemplate(deps, buy, productId, atSources ? account : null),
    ),
  );
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

/**
 * One product's template: a fixture's as seeded, else the storefront's. `account` null: the
 * buyer holds no fixture at a source.
 */
async function productTemplate(
  deps: Deps,
  owner: Owner,
  productId: string,
  account: Account | null,
): Promise<readonly ProductAllowedAction[]> {
  const scope = sandboxScope(owner.storefrontId, owner.buyerCustomerId);
  if (deps.sandbox.has(scope, productId)) {
    const product = deps.sandbox.products(scope).find((p) => p.product_id === productId);
    return product ? allowedActionsOf(product) : storefrontAllowedActions;
  }
  const held = account !== null ? await fixtureHeldAt(deps, productId) : undefined;
  if (!held) return storefrontAllowedActions;
  const { routable } = await deps.sources.of(owner.storefrontId, owner.buyerCustomerId);
  const port = routable.find((candidate) => candidate.source.sourceId === held.sourceId);
  const product = port && (await heldProduct(port, owner, held, account ?? undefined));
  return product ? allowedActionsOf(product) : storefrontAllowedActions;
}

/** The fixture as its holder lists it to the buyer's sandbox account (a 3.1 listing). */
async function heldProduct(
  port: InventorySource,
  owner: Owner,
  held: { sourceId: string; productId: string },
  account: Account,
): Promise<object | undefined> {
  const upstreamId = held.productId.slice(held.sourceId.length + 2);
  const request = {
    buying_mode: 'wholesale' as const,
    adcp_version: '3.1',
    ...(isRecord(account) && { account }),
  };
  // cast: adcp_version is AdCP 3.1's, which the SDK's 3.0 request type does not name
  const answer = await port.getProducts(request as Parameters<InventorySource['getProducts']>[0], {
    customerId: owner.buyerCustomerId,
    budgetMs: defaultSourceBudgetMs,
    reuse: true,
    sandbox: true,
  });
  return answer.ok ? answer.data.products?.find((p) => p.product_id === upstreamId) : undefined;
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
