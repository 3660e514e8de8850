import { invalid } from '../../platform/errors.js';
import type { StorefrontUpdate } from './schemas.js';
import type { NewStorefront, StorefrontRow } from './store.js';

/**
 * The stored patch a PUT (or PATCH) body means, by the hosted rules: `transacting` is the alias
 * of !isPaused and pausing records when (`at`); the offered review capabilities are the
 * approval modes, and turning one off must be acknowledged; accepting every country clears the
 * allowlist and an allowlist clears "every country"; the demand contact is set and cleared as a
 * pair. Throws `invalid` naming the field for a contradictory body.
 */
export function storedPatchOf(
  row: Pick<
    StorefrontRow,
    | 'pausedAt'
    | 'demandContactName'
    | 'demandContactEmail'
    | 'creativeApproval'
    | 'mediaBuyApproval'
  >,
  body: StorefrontUpdate,
  at: Date,
): Partial<NewStorefront> {
  const {
    isPaused: paused,
    transacting,
    capabilities,
    acknowledgeNoHumanReview,
    // The rate card is the rate-cards module's (service.update hands it over).
    compositionPricing: _rateCard,
    ...profile
  } = body;
  // Offered review capabilities are the approval modes (views.ts derives them back).
  for (const [flag, mode] of [
    ['offersCreativeReview', 'creativeApproval'],
    ['offersCampaignApproval', 'mediaBuyApproval'],
  ] as const) {
    const offered = capabilities?.[flag];
    if (offered === undefined) continue;
    const wanted = offered ? 'manual' : 'auto';
    if (profile[mode] !== undefined && profile[mode] !== wanted) {
      throw invalid(`capabilities.${flag} contradicts ${mode}; send one of them`, mode);
    }
    if (wanted === 'auto' && row[mode] !== 'auto' && acknowledgeNoHumanReview !== true) {
      throw invalid(
        `Turning ${flag} off approves without human review; send acknowledgeNoHumanReview: true`,
        'acknowledgeNoHumanReview',
      );
    }
    profile[mode] = wanted;
  }
  if (paused !== undefined && transacting !== undefined && paused === transacting) {
    throw invalid('transacting is the inverse of isPaused; send one of them', 'transacting');
  }
  const patch: Partial<NewStorefront> = { ...profile };
  const pause = paused ?? (transacting === undefined ? undefined : !transacting);
  if (pause !== undefined && pause !== (row.pausedAt !== null)) {
    patch.pausedAt = pause ? at : null;
  }
  if (profile.acceptsAllCountries === true) {
    if (profile.acceptedCountries?.length) {
      throw invalid(
        'Send acceptedCountries or acceptsAllCountries: true, not both',
        'acceptedCountries',
      );
    }
    patch.acceptedCountries = null;
  } else if (profile.acceptedCountries) {
    patch.acceptsAllCountries = false;
  }
  const name = 'demandContactName' in profile ? profile.demandContactName : row.demandContactName;
  const email =
    'demandContactEmail' in profile ? profile.demandContactEmail : row.demandContactEmail;
  if ((name === null) !== (email === null)) {
    throw invalid(
      'demandContactName and demandContactEmail are set (and cleared) together',
      name === null ? 'demandContactName' : 'demandContactEmail',
    );
  }
  return patch;
}
