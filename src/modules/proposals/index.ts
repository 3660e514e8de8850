/**
 * Proposals (issue 47, item 4): the AdCP proposals a storefront answers in get_products, kept as
 * shown so create_media_buy with a proposal_id books exactly them, and the proposal codes a
 * seller issues to one buyer (hosted storefront proposals; buyers redeem them through
 * discoverProducts `proposalCode`).
 */
export {
  createProposalsService,
  newProposalId,
  proposalLifetimeMs,
  type ProposalCaller,
  type ProposalsService,
} from './service.js';
export { proposalRoutes } from './routes.js';
export type { ProposalRow } from './store.js';
export type { ProposalAllocation, ProposalAnswer } from './tables.js';
