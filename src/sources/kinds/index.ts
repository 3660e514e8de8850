/**
 * The source kinds, as the composition wires them: the registry that opens a storefront's
 * sources of every kind, the kinds by executionType, and the AGENT kind's answer cache.
 */
export { createSourceRegistry, sourceKinds } from './registry.js';
export type { SourceKindDeps, SourceRegistry, StorefrontSources } from './registry.js';
export { createSourceAnswerCache } from './agent/answer-cache.js';
