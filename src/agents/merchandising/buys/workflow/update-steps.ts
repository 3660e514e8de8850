import { MediaBuyNotFoundError, PackageNotFoundError } from '@adcp/sdk/server';
import type { UpdateMediaBuyRequest, UpdateMediaBuyResponse } from '@adcp/sdk/types';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import type { StorefrontRow } from '../../../../modules/storefronts/index.js';
import { isRecord } from '../../../../platform/is-record.js';
import type { CustomerPrincipal } from '../../../../platform/principal.js';
import type { SourceOutcome } from '../../../../sources/fan-out.js';
import {
  archivedIds,
  assignedCreatives,
  manifestsOf,
  refuseArchived,
} from '../../creatives/assigned.js';
import { type PolicyGate, refuseUnfitAssignments } from '../../creatives/provenance/package.js';
import type { MerchandisingDeps } from '../../deps.js';
import { parseProductId } from '../../products/product-ids.js';
import { upstreamIdempotencyKey, withInlineCreatives } from '../create/forward.js';
import { forwardedBuys, perSource } from '../forwarded-buys.js';
import { refuseUnenforcedCaps } from '../frequency-caps.js';
import type { LibrarySync } from '../inline-creatives.js';
import { assignmentsAfter } from '../package-creatives.js';
import { recordOverlays } from '../package-overlays.js';
import { answeredStatus } from '../reads/status.js';
import { buySubject, keptOutcomes, resumeSourceWrites, updateRecords } from '../source-writes.js';
import { type Untaken, untakenParts } from '../update/partial.js';
import { type HeldPackages, readBack } from '../update/read-back.js';
import { refusedUpdate, refuseNewPackages } from '../update/refusals.js';
import { updateStartOf } from '../update/start-time.js';
import { changedSources, isBuyWide } from '../update/changed-sources.js';
import { withInlineAssigned } from '../update/inline.js';
import { given, type Step, type StepResult, type Writes } from './runner.js';
import type { SubjectWrites } from './recorded.js';

/*
 * update_media_buy's steps (the list, in order, is update/update.ts's `updateSteps`;
 * docs/buying.md "The buy as steps" names each). The buyer's own update, and the creative
 * assignments sync_creatives and a creative's withdrawal make, run them all.
 */

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/** What an update did: the buy, each source's outcome, what was read back and what not taken. */
export interface AppliedUpdate {
  row: MediaBuyRow;
  outcomes: SourceOutcome<UpdateMediaBuyResponse>[];
  held: HeldPackages | undefined;
  untaken: Untaken[];
}

/** One update as its steps share it: the patch, who asks, and what earlier steps found. */
export interface UpdateBuy {
  deps: MerchandisingDeps;
  mediaBuyId: string;
  /** The account is the storefront's to name at each source (as placed), never the buyer's. */
  patch: Omit<UpdateMediaBuyRequest, 'account'>;
  /** Given: creatives newly assigned are checked against their package's product policy. */
  policy: PolicyGate | undefined;
  /** The storefront's sync_creatives, where the update may carry inline creatives. */
  library: LibrarySync | undefined;
  /** Read the named packages back from the sources that took it (a budget change always is). */
  wantsHeld: boolean;
  storefront: StorefrontRow;
  principal: CustomerPrincipal;
  /** The patch's packages as the buyer sent them. */
  packages: PackageUpdate[];
  row?: MediaBuyRow;
  /** The buy-level fields each source is sent (a buy-level `asap` as one instant). */
  common?: Record<string, unknown>;
  /** The creatives the packages assign, as stored (set by `refuse withdrawn creatives`). */
  asked?: Awaited<ReturnType<typeof assignedCreatives>>;
  /** The packages as sent (inline creatives taken in), and each one's inline creatives. */
  sent?: PackageUpdate[];
  inline?: Record<string, string[]>;
  manifests?: ReturnType<typeof manifestsOf>;
  writes?: SubjectWrites;
  outcomes?: SourceOutcome<UpdateMediaBuyResponse>[];
  /** The sources that took the update. */
  tookIt?: string[];
  held?: HeldPackages;
}

/** The caller's own forwarded buy, or MEDIA_BUY_NOT_FOUND. */
export async function findBuy(update: UpdateBuy): Promise<void> {
  const [row] = await forwardedBuys(update.deps, [update.mediaBuyId]);
  if (!row) throw new MediaBuyNotFoundError(update.mediaBuyId);
  update.row = row;
}

/** No new packages on an update, and every package named is one of the buy's. */
export function refuseUnknownPackages({ patch, row }: UpdateBuy): void {
  refuseNewPackages(patch);
  const known = new Set(
    (given(row, 'row').forwardResult ?? []).flatMap((leg) =>
      (leg.packages ?? []).map((p) => p.packageId),
    ),
  );
  for (const pkg of patch.packages ?? []) {
    const packageId = 'package_id' in pkg ? pkg.package_id : undefined;
    if (packageId && !known.has(packageId)) throw new PackageNotFoundError(packageId);
  }
}

/** A cap change its package's source cannot enforce is refused before any source is asked. */
export async function refuseCaps({ deps, patch, storefront, principal }: UpdateBuy) {
  if (patch.packages?.some((pkg) => isRecord(pkg.targeting_overlay?.frequency_cap))) {
    const { routable } = await deps.sources.of(storefront.id, principal.customerId);
    refuseUnenforcedCaps(patch.packages, routable, 'update');
  }
}

/** A buy-level `asap` reaches the sources as one instant, the same on a retry (start-time.ts). */
export async function startTime(update: UpdateBuy): Promise<void> {
  const {
    media_buy_id: _id,
    idempotency_key: key,
    packages: _packages,
    start_time: startAsked,
    context: _c,
    ext: _e,
    // The buyer's webhook is the storefront's to call (as on create), never its sources'.
    push_notification_config: _push,
    ...rest
  } = update.patch;
  const start = await updateStartOf(update.deps, given(update.row, 'row'), startAsked, key);
  update.common = { ...rest, ...(start !== undefined && { start_time: start }) };
}

/** An archived creative is withdrawn, and one its package's product policy refuses: refused. */
export async function refuseWithdrawnCreatives(update: UpdateBuy): Promise<void> {
  const { deps, packages, policy } = update;
  const row = given(update.row, 'row');
  const asked = await assignedCreatives(deps, row, packages);
  refuseArchived(packages, archivedIds(asked));
  if (policy) await refuseUnfitAssignments(deps, row, packages, asked, policy);
  update.asked = asked;
}

/** Creatives sent inline: checked, kept in the buyer's library, then assigned (inline-creatives.ts). */
export async function takeInlineCreatives(update: UpdateBuy): Promise<void> {
  const { deps, packages, policy, library } = update;
  const row = given(update.row, 'row');
  const key = update.patch.idempotency_key;
  const { sent, inline } = await withInlineAssigned(deps, row, packages, key, policy, library);
  const stored =
    sent === packages ? given(update.asked, 'asked') : await assignedCreatives(deps, row, sent);
  update.sent = sent;
  update.inline = inline;
  update.manifests = manifestsOf(stored);
}

/** An earlier update whose answer was lost is established first (source-writes.ts). */
export const resumeEarlierWrites = (update: UpdateBuy) =>
  resumeSourceWrites(update.deps, given(update.row, 'row'));

/**
 * The update sent to each source it changes anything at, each as a recorded write
 * (workflow/recorded.ts: recorded before it is sent, settled by its outcome when the update
 * ends). Every source refusing it keeps those refusals and refuses the update with the first.
 */
export const sendToSources: Step<UpdateBuy, AppliedUpdate> = {
  name: 'send to sources',
  records: updateRecords,
  run: sendUpdate,
};

async function sendUpdate(update: UpdateBuy, recorded: Writes): Promise<void> {
  const { deps, storefront, principal } = update;
  const row = given(update.row, 'row');
  const sent = given(update.sent, 'sent');
  const common = given(update.common, 'common');
  const manifests = given(update.manifests, 'manifests');
  const key = update.patch.idempotency_key;
  const writes = recorded.about(deps, buySubject(row));
  update.writes = writes;
  const { outcomes } = await perSource<UpdateMediaBuyResponse>(
    deps,
    [row],
    (port, ids, _legs, call) => {
      const sourceId = port.source.sourceId;
      const own = sent.flatMap((pkg): PackageUpdate[] => {
        const parsed = pkg.package_id ? parseProductId(pkg.package_id, [sourceId]) : undefined;
        if (!parsed) return [];
        const upstream = { ...pkg, package_id: parsed.upstreamProductId };
        // Seed 003 transport on updates too: a source without a creative library gets the
        // manifests of newly assigned creatives inline, as on create.
        if (port.creativeTransport !== 'inline') return [upstream];
        // The manifests go inline; the assignments stay too, since on an update they replace
        // the package's list (package-update.json) where `creatives` only adds: a creative
        // withdrawn from the package is left out of them.
        const assignments = upstream.creative_assignments;
        return [
          {
            ...withInlineCreatives(upstream, manifests),
            ...(assignments && { creative_assignments: assignments }),
          },
        ];
      });
      const asked = {
        ...common,
        media_buy_id: ids[0]!,
        idempotency_key: upstreamIdempotencyKey(storefront.id, principal.customerId, key, sourceId),
        ...(own.length > 0 && { packages: own }),
      };
      return writes.send(port, asked, () => port.updateMediaBuy(asked, call));
    },
    changedSources(common, sent),
  );
  update.outcomes = outcomes;
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === outcomes.length && failed[0] && !failed[0].ok) {
    writes.kept(keptOutcomes(outcomes));
    const refused = failed[0];
    const sourceId = refused.source.sourceId;
    throw refusedUpdate(refused.error, sent, (id) => parseProductId(id, [sourceId]) !== undefined);
  }
  update.tookIt = outcomes.flatMap((o) => (o.ok ? [o.source.sourceId] : []));
}

/**
 * What the sources took, recorded: each source's answered status (a withdrawal later skips a part
 * the buyer canceled), the packages' creatives (only where their source took the update: one that
 * refused still carries the old list) and their overlays.
 */
export async function recordWhatTook(update: UpdateBuy): Promise<void> {
  const { deps, packages } = update;
  const row = given(update.row, 'row');
  const outcomes = given(update.outcomes, 'outcomes');
  const tookIt = given(update.tookIt, 'tookIt');
  const inline = given(update.inline, 'inline');
  const answered = Object.fromEntries(
    outcomes.flatMap((o) => {
      const status = o.ok ? answeredStatus(o.data) : undefined;
      return status ? [[o.source.sourceId, status]] : [];
    }),
  );
  if (Object.keys(answered).length > 0) await deps.mediaBuys.setLegStatuses(row, answered);
  const applied = given(update.sent, 'sent').filter(
    (pkg) =>
      typeof pkg.package_id === 'string' && parseProductId(pkg.package_id, tookIt) !== undefined,
  );
  const assigned = assignmentsAfter(row, applied);
  const tookInline = Object.fromEntries(
    applied.flatMap((pkg) =>
      inline[pkg.package_id] ? [[pkg.package_id, inline[pkg.package_id]!]] : [],
    ),
  );
  if (Object.keys(assigned).length > 0) {
    await deps.mediaBuys.setAssignments(row, assigned, tookInline);
  }
  // Only where the source took it: a refused package keeps the overlay its seller holds.
  await recordOverlays(deps, row, packages, tookIt);
}

/** The named packages as the sources that took the update now hold them (read-back.ts). */
export async function readBackHeld(update: UpdateBuy): Promise<void> {
  const tookIt = given(update.tookIt, 'tookIt');
  const sent = given(update.sent, 'sent');
  if (tookIt.length > 0 && (update.wantsHeld || sent.some((pkg) => pkg.budget !== undefined))) {
    update.held = await readBack(update.deps, given(update.row, 'row'), sent, tookIt);
  }
}

/**
 * What the sources took is recorded: their writes settle by it when the update ends (the runner:
 * workflow/recorded.ts; a lost answer is recovery's).
 */
export const settleWrites = (update: UpdateBuy) =>
  given(update.writes, 'writes').kept(keptOutcomes(given(update.outcomes, 'outcomes')));

/** What another source did not take (the buyer's to be told: partial.ts); nothing is undone. */
export function answerUpdate(update: UpdateBuy): StepResult<AppliedUpdate> {
  const row = given(update.row, 'row');
  const sent = given(update.sent, 'sent');
  const outcomes = given(update.outcomes, 'outcomes');
  const untaken = untakenParts(row, sent, isBuyWide(given(update.common, 'common')), outcomes);
  return { answer: { row, outcomes, held: update.held, untaken } };
}
