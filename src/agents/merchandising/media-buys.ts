import { randomBytes } from 'node:crypto';
import {
  AdcpError,
  InvalidRequestError,
  MediaBuyNotFoundError,
  PackageNotFoundError,
  ProductNotFoundError,
} from '@adcp/sdk/server';
import type {
  CreateMediaBuyRequest,
  GetMediaBuyDeliveryRequest,
  GetMediaBuyDeliveryResponse,
  GetMediaBuysRequest,
  GetMediaBuysResponse,
  ProvidePerformanceFeedbackRequest,
  UpdateMediaBuyRequest,
} from '@adcp/sdk/types';
import {
  expandPackaged,
  flightProblem,
  type ForwardLeg,
  type ForwardSummary,
  type MediaBuyRow,
  type Package,
} from '../../modules/media-buys/index.js';
import { agentRequest, assertCallerMayTransact, callerPrincipal } from './caller.js';
import { defaultTransactBudgetMs, type MerchandisingDeps } from './deps.js';
import {
  forwardMediaBuy,
  groupPackages,
  inlineCreatives,
  withInlineCreatives,
  hasSubmittedLegs,
  upstreamIdempotencyKey,
} from './forwarding.js';
import { assignmentsAfter } from './package-creatives.js';
import { namespacedProductId, parseProductId } from './product-ids.js';
import { callSources, routableSources } from './sources.js';
import { creativeTransportOf } from './transport.js';
import { sandboxScope, sandboxSourceId } from './sandbox.js';
import type { BuyerAccount } from './upstream-account.js';
import type { DecisionWaiters } from './waiters.js';

type HandoffCtx = {
  handoffToTask<T>(
    fn: (task: { id: string }) => Promise<T>,
    options?: { task_id?: string },
  ): unknown;
};
/** Where a buy that is not settled at once waits: an operator's decision, or a source's task. */
export interface BuyTasks {
  waiters: DecisionWaiters;
  /** Follows up the tasks sources answered with (upstream-tasks.ts). */
  follow(row: MediaBuyRow): Promise<void>;
}
type WireBuy = GetMediaBuysResponse['media_buys'][number];
type Delivery = GetMediaBuyDeliveryResponse['media_buy_deliveries'][number];

const statusRank = [
  'pending_creatives',
  'pending_start',
  'active',
  'paused',
  'completed',
  'canceled',
  'rejected',
];

/**
 * create_media_buy through a storefront: every package must name a product an active source
 * offers; the buy is recorded, then either queued for the operator (mediaBuyApproval manual:
 * the buyer gets a task, completed on decision) or forwarded to its sources at once. A source
 * that takes its part as a task of its own makes the buyer's answer a task too (the submitted
 * arm), completed once the source settles it.
 */
export async function createMediaBuy(
  deps: MerchandisingDeps,
  { waiters, follow }: BuyTasks,
  request: CreateMediaBuyRequest,
  ctx: HandoffCtx & { account: { ctx_metadata: { accountId: string } } },
) {
  const { storefront } = agentRequest();
  const principal = assertCallerMayTransact(storefront.id);
  const flight = flightProblem(request.start_time, request.end_time);
  if (flight) throw new InvalidRequestError('end_time', flight);
  // A sandbox controller directive: this buy stays a submitted task under the forced id.
  const forced = deps.sandbox.takeForcedSubmitted(
    sandboxScope(storefront.id, principal.customerId),
  );
  if (forced) {
    return ctx.handoffToTask(() => new Promise<never>(() => undefined), {
      ...(forced.taskId && { task_id: forced.taskId }),
    });
  }
  const sources = routableSources(
    deps,
    await deps.inventorySources.rowsOf(storefront.id),
    storefront.id,
    principal.customerId,
  );
  const requested = request.packages ?? [];
  // Only ids no source claims can be packaged products; the common buy needs no lookup.
  const unrouted = groupPackages(
    requested,
    sources.filter((source) => source.sourceId !== sandboxSourceId),
  ).missing;
  const routed =
    unrouted.length === 0
      ? undefined
      : expandPackaged(
          requested,
          await deps.discoveryRuns.packagesShown(storefront.id, principal.customerId, unrouted),
        );
  const { missing } = groupPackages(routed ?? requested, sources);
  if (missing.length > 0) {
    throw new ProductNotFoundError(missing[0]!, {
      message: `Product ${missing[0]} is not offered by this storefront (ask get_products for current ids)`,
    });
  }
  const { push_notification_config: _push, ...payload } = request as CreateMediaBuyRequest & {
    push_notification_config?: unknown;
  };
  const productIds = (request.packages ?? []).map((pkg) => pkg.product_id);
  const row = await deps.mediaBuys.place(storefront, {
    storefrontId: storefront.id,
    buyerCustomerId: principal.customerId,
    mediaBuyId: `mb_${randomBytes(12).toString('base64url')}`,
    accountId: ctx.account.ctx_metadata.accountId,
    idempotencyKey: request.idempotency_key,
    submittedPayload: payload as Record<string, unknown>,
    routedPackages: (routed as Record<string, unknown>[] | undefined) ?? null,
    discoveryRunId: await deps.discoveryRuns.latestShowing(
      storefront.id,
      principal.customerId,
      productIds,
    ),
  });
  if (row.approvalStatus === 'pending') {
    return ctx.handoffToTask(async (task) => {
      await deps.mediaBuys.setTaskId(row, task.id);
      return waiters.wait<Record<string, unknown>>(row.mediaBuyId);
    });
  }
  const summary = await forwardMediaBuy(deps, row);
  const saved = await deps.mediaBuys.saveForward(row, summary);
  if (hasSubmittedLegs(summary)) {
    return ctx.handoffToTask(async (task) => {
      // Waiting before the follow-up is queued: its first look may settle the buy at once.
      const settled = waiters.wait<Record<string, unknown>>(row.mediaBuyId);
      await deps.mediaBuys.setTaskId(saved, task.id);
      await follow(saved);
      return settled;
    });
  }
  return createdResponse(saved, summary);
}

/** What create_media_buy (or its task, once approved) answers for a forwarded buy. */
export function createdResponse(row: MediaBuyRow, summary: ForwardSummary) {
  if (summary.outcome === 'all_failed' || summary.outcome === 'precondition_failed') {
    const first = summary.legs.find((leg) => leg.error)?.error;
    throw new AdcpError(first?.code ?? 'SERVICE_UNAVAILABLE', {
      message: summary.error ?? 'No inventory source accepted the media buy',
      details: { forward_result: summary.legs },
    });
  }
  const request = row.submittedPayload as unknown as CreateMediaBuyRequest;
  const routed = (row.routedPackages as typeof request.packages | null) ?? request.packages ?? [];
  const budgets = new Map(routed.map((pkg) => [pkg.product_id, pkg.budget]));
  const packages = summary.legs.flatMap((leg) =>
    (leg.packages ?? []).map((pkg) => ({
      package_id: pkg.packageId,
      product_id: pkg.productId,
      ...(budgets.get(pkg.productId) !== undefined && { budget: budgets.get(pkg.productId) }),
    })),
  );
  const hasCreatives = routed.every(
    (pkg) => ((pkg as { creative_assignments?: unknown[] }).creative_assignments ?? []).length > 0,
  );
  // The least advanced status any source answered; our own reading only when none said.
  const answered = summary.legs
    .flatMap((leg) => (leg.mediaBuyStatus ? [leg.mediaBuyStatus] : []))
    .sort((a, b) => statusRank.indexOf(a) - statusRank.indexOf(b))[0];
  return {
    media_buy_id: row.mediaBuyId,
    status: (answered ?? (hasCreatives ? 'active' : 'pending_creatives')) as 'active',
    packages,
    ...(summary.outcome === 'partial' && {
      errors: summary.legs
        .filter((leg) => leg.error)
        .map((leg) => ({
          code: leg.error!.code,
          message: `${leg.sourceId}: ${leg.error!.message}`,
          details: { source_id: leg.sourceId },
        })),
    }),
  };
}

/** The caller's forwarded buys on this storefront (pending or refused ones do not exist yet). */
async function forwardedBuys(deps: MerchandisingDeps, ids?: string[]) {
  const { storefront, principal } = agentRequest();
  const rows = await deps.mediaBuys.recordsOf(storefront.id, principal.customerId, ids);
  return rows.filter((row) => row.forwardResult?.some((leg) => leg.upstreamMediaBuyId));
}

/** One upstream call per source, carrying every upstream media buy id that source holds. */
async function perSource<T>(
  deps: MerchandisingDeps,
  rows: MediaBuyRow[],
  tool: string,
  argsFor: (
    upstreamIds: string[],
    legs: Array<{ row: MediaBuyRow; leg: ForwardLeg }>,
  ) => Record<string, unknown>,
) {
  const { storefront, principal } = agentRequest();
  const legsBySource = new Map<string, Array<{ row: MediaBuyRow; leg: ForwardLeg }>>();
  for (const row of rows) {
    for (const leg of row.forwardResult ?? []) {
      if (!leg.upstreamMediaBuyId) continue;
      legsBySource.set(leg.sourceId, [...(legsBySource.get(leg.sourceId) ?? []), { row, leg }]);
    }
  }
  const sources = routableSources(
    deps,
    await deps.inventorySources.rowsOf(storefront.id),
    storefront.id,
    principal.customerId,
  ).filter((s) => legsBySource.has(s.sourceId));
  const outcomes = await callSources<T>(deps, {
    sources,
    customerId: principal.customerId,
    tool,
    budgetMs: deps.transactBudgetMs ?? defaultTransactBudgetMs,
    argsFor: (source) => {
      const legs = legsBySource.get(source.sourceId) ?? [];
      return argsFor(
        legs.map(({ leg }) => leg.upstreamMediaBuyId!),
        legs,
      );
    },
    // Sources keep buys per account: ask with the account the buy was placed under, whatever
    // account reference the buyer names now (the storefront routes by its own record).
    accountFor: (source) =>
      (legsBySource.get(source.sourceId)?.[0]?.row.submittedPayload ?? {}) as BuyerAccount,
  });
  return { outcomes, legsBySource };
}

export async function getMediaBuys(
  deps: MerchandisingDeps,
  request: GetMediaBuysRequest,
): Promise<GetMediaBuysResponse> {
  const rows = await forwardedBuys(deps, request.media_buy_ids);
  const { outcomes } = await perSource<GetMediaBuysResponse>(
    deps,
    rows,
    'get_media_buys',
    (ids) => ({
      media_buy_ids: ids,
    }),
  );
  const upstream = new Map<string, WireBuy>();
  const errors = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) errors.push(outcome.error);
    else
      for (const buy of outcome.data.media_buys ?? [])
        upstream.set(`${outcome.source.sourceId}\n${buy.media_buy_id}`, buy);
  }
  const media_buys = rows.map((row): WireBuy => {
    const parts = (row.forwardResult ?? []).flatMap((leg) => {
      const buy = upstream.get(`${leg.sourceId}\n${leg.upstreamMediaBuyId}`);
      return buy ? [{ leg, buy }] : [];
    });
    const first = parts[0]?.buy;
    const status =
      parts
        .map((p) => p.buy.status)
        .sort((a, b) => statusRank.indexOf(a) - statusRank.indexOf(b))[0] ?? 'pending_start';
    return {
      ...(first ?? {}),
      media_buy_id: row.mediaBuyId,
      status,
      currency: first?.currency ?? 'USD',
      total_budget: parts.reduce((sum, p) => sum + (p.buy.total_budget ?? 0), 0),
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
      packages: parts.flatMap(({ leg, buy }) =>
        (buy.packages ?? []).map((pkg) => ({
          ...overlayOf(row, leg.sourceId, pkg),
          ...pkg,
          package_id: namespacedProductId(leg.sourceId, pkg.package_id),
          ...(pkg.product_id && { product_id: namespacedProductId(leg.sourceId, pkg.product_id) }),
        })),
      ),
    } as WireBuy;
  });
  return { media_buys, ...(errors.length > 0 && { errors }) } as GetMediaBuysResponse;
}

export async function updateMediaBuy(
  deps: MerchandisingDeps,
  mediaBuyId: string,
  patch: UpdateMediaBuyRequest,
) {
  const { row, outcomes } = await applyMediaBuyUpdate(deps, mediaBuyId, patch);
  const statuses = outcomes.flatMap((o) =>
    o.ok && typeof o.data['status'] === 'string' ? [o.data['status']] : [],
  );
  return {
    media_buy_id: row.mediaBuyId,
    ...(statuses[0] && {
      status: statuses.sort((a, b) => statusRank.indexOf(a) - statusRank.indexOf(b))[0],
    }),
  } as { media_buy_id: string; status?: 'active' };
}

/**
 * Sends an update of the caller's buy to the sources holding its packages and records what it
 * changed (overlays, creative assignments). Throws when every source refused; answers each
 * source's outcome (a partial failure is the caller's to report).
 */
export async function applyMediaBuyUpdate(
  deps: MerchandisingDeps,
  mediaBuyId: string,
  patch: UpdateMediaBuyRequest,
) {
  const { storefront } = agentRequest();
  const principal = assertCallerMayTransact(storefront.id);
  const [row] = await forwardedBuys(deps, [mediaBuyId]);
  if (!row) throw new MediaBuyNotFoundError(mediaBuyId);
  const known = new Set(
    (row.forwardResult ?? []).flatMap((leg) => (leg.packages ?? []).map((p) => p.packageId)),
  );
  for (const pkg of patch.packages ?? []) {
    const packageId = 'package_id' in pkg ? pkg.package_id : undefined;
    if (packageId && !known.has(packageId)) throw new PackageNotFoundError(packageId);
  }
  const {
    media_buy_id: _id,
    idempotency_key: key,
    packages,
    context: _c,
    ext: _e,
    // The buyer's webhook is the storefront's to call (as on create), never its sources'.
    push_notification_config: _push,
    ...common
  } = patch as UpdateMediaBuyRequest & {
    context?: unknown;
    ext?: unknown;
    push_notification_config?: unknown;
  };
  // Seed 003 transport on updates too: a source without a creative library gets the manifests
  // of newly assigned creatives inline, as on create.
  const sources = await deps.inventorySources.rowsOf(storefront.id);
  const inlineSources = new Set(
    sources.filter((s) => creativeTransportOf(s) === 'inline').map((s) => s.sourceId),
  );
  const manifests = await inlineCreatives(
    deps,
    row,
    (packages ?? []) as unknown as Package[],
    sources,
  );
  const { outcomes } = await perSource<Record<string, unknown>>(
    deps,
    [row],
    'update_media_buy',
    (ids, legs) => {
      const sourceId = legs[0]!.leg.sourceId;
      const own = (packages ?? []).flatMap((pkg) => {
        const parsed =
          'package_id' in pkg && pkg.package_id
            ? parseProductId(pkg.package_id, [sourceId])
            : undefined;
        if (!parsed) return [];
        const upstream = { ...pkg, package_id: parsed.upstreamProductId };
        if (!inlineSources.has(sourceId)) return [upstream];
        // The manifests go inline; the assignments stay too, since on an update they replace
        // the package's list (package-update.json) where `creatives` only adds: a creative
        // withdrawn from the package is left out of them.
        const assignments = (upstream as { creative_assignments?: unknown[] }).creative_assignments;
        return [
          {
            ...(withInlineCreatives(upstream as unknown as Package, manifests) as object),
            ...(assignments && { creative_assignments: assignments }),
          } as typeof upstream,
        ];
      });
      return {
        ...common,
        media_buy_id: ids[0],
        idempotency_key: upstreamIdempotencyKey(storefront.id, principal.customerId, key, sourceId),
        ...(own.length > 0 && { packages: own }),
      };
    },
  );
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === outcomes.length && failed[0] && !failed[0].ok) {
    const error = failed[0].error;
    throw new AdcpError(error.code, {
      message: error.message,
      ...(error.details && { details: error.details }),
    });
  }
  // What the packages now carry, so a creative the buyer archives can be taken off them.
  const assigned = assignmentsAfter(row, (packages ?? []) as never);
  if (Object.keys(assigned).length > 0) await deps.mediaBuys.setAssignments(row, assigned);
  const changed = (packages ?? []).filter(
    (pkg) => 'package_id' in pkg && (pkg as { targeting_overlay?: unknown }).targeting_overlay,
  );
  if (changed.length > 0) {
    const overlays = { ...row.targetingOverlays };
    for (const pkg of changed) {
      const packageId = (pkg as { package_id: string }).package_id;
      const overlay = (pkg as unknown as { targeting_overlay: Record<string, unknown> })
        .targeting_overlay;
      overlays[packageId] = { ...(currentOverlay(row, packageId) ?? {}), ...overlay };
    }
    await deps.mediaBuys.setOverlays(row, overlays);
  }
  return { row, outcomes };
}

export async function getMediaBuyDelivery(
  deps: MerchandisingDeps,
  request: GetMediaBuyDeliveryRequest,
): Promise<GetMediaBuyDeliveryResponse> {
  const rows = await forwardedBuys(deps, request.media_buy_ids);
  if (request.media_buy_ids?.length && rows.length === 0) {
    // The same answer for any unknown ids: which ids exist elsewhere does not leak.
    throw new AdcpError('MEDIA_BUY_NOT_FOUND', { message: 'No media buy with the requested ids' });
  }
  const { outcomes } = await perSource<GetMediaBuyDeliveryResponse>(
    deps,
    rows,
    'get_media_buy_delivery',
    (ids) => {
      const {
        media_buy_ids: _ids,
        context: _c,
        ext: _e,
        ...rest
      } = request as GetMediaBuyDeliveryRequest & { context?: unknown; ext?: unknown };
      return { ...rest, media_buy_ids: ids };
    },
  );
  const upstream = new Map<string, Delivery>();
  let period: GetMediaBuyDeliveryResponse['reporting_period'] | undefined;
  let currency = 'USD';
  const errors = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      errors.push(outcome.error);
      continue;
    }
    period ??= outcome.data.reporting_period;
    currency = outcome.data.currency ?? currency;
    for (const d of outcome.data.media_buy_deliveries ?? [])
      upstream.set(
        `${outcome.source.sourceId}\n${d.media_buy_id}`,
        withPackagePricing(d, outcome.data.currency ?? currency),
      );
  }
  const deliveries = rows.map((row): Delivery => {
    const parts = (row.forwardResult ?? []).flatMap((leg) => {
      const d = upstream.get(`${leg.sourceId}\n${leg.upstreamMediaBuyId}`);
      return d ? [{ leg, d }] : [];
    });
    const spend = round2(parts.reduce((sum, p) => sum + (p.d.totals?.spend ?? 0), 0));
    const impressions = parts.reduce((sum, p) => sum + (p.d.totals?.impressions ?? 0), 0);
    return {
      ...(parts[0]?.d ?? {}),
      media_buy_id: row.mediaBuyId,
      status: parts[0]?.d.status ?? 'pending_start',
      totals: {
        spend,
        impressions,
        ...(parts.some((p) => p.d.totals?.clicks !== undefined) && {
          clicks: parts.reduce((sum, p) => sum + (p.d.totals?.clicks ?? 0), 0),
        }),
      },
      by_package: parts.flatMap(({ leg, d }) =>
        (d.by_package ?? []).map((pkg) => ({
          ...pkg,
          package_id: namespacedProductId(leg.sourceId, pkg.package_id),
        })),
      ),
    } as Delivery;
  });
  for (const row of rows) {
    const delivery = deliveries.find((d) => d.media_buy_id === row.mediaBuyId);
    await deps.mediaBuys.event(row, 'delivery_reported', {
      spend: delivery?.totals.spend ?? 0,
      impressions: delivery?.totals.impressions ?? 0,
      // Seller analytics reports delivered spend in this currency (null when mixed).
      currency,
    });
  }
  const now = new Date().toISOString();
  return {
    reporting_period: period ?? { start: now, end: now },
    currency,
    aggregated_totals: {
      spend: round2(deliveries.reduce((sum, d) => sum + (d.totals.spend ?? 0), 0)),
      impressions: deliveries.reduce((sum, d) => sum + (d.totals.impressions ?? 0), 0),
      media_buy_count: deliveries.length,
    },
    media_buy_deliveries: deliveries,
    ...(errors.length > 0 && { errors }),
  } as GetMediaBuyDeliveryResponse;
}

/**
 * AdCP 3.0.6 requires each package row to name its pricing model, rate and currency; a source
 * that leaves them out (as @adcp/sdk's non-guaranteed example does) would make this agent's
 * whole answer invalid. Missing ones are filled with what the row itself shows: the currency of
 * the source's answer and the effective CPM it delivered at.
 */
function withPackagePricing(d: Delivery, currency: string): Delivery {
  return {
    ...d,
    by_package: (d.by_package ?? []).map((pkg) => ({
      ...pkg,
      pricing_model: pkg.pricing_model ?? 'cpm',
      rate: pkg.rate ?? (pkg.impressions ? round2(((pkg.spend ?? 0) / pkg.impressions) * 1000) : 0),
      currency: pkg.currency ?? currency,
    })),
  } as Delivery;
}

export async function providePerformanceFeedback(
  deps: MerchandisingDeps,
  request: ProvidePerformanceFeedbackRequest,
) {
  const principal = callerPrincipal();
  const [row] = await forwardedBuys(deps, [request.media_buy_id]);
  if (!row) throw new MediaBuyNotFoundError(request.media_buy_id);
  const {
    context: _c,
    ext: _e,
    ...rest
  } = request as ProvidePerformanceFeedbackRequest & { context?: unknown; ext?: unknown };
  await perSource(deps, [row], 'provide_performance_feedback', (ids, legs) => ({
    ...rest,
    media_buy_id: ids[0],
    idempotency_key: upstreamIdempotencyKey(
      row.storefrontId,
      principal.customerId,
      request.idempotency_key,
      legs[0]!.leg.sourceId,
    ),
  }));
  return { success: true as const };
}

/**
 * The targeting overlay the buyer sent for a package (property and collection list references
 * included), echoed on reads whether or not the source keeps it.
 */
/** A package's targeting overlay as it stands: changed by an update, else as created. */
function currentOverlay(row: MediaBuyRow, packageId: string): Record<string, unknown> | undefined {
  if (row.targetingOverlays[packageId]) return row.targetingOverlays[packageId];
  const productId = (row.forwardResult ?? [])
    .flatMap((leg) => leg.packages ?? [])
    .find((p) => p.packageId === packageId)?.productId;
  const packages = (row.routedPackages ?? row.submittedPayload['packages'] ?? []) as Array<{
    product_id: string;
    targeting_overlay?: Record<string, unknown>;
  }>;
  return packages.find((p) => p.product_id === productId)?.targeting_overlay;
}

function overlayOf(row: MediaBuyRow, sourceId: string, pkg: { package_id: string }) {
  const overlay = currentOverlay(row, namespacedProductId(sourceId, pkg.package_id));
  return overlay === undefined ? {} : { targeting_overlay: overlay };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
