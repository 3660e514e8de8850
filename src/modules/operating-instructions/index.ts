/** Operating instructions: each storefront's versioned markdown rulebook for the Merchandising Engine. */
export { createOperatingInstructionsService } from './service.js';
export type { OperatingInstructionsService } from './service.js';
export { operatingInstructionRoutes } from './routes.js';
export type { OperatingInstructions } from './schemas.js';
