/**
 * The Merchandising Agent: every storefront as an AdCP sales agent (`storefront-{platformId}`)
 * composing products from its inventory sources and routing media buys back to them.
 */
export { createMerchandising, agentBasePath, storefrontSkills } from './hosting/runtime.js';
export {
  readyRequestValidators,
  type ValidatorsReady,
  warmRequestValidators,
} from './hosting/schema-warmup.js';
export type { Merchandising, StorefrontRuntime } from './hosting/runtime.js';
export { registerStorefrontAgents } from './hosting/host.js';
export type { MerchandisingDeps } from './deps.js';
export { createSandbox } from './sandbox/sandbox.js';
export { createBuyingAgents } from './hosting/buying-agents.js';
export { findAgentRequest } from './caller.js';
export { previewProductsDoor } from './products/preview.js';
