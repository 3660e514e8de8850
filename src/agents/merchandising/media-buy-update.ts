import { AdcpError, MediaBuyNotFoundError, PackageNotFoundError } from '@adcp/sdk/server';
import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import type { Package } from '../../modules/media-buys/index.js';
import { leastAdvanced } from './buy-status.js';
import { agentRequest, assertCallerMayTransact } from './caller.js';
import type { MerchandisingDeps } from './deps.js';
import { forwardedBuys, perSource } from './forwarded-buys.js';
import {
  archivedIds,
  assignedCreatives,
  manifestsOf,
  refuseArchived,
} from './assigned-creatives.js';
import { upstreamIdempotencyKey, withInlineCreatives } from './forwarding.js';
import { assignmentsAfter } from './package-creatives.js';
import { currentOverlay } from './package-overlays.js';
import { parseProductId } from './product-ids.js';
import { creativeTransportOf } from './transport.js';
import { recordedCalls, resumeSourceWrites, settleOutcomes, updateKind } from './source-writes.js';

/** update_media_buy: the buyer's answer, with the least advanced status the sources gave. */
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
      status: leastAdvanced(statuses),
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
  const stored = await assignedCreatives(deps, row, packages ?? []);
  // An archived creative is withdrawn: refused before any source is asked.
  refuseArchived(packages ?? [], archivedIds(stored));
  const manifests = manifestsOf(stored);
  // An earlier update whose answer was lost is established first; this one is recorded.
  await resumeSourceWrites(deps, row);
  const writes = recordedCalls(deps, row, updateKind, 'update_media_buy');
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
    writes,
  );
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === outcomes.length && failed[0] && !failed[0].ok) {
    await settleOutcomes(deps, writes.intents, outcomes);
    const error = failed[0].error;
    throw new AdcpError(error.code, {
      message: error.message,
      ...(error.details && { details: error.details }),
    });
  }
  // The status each source answered, so a withdrawal later skips a part the buyer canceled.
  const answered = Object.fromEntries(
    outcomes.flatMap((o) =>
      o.ok && typeof o.data['status'] === 'string' ? [[o.source.sourceId, o.data['status']]] : [],
    ),
  );
  if (Object.keys(answered).length > 0) await deps.mediaBuys.setLegStatuses(row, answered);
  // What the packages now carry, so a creative the buyer archives can be taken off them: only
  // the packages whose source took the update (one that refused still carries the old list).
  const tookIt = outcomes.flatMap((o) => (o.ok ? [o.source.sourceId] : []));
  const applied = (packages ?? []).filter(
    (pkg) =>
      'package_id' in pkg &&
      typeof pkg.package_id === 'string' &&
      parseProductId(pkg.package_id, tookIt) !== undefined,
  );
  const assigned = assignmentsAfter(row, applied as never);
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
  // What the sources took is recorded: their writes are done (one whose answer was lost is
  // left to recovery).
  await settleOutcomes(deps, writes.intents, outcomes);
  return { row, outcomes };
}
