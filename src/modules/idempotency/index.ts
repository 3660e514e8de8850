/**
 * Idempotency keys for REST writes: `Idempotency-Key` replays a write's first answer (DESIGN's
 * conventions). The hook is registered once for the whole API (app.ts).
 */
export { createIdempotencyService } from './service.js';
export type { IdempotencyService } from './service.js';
export { registerIdempotency } from './hooks.js';
