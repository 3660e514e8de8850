/**
 * The Merchandising Agent: every storefront as an AdCP sales agent (`storefront-{platformId}`)
 * composing products from its inventory sources and routing media buys back to them.
 */
export { createMerchandising, agentBasePath, storefrontSkills } from './runtime.js';
export { warmRequestValidators } from './schema-warmup.js';
export type { Merchandising, StorefrontRuntime } from './runtime.js';
export { registerStorefrontAgents } from './host.js';
export type { MerchandisingDeps } from './deps.js';
export { createSandbox } from './sandbox.js';
export { createSourceAnswerCache } from './source-answer-cache.js';
export { createBuyingAgents } from './buying-agents.js';
