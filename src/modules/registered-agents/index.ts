/**
 * A buyer's remote AdCP sales agents, registered by URL (issue 14 item 1): their credentials
 * and probed capabilities, and the buying port that offers them beside the storefront agents
 * (`withRemoteAgents`, wired in services.ts).
 */
export { createSalesAgentsService } from './service.js';
export type { SalesAgentsService } from './service.js';
export { salesAgentRoutes } from './routes.js';
export { withRemoteAgents } from './buying-agents.js';
