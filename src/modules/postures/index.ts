/**
 * Negotiation postures: the vocabulary, the decision table that recommends one from a set of
 * discovery runs (with the one win-rate formula), and what a posture changes in a get_products
 * answer. Pure: no tables and no I/O. Seller analytics decides on history and records the
 * posture each run used; the storefront agent presents its products for the posture.
 */
export { postures, type Posture } from './vocabulary.js';
export {
  decidePosture,
  minRunsForBuyerPosture,
  minRunsForPosture,
  packagingAskShareThreshold,
  priceObjectionShareThreshold,
  strongWinRate,
  wholesaleShareThreshold,
  winRate,
  type PostureDecision,
  type PostureRule,
  type PostureSignals,
} from './decision.js';
export { presentForPosture, postureGuidance, type PostureGuidance } from './guidance.js';
