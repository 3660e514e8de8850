/**
 * The governance agents buyers registered on their storefront accounts (AdCP sync_governance),
 * which a storefront consults before a buy moves money (agents/adcp31/governance/).
 */
export {
  createGovernanceAgents,
  type GovernanceAgent,
  type GovernanceAgents,
  type BuyKey,
  type GovernedAccount,
  type GovernedBuy,
} from './store.js';
