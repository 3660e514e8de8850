import type {
  GetMediaBuysRequest,
  MediaBuyStatus,
  UpdateMediaBuyRequest,
  UpdateMediaBuySuccess,
} from '@adcp/sdk/types';
import { answeredStatus, leastAdvanced, validActionsOf } from '../reads/status.js';
import { agentRequest, assertCallerMayTransact } from '../../caller.js';
import type { MerchandisingDeps } from '../../deps.js';
import { forwardedBuys } from '../forwarded-buys.js';
import { speaks31 } from '../../../adcp31/index.js';
import { availableActionsOf, type ReadBuy, refuseUnavailableAction } from '../reads/actions31.js';
import { getMediaBuys } from '../reads/reads.js';
import { buyActionTemplate } from '../reads/buy-template.js';
import { affectedPackages, unconfirmedAdvisories } from './affected-packages.js';
import { partialAdvisories } from './partial.js';
import { refuseFormatSelectors } from './refusals.js';
import type { PolicyGate } from '../../creatives/provenance/package.js';
import type { LibrarySync } from '../inline-creatives.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import { check, runSteps, type Step } from '../workflow/runner.js';
import {
  type AppliedUpdate,
  answerUpdate,
  findBuy,
  readBackHeld,
  recordWhatTook,
  refuseCaps,
  refuseUnknownPackages,
  refuseWithdrawnCreatives,
  resumeEarlierWrites,
  sendToSources,
  settleWrites,
  startTime,
  takeInlineCreatives,
  type UpdateBuy,
} from '../workflow/update-steps.js';

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
  // A creative newly put on a package meets that package's product's policy (creatives/provenance/package.ts).
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
  const template = v31 && status ? await buyActionTemplate(deps, row) : undefined;
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
          template,
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
  const template = row && (await buyActionTemplate(deps, row));
  refuseUnavailableAction(buy as ReadBuy, patch, template);
}

/**
 * update_media_buy, step by step (workflow/update-steps.ts; docs/buying.md "The buy as steps"):
 * the buyer's own update, and the assignments sync_creatives and a creative's withdrawal make.
 * Everything before `send to sources` only reads and refuses (and keeps inline creatives in the
 * buyer's library, as sync_creatives would). What is sent to sources are recorded writes
 * (`send to sources` declares them: workflow/recorded.ts): recorded before they are sent, settled
 * by what `settle writes` kept once the update ends, a lost answer established by recovery or the
 * next update (`resume earlier writes`); nothing is undone.
 */
export const updateSteps: readonly Step<UpdateBuy, AppliedUpdate>[] = [
  { name: 'find the buy', run: findBuy },
  check('known packages', refuseUnknownPackages),
  check('frequency caps', refuseCaps),
  { name: 'start time', run: startTime },
  { name: 'refuse withdrawn creatives', run: refuseWithdrawnCreatives },
  { name: 'inline creatives', run: takeInlineCreatives },
  { name: 'resume earlier writes', run: resumeEarlierWrites },
  sendToSources,
  { name: 'record what took', run: recordWhatTook },
  { name: 'read back', run: readBackHeld },
  { name: 'settle writes', run: settleWrites },
  { name: 'answer', run: answerUpdate },
];

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
): Promise<AppliedUpdate> {
  const { storefront } = agentRequest();
  const principal = assertCallerMayTransact(storefront.id);
  const update: UpdateBuy = {
    deps,
    mediaBuyId,
    patch,
    policy,
    library,
    wantsHeld,
    storefront,
    principal,
    packages: patch.packages ?? [],
  };
  return runSteps('update_media_buy', updateSteps, update, deps.onError);
}
