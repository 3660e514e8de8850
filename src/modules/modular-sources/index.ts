/**
 * Modular sources: a source kind Interchange serves itself from avails feeds (CSV, XLSX, JSON
 * lines), a booking ledger with holds, human work queues and the seller's delivery reports.
 */
export { createModularSourcesService } from './service.js';
export type { ModularSourcesService } from './service.js';
export { modularSourceRoutes } from './routes/index.js';
export { modularExecutionType } from './context.js';
