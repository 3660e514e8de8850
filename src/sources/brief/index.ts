/**
 * The one brief matcher (issue 47, item 1): read an ask from a brief and a request, match and
 * rank candidates of any source kind against it. Pure.
 */
export {
  asksAnything,
  budgetOfBrief,
  flightOfBrief,
  maxBriefChars,
  quarterOfBrief,
  readAsk,
} from './ask.js';
export type { AskContext, AskSource, Avoided, BriefAsk } from './ask.js';
export { matchCandidate, rankForAsk } from './match.js';
export type { BriefCandidate, BriefMatch, Ranked } from './match.js';
export {
  candidateOfProduct,
  matcherExtOf,
  matcherFields,
  type SiteProfiles,
  textFieldsOf,
  type ProductLike,
} from './product.js';
export { readingOf, type CandidateReading } from './reading.js';
export { peersOf, prepareCandidate, topForAsk, type Peers, type PreparedCandidate } from './top.js';
export { termsOfFormatId } from './format-words.js';
export { stem, termsOf, tokensOf } from './vocabulary.js';
export { languageOf, languages, type Language } from './read/language.js';
export {
  rewriteInstructions,
  rewrittenAskSchema,
  withRewrite,
  type RewrittenAsk,
} from './rewrite.js';
export { countriesOfMarket, marketsOf } from './markets.js';
