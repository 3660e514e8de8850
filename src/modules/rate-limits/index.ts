/**
 * Request budgets shared by every instance: the guard's `RateStore` (src/platform/guard) kept in
 * PostgreSQL, so a limit holds across the fleet behind a load balancer.
 */
export { createDatabaseRateStore } from './store.js';
