/**
 * Signals (issue 32 item 3): signals agents registered by buyers (and storefronts' sources of
 * type SIGNAL), discovery with AdCP get_signals, activate_signal for a campaign's sellers.
 */
export { createSignalsService } from './service.js';
export type { SignalsService, SignalsDeps } from './service.js';
export type { CampaignSellers } from './activations.js';
export { signalRoutes } from './routes.js';
export { signalConfigFields, signalsWithoutOverlap, signalOverlay } from './targeting.js';
export type { SignalConfig } from './targeting.js';
