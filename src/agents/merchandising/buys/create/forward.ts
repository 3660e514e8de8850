import type { CreateMediaBuyResponse, CreativeAsset } from '@adcp/sdk/types';
import type { InventorySource } from '../../../../modules/inventory-sources/index.js';
import { idempotencyDigest } from '../../../../platform/crypto/idempotency-digest.js';
import { isRecord } from '../../../../platform/is-record.js';
import {
  type ForwardLeg,
  type ForwardSummary,
  flightStartOf,
  type MediaBuyRow,
  type Package,
  routePackages,
  type SubmittedBuy,
} from '../../../../modules/orders/index.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from '../../deps.js';
import { namespacedProductId, parseProductId } from '../../products/product-ids.js';
import { routingOf } from '../package-creatives.js';
import { answeredStatus } from '../reads/status.js';
import { askEach, type SourceOutcome } from '../../../../sources/fan-out.js';
import { buySubject, sourceVerdict, unknownLeg } from '../source-writes.js';
import type { Writes } from '../workflow/runner.js';
import { inlineAsAssigned } from '../inline-creatives.js';
import { sandboxAccountPrefix } from '../../accounts/ids.js';
import {
  archivedIds,
  assignedCreatives,
  manifestsOf,
  withoutArchived,
} from '../../creatives/assigned.js';

/** A storefront package id: the source's id for the package, namespaced like product ids. */
export const storefrontPackageId = (sourceId: string, upstreamPackageId: string) =>
  namespacedProductId(sourceId, upstreamPackageId);

/**
 * The idempotency key a source sees for the storefront's part of a buyer's request: derived
 * from the storefront, the buyer, the buyer's own key and the source, so a buyer's retry
 * reaches the source with the same key, and two buyers (or storefronts) never share one.
 */
export function upstreamIdempotencyKey(
  storefrontId: number,
  customerId: number,
  buyerKey: string,
  sourceId: string,
): string {
  const digest = idempotencyDigest(`${storefrontId}\n${customerId}\n${buyerKey}\n${sourceId}`, 40);
  return `sf${storefrontId}.${digest}`;
}

/**
 * Sends a recorded buy to its sources, each source's request a recorded write (`writes`, from a
 * step declaring `forwardRecords`), then keeps what they said on the buy (`save`: its legs) and
 * tells the runner so, which settles the writes by those legs. Its packages are grouped by the
 * source their product belongs to, each group as one create_media_buy with the source's own
 * product ids; a source without a creative library gets the manifests of assigned creatives inline.
 */
export async function forwardMediaBuy(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  writes: Writes,
  save: (summary: ForwardSummary) => Promise<MediaBuyRow>,
): Promise<{ summary: ForwardSummary; saved: MediaBuyRow }> {
  const sent = writes.about(deps, buySubject(row));
  const summary = await sendBuy(deps, row, sent.send);
  const saved = await save(summary);
  sent.kept(summary.legs);
  return { summary, saved };
}

/** The buy's create_media_buy to each of its sources, each through `send` (a recorded write). */
async function sendBuy(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  send: ReturnType<Writes['about']>['send'],
): Promise<ForwardSummary> {
  const request = row.submittedPayload;
  const { routable: sources } = await deps.sources.of(row.storefrontId, row.buyerCustomerId);
  // Creatives the buyer sent inline are in its library now: assigned like any other.
  const submitted = inlineAsAssigned(row.routedPackages ?? request.packages ?? []);
  const assigned = await assignedCreatives(deps, row, submitted);
  // A creative the buyer archived while the buy waited for the operator's approval goes
  // nowhere with it: the archive took it off the buyer's forwarded buys only, and the buy as
  // submitted stays the operator's record of what was asked.
  const packages = withoutArchived(submitted, archivedIds(assigned));
  const groups = groupPackages(packages, sources);
  if (groups.missing.length > 0) {
    return {
      outcome: 'precondition_failed',
      legs: [],
      error: `Products no longer offered by an active source: ${groups.missing.join(', ')}`,
    };
  }
  const involved = sources.filter((port) => groups.bySource.has(port.source.sourceId));
  const byId = manifestsOf(assigned);
  const {
    account: _account,
    push_notification_config: _push,
    context: _context,
    ext: _ext,
    packages: _packages,
    // A proposal is this storefront's own: its sources get the packages it became, not its id
    // or the buy's total (each source books only its own packages).
    proposal_id: proposalId,
    total_budget: totalBudget,
    // A source is sent a date, never `asap`: the start the storefront resolved (lifecycle.ts).
    start_time: startAsked,
    ...rest
  } = request as SubmittedBuy & { push_notification_config?: unknown };
  const common = {
    ...(proposalId === undefined && totalBudget ? { ...rest, total_budget: totalBudget } : rest),
    start_time: flightStartOf(row) ?? startAsked,
  };
  const call = {
    customerId: row.buyerCustomerId,
    account: request,
    budgetMs: deps.transactBudgetMs ?? defaultTransactBudgetMs,
    // A sandbox account's buy (its id is one only sandbox accounts get: accounts/ids.ts) books
    // the buyer's seeded products where a source holds them.
    sandbox: row.accountId.startsWith(sandboxAccountPrefix),
  };
  // Each source's request is recorded before it is sent (workflow/recorded.ts).
  // A source may take the buy as a task (IO signing, batch); it is followed up (source-tasks.ts).
  const outcomes = await askEach<CreateMediaBuyResponse>(involved, (port) => {
    const asked = {
      ...common,
      idempotency_key: upstreamIdempotencyKey(
        row.storefrontId,
        row.buyerCustomerId,
        row.idempotencyKey,
        port.source.sourceId,
      ),
      packages: (groups.bySource.get(port.source.sourceId) ?? []).map((pkg) =>
        port.creativeTransport === 'inline' ? withInlineCreatives(pkg, byId) : pkg,
      ),
    };
    return send(port, asked, () => port.createMediaBuy(asked, call));
  });
  return summaryOf(outcomes.map((outcome) => legOfOutcome(outcome.source.sourceId, outcome)));
}

/**
 * A source's leg of a forward from its outcome: booked (with the account it was asked with, for
 * follow-ups), taken as a task, refused, or `unknown` when its answer was lost.
 */
export function legOfOutcome(
  sourceId: string,
  outcome: SourceOutcome<CreateMediaBuyResponse | Record<string, unknown>>,
): ForwardLeg {
  if (!outcome.ok) {
    if (sourceVerdict(outcome).kind === 'unknown') return unknownLeg(sourceId, outcome.error);
    const field = refusedField(outcome.error);
    const details = refusedDetails(outcome.error);
    return {
      sourceId,
      status: 'failed',
      error: {
        code: outcome.error.code,
        message: outcome.error.message,
        ...(field && { field }),
        ...(details && { details }),
      },
    };
  }
  // The account goes on the leg: follow-ups ask the source with exactly it.
  const account = outcome.account && { account: { ...outcome.account } };
  if (outcome.task) {
    return { sourceId, status: 'submitted', upstreamTaskId: outcome.task.taskId, ...account };
  }
  return { ...legOfAnswer(sourceId, outcome.data), ...account };
}

/** The field a source's refusal names (its own AdCP error.field, as errors.ts passes it on). */
function refusedField(error: { field?: unknown; details?: unknown }): string | undefined {
  if (typeof error.field === 'string') return error.field;
  const details = isRecord(error.details) ? error.details : {};
  const upstream = isRecord(details['upstream_error']) ? details['upstream_error'] : {};
  return typeof upstream['field'] === 'string' ? upstream['field'] : undefined;
}

/**
 * The details a source's refusal gave (a kind of ours: its own; an agent: what it said, as
 * errors.ts scrubbed it), without the storefront's own labels of the source.
 */
function refusedDetails(error: { details?: unknown }): Record<string, unknown> | undefined {
  if (!isRecord(error.details)) return undefined;
  const { source_id: _id, source_name: _name, reason: _reason, ...rest } = error.details;
  const upstream = isRecord(rest['upstream_error']) ? rest['upstream_error'] : undefined;
  const own = upstream && isRecord(upstream['details']) ? upstream['details'] : {};
  const { upstream_error: _upstream, ...details } = { ...own, ...rest };
  return Object.keys(details).length > 0 ? details : undefined;
}

/** A leg from a source's create_media_buy answer (given at once, or as its task's result). */
export function legOfAnswer(sourceId: string, data: unknown): ForwardLeg {
  const answer = (data ?? {}) as {
    media_buy_id?: string;
    valid_actions?: unknown;
    packages?: Array<{ package_id: string; product_id?: string }>;
    errors?: Array<{ code: string; message: string }>;
  };
  if (!answer.media_buy_id) {
    const error = answer.errors?.[0];
    return {
      sourceId,
      status: 'failed',
      error: {
        code: error?.code ?? 'SERVICE_UNAVAILABLE',
        message: error?.message ?? 'The source answered without a media_buy_id',
      },
    };
  }
  const status = answeredStatus(answer);
  return {
    sourceId,
    status: 'completed',
    upstreamMediaBuyId: answer.media_buy_id,
    ...(status !== undefined && { mediaBuyStatus: status }),
    ...(Array.isArray(answer.valid_actions) && {
      validActions: answer.valid_actions.filter((a): a is string => typeof a === 'string'),
    }),
    packages: (answer.packages ?? []).map((pkg) => ({
      packageId: storefrontPackageId(sourceId, pkg.package_id),
      upstreamPackageId: pkg.package_id,
      productId: namespacedProductId(sourceId, pkg.product_id ?? ''),
    })),
  };
}

/**
 * The summary of a buy's legs. Submitted legs count as neither failed nor completed: while
 * any is left, the buy is not settled (hasSubmittedLegs).
 */
export function summaryOf(legs: ForwardLeg[]): ForwardSummary {
  const failed = legs.filter((leg) => leg.status === 'failed');
  // A leg in doubt is neither: the forward is not complete until it is established.
  const outcome =
    failed.length === 0 && !legs.some((leg) => leg.status === 'unknown')
      ? 'all_completed'
      : failed.length === legs.length
        ? 'all_failed'
        : 'partial';
  return {
    outcome,
    legs,
    error:
      failed.length === 0
        ? null
        : failed
            .map((leg) => `${leg.sourceId}: ${leg.error?.code} ${leg.error?.message}`)
            .join('; '),
  };
}

/** True while a source still holds part of the buy as a task of its own. */
export const hasSubmittedLegs = (summary: ForwardSummary) =>
  summary.legs.some((leg) => leg.status === 'submitted');

/** True while the outcome of a source's part is being established (its answer was lost). */
export const hasUnknownLegs = (summary: Pick<ForwardSummary, 'legs'>) =>
  summary.legs.some((leg) => leg.status === 'unknown');

/** A buy's packages by source, parsed with the storefront's product ids (media-buys rule). */
export const groupPackages = (packages: Package[], sources: InventorySource[]) => {
  const sourceIds = sources.map((port) => port.source.sourceId);

  return routePackages(packages, (productId) => parseProductId(productId, sourceIds));
};

/**
 * Inline transport: assigned creatives' manifests travel on the package itself, each with its
 * assignment's weight and placements (creative-asset.json `weight`: "delivery weight for
 * creative rotation when uploading via create_media_buy or update_media_buy").
 */
export function withInlineCreatives<P extends CarriesCreatives>(
  pkg: P,
  creatives: Map<string, CreativeAsset>,
): Omit<P, 'creative_assignments'> & Pick<CarriesCreatives, 'creatives'> {
  const assignments = pkg.creative_assignments;
  if (!assignments?.length) return pkg;
  const inline = assignments.flatMap((assignment) => {
    const creative = creatives.get(assignment.creative_id);
    return creative ? [{ ...creative, ...routingOf(assignment) }] : [];
  });
  const { creative_assignments: _assignments, ...rest } = pkg;
  return { ...rest, creatives: inline };
}

/** A package (of a create or an update) as far as its creatives go. */
type CarriesCreatives = {
  creative_assignments?: Array<{ creative_id: string } & Parameters<typeof routingOf>[0]>;
  creatives?: CreativeAsset[];
};
