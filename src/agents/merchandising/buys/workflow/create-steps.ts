import { randomBytes } from 'node:crypto';
import {
  AdcpError,
  hashPayload,
  InvalidRequestError,
  ProductNotFoundError,
  ProductUnavailableError,
} from '@adcp/sdk/server';
import {
  expandPackaged,
  flightProblem,
  type MediaBuyRow,
} from '../../../../modules/orders/index.js';
import type { SellingReason } from '../../../../modules/inventory-sources/index.js';
import type { StorefrontRow } from '../../../../modules/storefronts/index.js';
import type { CustomerPrincipal } from '../../../../platform/principal.js';
import type { SourcePackage } from '../../../../sources/port.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import type { GovernanceApproval } from '../../../adcp31/governance/index.js';
import { withGovernance } from '../../../adcp31/governance/index.js';
import { speaks31 } from '../../../adcp31/index.js';
import type { SalesContext, SalesRequest, SalesResult } from '../../adcp.js';
import { archivedIds, assignedCreatives, refuseArchived } from '../../creatives/assigned.js';
import { type PolicyGate, refuseUnfitCreated } from '../../creatives/provenance/package.js';
import type { MerchandisingDeps } from '../../deps.js';
import { parseProductId } from '../../products/product-ids.js';
import { refuseOutsideLists } from '../../property-lists/packages.js';
import {
  answerForward,
  awaitOperator,
  refusedEverywhere,
  type RequestTasks,
  resumeBuy,
} from '../create/answer.js';
import { groupPackages } from '../create/forward.js';
import { refusePastStart, refuseUnservablePackages } from '../create/package-terms.js';
import { type ProposalBuy, proposalBuyOf } from '../create/proposal-buy.js';
import { type Described, describedProduct, packagesAt } from '../describe/packages.js';
import { boundPackages, withPrices } from '../describe/quote.js';
import { refuseUnenforcedCaps } from '../frequency-caps.js';
import {
  keepInlineCreatives,
  type LibrarySync,
  refuseUnfitInline,
  sendsInlineCreatives,
} from '../inline-creatives.js';
import { forwardRecords } from '../source-writes.js';
import { given, type Step, type StepResult, type Writes } from './runner.js';

/*
 * create_media_buy's steps (the list, in order, is create/create.ts's `createSteps`; docs/buying.md
 * "The buy as steps" names each). Every step reads the buy as `CreateBuy`; what one finds for
 * later ones it sets on it.
 */

type Sources = Awaited<ReturnType<MerchandisingDeps['sources']['of']>>;
type Answer = SalesResult<'createMediaBuy'>;
type PackageRequest = NonNullable<SalesRequest<'createMediaBuy'>['packages']>[number];

/** One create_media_buy as its steps share it: the request, who asks, what earlier steps found. */
export interface CreateBuy {
  deps: MerchandisingDeps;
  tasks: RequestTasks;
  request: SalesRequest<'createMediaBuy'>;
  ctx: SalesContext;
  /** The storefront's sync_creatives, which keeps inline creatives (buys/inline-creatives.ts). */
  library: LibrarySync;
  storefront: StorefrontRow;
  principal: CustomerPrincipal;
  owner: { storefrontId: number; buyerCustomerId: number };
  /** The sandbox gate creative policies are checked under (creatives/provenance/package.ts). */
  gate: PolicyGate;
  /** The request as recorded and hashed for its idempotency key (no push config). */
  payload: Omit<SalesRequest<'createMediaBuy'>, 'push_notification_config'>;
  /** The buyer's packages, or the proposal's allocations as packages (set by `proposal`). */
  requested: PackageRequest[];
  proposal?: ProposalBuy;
  sources?: Sources;
  shownPackages?: Awaited<ReturnType<MerchandisingDeps['discoveryRuns']['packagesShown']>>;
  /** Packaged products split into their parts, when any package named one. */
  routed?: SourcePackage[];
  bySource?: ReturnType<typeof groupPackages>['bySource'];
  /** Each package at its binding price (describe/quote.ts). */
  bound?: SourcePackage[];
  /** The packages' products as their sources described them, once (describe/packages.ts). */
  described?: Described;
  /** Packages narrowed to the format options they chose (format-selector.ts), when any did. */
  narrowed?: PackageRequest[];
  governed?: GovernanceApproval;
  row?: MediaBuyRow;
}

export function refuseBadFlight({ request }: CreateBuy): void {
  const flight = flightProblem(request.start_time, request.end_time);
  if (flight) throw new InvalidRequestError('end_time', flight);
}

/** A sandbox controller directive: this buy stays a submitted task under the forced id. */
export function forcedTask({ deps, storefront, principal, ctx }: CreateBuy): StepResult<Answer> {
  const forced = deps.sandbox.takeForcedSubmitted(
    sandboxScope(storefront.id, principal.customerId),
  );
  if (!forced) return undefined;
  return {
    answer: ctx.handoffToTask(() => new Promise<never>(() => undefined), {
      ...(forced.taskId && { task_id: forced.taskId }),
    }),
  };
}

/** A proposal_id books the proposal's allocations as the buy's packages (proposal-buy.ts). */
export async function proposalPackages(buy: CreateBuy): Promise<void> {
  const { deps, storefront, principal, request } = buy;
  buy.proposal = await proposalBuyOf(deps.proposals, storefront.id, principal.customerId, request);
  buy.requested = buy.proposal?.packages ?? request.packages ?? [];
}

/** Each package to the source offering its product, or refused (no source, or not on sale). */
export async function routePackages(buy: CreateBuy): Promise<void> {
  const { deps, storefront, principal, requested } = buy;
  const sources = await deps.sources.of(storefront.id, principal.customerId);
  // Only ids no source claims can be packaged products; the common buy needs no lookup.
  const unrouted = groupPackages(requested, sources.sellable).missing;
  buy.shownPackages =
    unrouted.length === 0
      ? undefined
      : await deps.discoveryRuns.packagesShown(storefront.id, principal.customerId, unrouted);
  buy.routed = buy.shownPackages ? expandPackaged(requested, buy.shownPackages) : undefined;
  const { missing, bySource } = groupPackages(buy.routed ?? requested, sources.routable);
  if (missing.length > 0) throw productRefusal(missing[0]!, sources.withheld);
  buy.sources = sources;
  buy.bySource = bySource;
}

/**
 * An archived creative is withdrawn, and so is one its package's product policy refuses
 * (creatives/provenance/package.ts): either refuses the whole buy before it is recorded or queued.
 */
export async function refuseWithdrawnCreatives({ deps, owner, requested, gate }: CreateBuy) {
  const stored = await assignedCreatives(deps, owner, requested);
  refuseArchived(requested, archivedIds(stored));
  await refuseUnfitCreated(deps, requested, stored, gate);
}

/**
 * A retry whose first attempt died (or lost its sources' answers) resumes the buy it recorded: one
 * never forwarded is forwarded now (recorded writes, under the same keys).
 */
export const resumeEarlier: Step<CreateBuy, Answer> = {
  name: 'idempotent resume',
  records: forwardRecords,
  run: resumeEarlierBuy,
};

async function resumeEarlierBuy(buy: CreateBuy, writes: Writes): Promise<StepResult<Answer>> {
  const { deps, storefront, principal, request, payload } = buy;
  const earlier = await deps.mediaBuys.findByKey(
    storefront.id,
    principal.customerId,
    request.idempotency_key,
  );
  if (!earlier || refusedEverywhere(earlier)) return undefined;
  if (hashPayload(earlier.submittedPayload) !== hashPayload(payload)) {
    throw new AdcpError('IDEMPOTENCY_CONFLICT', {
      message:
        'idempotency_key was used earlier with a different canonical payload. Use a fresh UUID v4, or resend the exact original payload.',
      recovery: 'correctable',
    });
  }
  return { answer: await resumeBuy(deps, buy.tasks, earlier, buy.ctx, writes) };
}

/**
 * Each package at the price its buyer was shown, or refused before anything is booked; the
 * sources describe the packages' products once where the quote needs it (describe/).
 */
export async function describeAndQuote(buy: CreateBuy): Promise<void> {
  const { deps, storefront, principal, request } = buy;
  const quoted = await boundPackages(deps, storefront, principal.customerId, request, {
    packages: packagesAt(buy.requested, buy.shownPackages),
    sources: given(buy.sources, 'sources').routable,
    sandbox: buy.ctx.account.sandbox === true,
  });
  buy.bound = quoted.bound;
  buy.described = quoted.described;
}

/** AdCP 3.1: each package's goals, terms and format choices checked against its product. */
export async function refuseUnfitTerms(buy: CreateBuy): Promise<void> {
  if (!speaks31()) return;
  const { deps, requested, owner, request } = buy;
  const sources = given(buy.sources, 'sources').routable;
  // A package's chosen format options narrow what its source is asked for (format-selector.ts).
  // cast: the narrowed packages are the buyer's own, with only their format choices narrowed
  buy.narrowed = (await refuseUnservablePackages(
    deps,
    requested,
    sources,
    owner,
    request.account,
    given(buy.described, 'described'),
  )) as PackageRequest[] | undefined;
}

/** The buyer's governance agent decides before anything is recorded or sent (adcp31/governance). */
export async function askGovernance(buy: CreateBuy): Promise<void> {
  const { deps, owner, ctx, payload } = buy;
  buy.governed = await deps.governance?.check(
    { ...owner, accountId: ctx.account.ctx_metadata.accountId },
    { tool: 'create_media_buy', phase: 'purchase', payload },
  );
}

/** Creatives sent inline are kept in the buyer's library (and library sources) before the buy names them. */
export async function keepInline({ deps, library, requested, ctx, gate, request }: CreateBuy) {
  if (!sendsInlineCreatives(requested)) return;
  const { accountId, reference } = ctx.account.ctx_metadata;
  await keepInlineCreatives(
    deps,
    library,
    requested,
    { accountId, ...(reference && { reference }), sandbox: gate.sandbox },
    `inline-${request.idempotency_key}`,
  );
}

/**
 * The buy recorded (a buy reaching a source that holds for approval waits for the operator even
 * on `auto`; a sandbox account's buy there follows the storefront's own mode, as its order is
 * written unapproved and never serves: modules/ad-servers/booking/traffic.ts), its proposal
 * redeemed and its governance approval bound to it.
 */
export async function recordBuy(buy: CreateBuy): Promise<void> {
  const { deps, storefront, principal, request, payload, owner, ctx } = buy;
  const { routable } = given(buy.sources, 'sources');
  const bySource = given(buy.bySource, 'bySource');
  const bound = given(buy.bound, 'bound');
  const held =
    ctx.account.sandbox !== true &&
    routable.some((s) => s.holdsForApproval && bySource.has(s.source.sourceId));
  const productIds = buy.requested.map((pkg) => pkg.product_id);
  const row = await deps.mediaBuys.place(held ? { mediaBuyApproval: 'manual' } : storefront, {
    storefrontId: storefront.id,
    buyerCustomerId: principal.customerId,
    mediaBuyId: `mb_${randomBytes(12).toString('base64url')}`,
    accountId: ctx.account.ctx_metadata.accountId,
    idempotencyKey: request.idempotency_key,
    submittedPayload: payload,
    // The buy as submitted keeps its proposal_id; what is forwarded are the allocations.
    routedPackages: buy.routed ? bound : buy.narrowed ? withPrices(buy.narrowed, bound) : bound,
    discoveryRunId: await deps.discoveryRuns.latestShowing(
      storefront.id,
      principal.customerId,
      productIds,
    ),
  });
  if (buy.proposal) await deps.proposals?.redeemed(buy.proposal.codeIds, row.mediaBuyId);
  await deps.governance?.bind(
    { ...owner, accountId: row.accountId, mediaBuyId: row.mediaBuyId },
    buy.governed,
  );
  buy.row = row;
}

/**
 * A buy held for the operator is a task; any other is forwarded to its sources (recorded writes:
 * forward.ts, workflow/recorded.ts) and answered with what they said.
 */
export const handOffOrForward: Step<CreateBuy, Answer> = {
  name: 'hand off or forward',
  records: forwardRecords,
  async run(buy, writes) {
    const { deps, tasks, ctx } = buy;
    const row = given(buy.row, 'row');
    if (row.approvalStatus === 'pending') return { answer: awaitOperator(deps, tasks, row, ctx) };
    const answer = await answerForward(deps, tasks, row, ctx, writes);
    return { answer: withGovernance(answer, buy.governed) };
  },
};

// The checks with a line each (create/create.ts lists them as steps).
export const refusePastStartOf = ({ request }: CreateBuy) =>
  speaks31() ? refusePastStart(request.start_time) : undefined;
export const refuseCaps = (buy: CreateBuy) =>
  refuseUnenforcedCaps(
    buy.routed ?? buy.requested,
    given(buy.sources, 'sources').routable,
    'create',
  );
export const refuseOutsidePropertyLists = async (buy: CreateBuy) => {
  if (speaks31()) {
    const sources = given(buy.sources, 'sources').routable;
    const described = given(buy.described, 'described');
    await refuseOutsideLists(
      buy.deps,
      buy.requested,
      sources,
      { customerId: buy.principal.customerId, sandbox: buy.ctx.account.sandbox === true },
      (id) => describedProduct(described, id)?.product,
    );
  }
};
export const refuseUnfitInlineCreatives = async ({ deps, requested, gate }: CreateBuy) => {
  if (sendsInlineCreatives(requested)) {
    await refuseUnfitInline(deps, requested, (pkg) => pkg.product_id, gate);
  }
};

/**
 * Why a package's product cannot be bought: its source cannot sell now (readiness says so to the
 * seller; the buyer gets the source's id and the reason's code, never the seller's detail), or
 * no source of the storefront offers it.
 */
function productRefusal(
  productId: string,
  withheld: ReadonlyMap<string, SellingReason>,
): AdcpError {
  const owner = parseProductId(productId, [...withheld.keys()]);
  const reason = owner && withheld.get(owner.sourceId);
  if (owner && reason) {
    return new ProductUnavailableError(productId, {
      message: `Product ${productId} is not on sale now: its source ${owner.sourceId} cannot take buys (${reason.code}); ask get_products for what is offered`,
      details: { source_id: owner.sourceId, reason: reason.code },
    });
  }
  return new ProductNotFoundError(productId, {
    message: `Product ${productId} is not offered by this storefront (ask get_products for current ids)`,
  });
}
