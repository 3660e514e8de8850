import { MediaBuyNotFoundError, PackageNotFoundError } from '@adcp/sdk/server';
import type {
  GetMediaBuysRequest,
  MediaBuyStatus,
  UpdateMediaBuyRequest,
  UpdateMediaBuyResponse,
  UpdateMediaBuySuccess,
} from '@adcp/sdk/types';
import { answeredStatus, leastAdvanced, validActionsOf } from '../reads/status.js';
import { agentRequest, assertCallerMayTransact } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { forwardedBuys, perSource } from '../forwarded-buys.js';
import {
  archivedIds,
  assignedCreatives,
  manifestsOf,
  refuseArchived,
} from '../../creatives/assigned.js';
import { upstreamIdempotencyKey, withInlineCreatives } from '../create/forward.js';
import { assignmentsAfter } from '../package-creatives.js';
import { recordOverlays } from '../package-overlays.js';
import { parseProductId } from '../../products/product-ids.js';
import {
  buySubject,
  recordedWrites,
  resumeSourceWrites,
  settleOutcomes,
  updateKind,
} from '../source-writes.js';

import { speaks31 } from '../../../adcp31/index.js';
import { availableActionsOf, type ReadBuy, refuseUnavailableAction } from '../reads/actions31.js';
import { getMediaBuys } from '../reads/reads.js';
import { buyActionTemplate, productIdsOf } from '../reads/buy-template.js';
import { affectedPackages, unconfirmedAdvisories } from './affected-packages.js';
import { partialAdvisories, untakenParts } from './partial.js';
import { readBack } from './read-back.js';
import { refusedUpdate, refuseFormatSelectors, refuseNewPackages } from './refusals.js';
import { updateStartOf } from './start-time.js';
import { submittedPackageOf } from '../submitted-package.js';
import { refuseUnfitChosenCreatives } from '../create/package-terms.js';
import { refuseUnenforcedCaps } from '../frequency-caps.js';
import { isRecord } from '../../../../platform/is-record.js';
import {
  type PolicyGate,
  productOfPackage,
  refuseUnfitAssignments,
} from '../../creatives/package-provenance.js';
import {
  inlineUpdate,
  keepInlineCreatives,
  type LibrarySync,
  refuseInlineUnsupported,
  refuseUnfitInline,
  sendsInlineCreatives,
} from '../inline-creatives.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { sandboxScope } from '../../../../sources/sandbox.js';

type PackageUpdate = NonNullable<UpdateMediaBuyRequest['packages']>[number];

/** update_media_buy: the buyer's answer, with the least advanced status the sources gave. */
export async function updateMediaBuy(
  deps: MerchandisingDeps,
  mediaBuyId: string,
  patch: UpdateMediaBuyRequest,
  account: { sandbox: boolean },
  library: LibrarySync,
): Promise<UpdateMediaBuySuccess> {
  const v31 = speaks31();
  if (v31) refuseFormatSelectors(patch.packages ?? []);
  if (v31) await refuseUnopened(deps, mediaBuyId, patch);
  // A change of a governed buy is its governance agent's to decide first (adcp31/governance).
  const { storefront, principal } = agentRequest();
  const buy = { storefrontId: storefront.id, buyerCustomerId: principal.customerId, mediaBuyId };
  await deps.governance?.checkUpdate(buy, { ...patch });
  // A creative newly put on a package meets that package's product's policy (package-provenance.ts).
  const policy = { ...account, scope: sandboxScope(storefront.id, principal.customerId) };
  const wantsHeld = v31 && (patch.packages?.length ?? 0) > 0;
  const applied = await applyMediaBuyUpdate(deps, mediaBuyId, patch, policy, library, wantsHeld);
  const { row, outcomes, held, untaken } = applied;
  // AdCP 3.1: the packages the update named, as they now stand (re-read: the update recorded
  // them), as their sources hold them (read back), and what the read-back could not confirm.
  const updated = wantsHeld ? ((await forwardedBuys(deps, [mediaBuyId]))[0] ?? row) : row;
  const back = held ?? { held: new Map(), unconfirmed: [] };
  const affected = wantsHeld ? affectedPackages(updated, patch.packages ?? [], back) : undefined;
  // What a source did not take (another took it: a partial update), then what a read-back did
  // not confirm of what one took.
  const advisories = [
    ...partialAdvisories(patch.packages ?? [], untaken),
    ...(wantsHeld ? unconfirmedAdvisories(patch.packages ?? [], back) : []),
  ];
  const answers = outcomes.flatMap((o) => (o.ok ? [o.data] : []));
  const statuses = answers.flatMap((data) => {
    const status = answeredStatus(data);
    return status ? [status] : [];
  });
  const status = leastAdvanced(statuses);
  // What the buyer may do next: what every source that answered allows.
  const actions = validActionsOf(
    answers.map((data) => ({
      status: answeredStatus(data),
      validActions: 'valid_actions' in data ? data.valid_actions : undefined,
    })),
    status,
  );
  // The statuses sources answered are AdCP's (their answers' media_buy status).
  return {
    media_buy_id: row.mediaBuyId,
    ...(status && { status: status as MediaBuyStatus }),
    ...(actions && { valid_actions: actions }),
    // AdCP 3.1: the buy's open actions after the update (the 3.0 answer has no such field).
    ...(v31 &&
      status && {
        available_actions: availableActionsOf(
          status,
          answers.map((data) => ({
            status: answeredStatus(data),
            validActions: 'valid_actions' in data ? data.valid_actions : undefined,
            availableActions: (data as { available_actions?: unknown }).available_actions,
          })),
          buyActionTemplate(deps, row, productIdsOf(row)),
        ),
      }),
    ...(affected && { affected_packages: affected }),
    // An update success carries no errors[] (3.0.6 and 3.1): what did not take, or could not be
    // confirmed, rides here (partial.ts, affected-packages.ts).
    ...(advisories.length > 0 && { ext: { interchange: { advisories } } }),
    // AdCP 3.1 requires the buy's revision on a success (update-media-buy-response.json): the
    // first source's that keeps one, else the first, as get_media_buys answers it (reads.ts).
    ...(v31 && { revision: revisionOf(answers) }),
  } as UpdateMediaBuySuccess;
}

const revisionOf = (answers: readonly object[]): number => {
  const said = answers.find(
    (data) => typeof (data as { revision?: unknown }).revision === 'number',
  );
  return (said as { revision?: number } | undefined)?.revision ?? 1;
};

/**
 * A 3.1 caller's update the buy does not have open is refused with ACTION_NOT_ALLOWED before any
 * source is asked, judged on the buy as get_media_buys answers it: as its sources answer it now,
 * a part whose source fails its read as the storefront recorded it (the status and actions that
 * source last answered: reads/recorded-part.ts). The record only ever refuses: what it leaves
 * open is still the source's to take or refuse, and only the source's answer says it was done.
 */
async function refuseUnopened(
  deps: MerchandisingDeps,
  mediaBuyId: string,
  patch: UpdateMediaBuyRequest,
): Promise<void> {
  const read = await getMediaBuys(deps, { media_buy_ids: [mediaBuyId] } as GetMediaBuysRequest);
  const buy = read.media_buys[0];
  if (!buy) return;
  const row = (await forwardedBuys(deps, [mediaBuyId]))[0];
  const template = row && buyActionTemplate(deps, row, productIdsOf(row));
  refuseUnavailableAction(buy as ReadBuy, patch, template);
}

/**
 * An update's packages with the creatives they send inline taken in: the package's source must
 * take them on updates; checked, kept in the buyer's library under the buy's account, and
 * assigned, a 3.1 caller's replacing the package's inline creatives. `sent` is `packages` itself
 * when none sends any; `inline` the creatives each such package now carries inline.
 */
async function withInlineAssigned(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  packages: PackageUpdate[],
  key: string,
  gate: PolicyGate | undefined,
  library: LibrarySync | undefined,
): Promise<{ sent: PackageUpdate[]; inline: Record<string, string[]> }> {
  if (!sendsInlineCreatives(packages)) return { sent: packages, inline: {} };
  // Only a buyer's own update_media_buy sends creatives inline, with its policy and library.
  if (!library || !gate) throw new Error('inline creatives reached an update without the library');
  const { routable } = await deps.sources.of(row.storefrontId, row.buyerCustomerId);
  refuseInlineUnsupported(packages, routable);
  const productOf = (pkg: { package_id?: string }) =>
    pkg.package_id === undefined ? undefined : productOfPackage(row, pkg.package_id);
  await refuseUnfitInline(deps, packages, productOf, gate);
  const reference = row.submittedPayload.account;
  // A 3.1 package's canonical creatives fit the format options it chose on create.
  if (speaks31()) {
    const sentOf = (pkg: { package_id?: string }) =>
      pkg.package_id === undefined ? undefined : submittedPackageOf(row, pkg.package_id, true);
    const owner = { storefrontId: row.storefrontId, buyerCustomerId: row.buyerCustomerId };
    await refuseUnfitChosenCreatives(deps, packages, sentOf, routable, owner, reference);
  }
  await keepInlineCreatives(
    deps,
    library,
    packages,
    { accountId: row.accountId, ...(reference && { reference }), sandbox: gate.sandbox },
    `inline-${key}`,
  );
  const { packages: sent, inline } = inlineUpdate(row, packages, speaks31());
  return { sent, inline };
}

/**
 * Sends an update of the caller's buy to the sources holding its packages and records what it
 * changed (overlays, creative assignments). Throws when every source refused; answers each
 * source's outcome (a partial failure is the caller's to report).
 */
export async function applyMediaBuyUpdate(
  deps: MerchandisingDeps,
  mediaBuyId: string,
  // The account is the storefront's to name at each source (as placed), never the buyer's words.
  patch: Omit<UpdateMediaBuyRequest, 'account'>,
  // Given: creatives newly assigned are checked against their package's product policy first.
  policy?: PolicyGate,
  // The storefront's sync_creatives, where the update may carry inline creatives.
  library?: LibrarySync,
  // Read the named packages back from the sources that took it (a budget change always is).
  wantsHeld = false,
) {
  const { storefront } = agentRequest();
  const principal = assertCallerMayTransact(storefront.id);
  const [row] = await forwardedBuys(deps, [mediaBuyId]);
  if (!row) throw new MediaBuyNotFoundError(mediaBuyId);
  refuseNewPackages(patch);
  const known = new Set(
    (row.forwardResult ?? []).flatMap((leg) => (leg.packages ?? []).map((p) => p.packageId)),
  );
  for (const pkg of patch.packages ?? []) {
    const packageId = 'package_id' in pkg ? pkg.package_id : undefined;
    if (packageId && !known.has(packageId)) throw new PackageNotFoundError(packageId);
  }
  // A cap change its package's source cannot enforce is refused before any source is asked.
  if (patch.packages?.some((pkg) => isRecord(pkg.targeting_overlay?.frequency_cap))) {
    const { routable } = await deps.sources.of(storefront.id, principal.customerId);
    refuseUnenforcedCaps(patch.packages, routable, 'update');
  }
  const {
    media_buy_id: _id,
    idempotency_key: key,
    packages,
    start_time: startAsked,
    context: _c,
    ext: _e,
    // The buyer's webhook is the storefront's to call (as on create), never its sources'.
    push_notification_config: _push,
    ...rest
  } = patch;
  // A buy-level `asap` reaches the sources as one instant, the same on a retry (start-time.ts).
  const start = await updateStartOf(deps, row, startAsked, key);
  const common = { ...rest, ...(start !== undefined && { start_time: start }) };

  const asked = await assignedCreatives(deps, row, packages ?? []);
  // An archived creative is withdrawn: refused before any source is asked.
  refuseArchived(packages ?? [], archivedIds(asked));
  if (policy) await refuseUnfitAssignments(deps, row, packages ?? [], asked, policy);
  // Creatives sent inline: kept in the buyer's library, then assigned (inline-creatives.ts).
  const { sent, inline } = await withInlineAssigned(
    deps,
    row,
    packages ?? [],
    key,
    policy,
    library,
  );
  const stored = sent === packages ? asked : await assignedCreatives(deps, row, sent);
  const manifests = manifestsOf(stored);
  // An earlier update whose answer was lost is established first; this one is recorded.
  await resumeSourceWrites(deps, row);
  const writes = recordedWrites(deps, buySubject(row), updateKind, 'update_media_buy');
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
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === outcomes.length && failed[0] && !failed[0].ok) {
    await settleOutcomes(deps, writes.intents, outcomes);
    const refused = failed[0];
    const sourceId = refused.source.sourceId;
    throw refusedUpdate(refused.error, sent, (id) => parseProductId(id, [sourceId]) !== undefined);
  }
  // The status each source answered, so a withdrawal later skips a part the buyer canceled.
  const answered = Object.fromEntries(
    outcomes.flatMap((o) => {
      const status = o.ok ? answeredStatus(o.data) : undefined;
      return status ? [[o.source.sourceId, status]] : [];
    }),
  );
  if (Object.keys(answered).length > 0) await deps.mediaBuys.setLegStatuses(row, answered);
  // What the packages now carry, so a creative the buyer archives can be taken off them: only
  // the packages whose source took the update (one that refused still carries the old list).
  const tookIt = outcomes.flatMap((o) => (o.ok ? [o.source.sourceId] : []));
  const applied = sent.filter(
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
  await recordOverlays(deps, row, packages ?? [], tookIt);
  // The named packages as the sources that took the update now hold them; the budgets they
  // confirm recorded (read-back.ts).
  const held =
    tookIt.length > 0 && (wantsHeld || sent.some((pkg) => pkg.budget !== undefined))
      ? await readBack(deps, row, sent, tookIt)
      : undefined;
  // What the sources took is recorded: their writes are done (one whose answer was lost is
  // left to recovery).
  await settleOutcomes(deps, writes.intents, outcomes);
  // What another source did not take (the buyer's to be told: partial.ts); nothing is undone.
  const untaken = untakenParts(row, sent, isBuyWide(common), outcomes);
  return { row, outcomes, held, untaken };
}

/**
 * Fields of an update that change no part of the buy at a source: the version it speaks, the
 * revision it read, and the buyer's account (each source is named its own as placed).
 */
const unchanging = new Set(['adcp_major_version', 'adcp_version', 'revision', 'account']);

/**
 * Which sources an update changes anything at: a change to the whole buy (paused, dates,
 * cancellation, invoicing, its reporting webhook) reaches each source, a package's change only
 * the source that holds the package. A source it changes nothing at is not asked: an empty
 * update_media_buy is a change the buyer never made, which a seller may refuse or log.
 */
function changedSources(
  common: Record<string, unknown>,
  packages: readonly PackageUpdate[],
): (sourceId: string) => boolean {
  const buyWide = isBuyWide(common);
  return (sourceId) =>
    buyWide ||
    packages.some(
      (pkg) => pkg.package_id && parseProductId(pkg.package_id, [sourceId]) !== undefined,
    );
}

/** Whether an update's buy-level fields change the buy at every source holding a part. */
const isBuyWide = (common: Record<string, unknown>) =>
  Object.entries(common).some(([field, value]) => value !== undefined && !unchanging.has(field));
