/**
 * The Merchandising Agent: every storefront as an AdCP sales agent (`storefront-{platformId}`)
 * composing products from its inventory sources and routing media buys back to them.
 */
export { createMerchandising, agentBasePath, webhookJwks } from './hosting/runtime.js';
export { storefrontSkills } from './hosting/skills.js';
export {
  readyRequestValidators,
  type ValidatorsReady,
  warmRequestValidators,
} from './hosting/schema-warmup.js';
export type { Merchandising, StorefrontRuntime } from './hosting/runtime.js';
export { registerStorefrontAgents } from './hosting/host.js';
export type { MerchandisingDeps } from './deps.js';
export type { SettledSourceTask } from './buys/settle/source-tasks.js';
export { createSandbox } from './sandbox/sandbox.js';
export { createAuditObservations } from './creatives/provenance/audit-observations.js';
export { simulatedFeatures } from './sandbox/simulated/verifier.js';
export { createCreativeVerifier } from './creatives/provenance/verifier.js';
export { createSourceAnswerCache } from '../../source-kinds/agent/answer-cache.js';
export { createFeedMirror } from '../../source-kinds/agent/feed-mirror/mirror.js';
export { createMirrorSignals } from '../../source-kinds/agent/feed-mirror/signals.js';
export { feedSignalPath, registerFeedSignalReceiver } from './feed-webhooks/receiver.js';
export { createCreativeLifecycle } from './feed-webhooks/creative-lifecycle.js';
export { createBuyingAgents } from './hosting/buying-agents.js';
export { createSourceRegistry, sourceKinds } from '../../source-kinds/registry.js';
export type { SourceRegistry } from '../../source-kinds/registry.js';
export { findAgentRequest } from './caller.js';
export { previewProductsDoor } from './products/preview.js';
