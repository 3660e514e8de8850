/**
 * The AdCP agents a buyer registers by URL, one registry for every kind (credentials sealed,
 * endpoints probed, listed per customer): remote sales agents (issue 14 item 1), offered to the
 * buying flow beside the storefront agents (`withRemoteAgents`, wired in services.ts), and
 * signals agents (issue 32 item 3), asked with get_signals beside the storefronts' SIGNAL
 * sources, with activate_signal for a campaign's sellers.
 */
// Signals first: OpenAPI components are listed in the order their schemas are built, and the
// published documents list the signals agents' before the remote sales agents'.
export { createSignalsService } from './signals/service.js';
export type { SignalsService, SignalsDeps } from './signals/service.js';
export type { CampaignSellers } from './signals/activations.js';
export { signalRoutes } from './signals/routes.js';
export { signalConfigFields, signalsWithoutOverlap, signalOverlay } from './signals/targeting.js';
export type { SignalConfig } from './signals/targeting.js';
export { createSalesAgentsService } from './sales/service.js';
export type { SalesAgentsService } from './sales/service.js';
export { salesAgentRoutes } from './sales/routes.js';
export { withRemoteAgents } from './sales/buying-agents.js';
