/**
 * Observability: Prometheus metrics (metrics.ts, served by http.ts when INTERCHANGE_METRICS=1),
 * OpenTelemetry traces (tracing.ts, on when the OTEL_* variables ask), and the request id
 * carried through a request's work and onto its outbound calls (context.ts, outbound.ts).
 * docs/operations.md is the operator's guide.
 */
export { registerObservability } from './http.js';
export { productsDropped, registerScrapeGauges } from './metrics.js';
export { observeOutbound } from './outbound.js';
export { startTracing, stopTracing } from './tracing.js';
