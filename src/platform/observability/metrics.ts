import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of this process, one registry for every app it runs: HTTP requests by
 * route and status, outbound calls by host label (outbound.ts) and outcome, products left out of
 * storefront answers by reason, the job queue's depth and age, the database pool's use, and
 * Node's own (event loop, memory, GC). Served at /metrics when
 * INTERCHANGE_METRICS=1 (http.ts); counting costs a few map updates per request either way.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'interchange_' });

export const httpRequests = new Counter({
  name: 'interchange_http_requests_total',
  help: 'HTTP requests answered, by method, route (the pattern, not the path) and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'interchange_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const outboundCalls = new Counter({
  name: 'interchange_outbound_requests_total',
  help: 'Calls to sources and other remote services, by host (a configured provider, else other) and outcome (2xx, 4xx, 5xx, timeout, blocked, error)',
  labelNames: ['host', 'outcome'] as const,
  registers: [registry],
});

export const outboundDuration = new Histogram({
  name: 'interchange_outbound_request_duration_seconds',
  help: 'Time to the answer of a call to a remote service, by host (a configured provider, else other)',
  labelNames: ['host'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const productsDropped = new Counter({
  name: 'interchange_products_dropped_total',
  help:
    "Products a source answered that AdCP's product schema refuses, left out of a storefront " +
    'answer, by reason (missing_field, wrong_type, unknown_value, out_of_range, bad_format, ' +
    'schema_mismatch); the seller sees which in readiness',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** Gauges read when scraped, from functions the app sets (the pool, the job queue). */
export interface ScrapeSources {
  pool(): { total: number; idle: number; waiting: number; max: number };
  jobs(): Promise<Array<{ name: string; state: string; count: number; oldestSeconds: number }>>;
}

let scrape: ScrapeSources | undefined;

/** Where the scrape-time gauges read from (the last app built in this process). */
export function registerScrapeGauges(sources: ScrapeSources): void {
  scrape = sources;
}

new Gauge({
  name: 'interchange_db_pool_connections',
  help: 'Database pool connections by state (total, idle, waiting clients, max)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    if (!scrape) return;
    for (const [state, value] of Object.entries(scrape.pool())) this.set({ state }, value);
  },
});

const jobsQueued = new Gauge({
  name: 'interchange_jobs_queued',
  help: 'Background jobs waiting, retrying or running, by queue and state',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

new Gauge({
  name: 'interchange_jobs_oldest_age_seconds',
  help: 'Age of the oldest job waiting, retrying or running, by queue and state',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    jobsQueued.reset();
    this.reset();
    const rows = scrape ? await scrape.jobs().catch(() => []) : [];
    for (const row of rows) {
      jobsQueued.set({ queue: row.name, state: row.state }, row.count);
      this.set({ queue: row.name, state: row.state }, row.oldestSeconds);
    }
  },
});
