import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './platform/db/database.js';
import { startCacheNotifications } from './platform/db/cache-notifications.js';
import { jobsWaiting } from './platform/jobs/index.js';
import { registerObservability, registerScrapeGauges } from './platform/observability/index.js';

/**
 * What an app needs to run as one instance of a fleet (docs/operations.md), registered by
 * buildApp before any other request hook: the request's id and trace around everything after
 * it, metrics (/metrics when INTERCHANGE_METRICS=1), and cache clearing carried to every
 * instance on the database.
 */
export function registerFleetWiring(
  app: FastifyInstance,
  options: { config: Config; database: Database },
): void {
  const { config, database } = options;
  registerObservability(app, { metrics: config.metrics, metricsToken: config.metricsToken });
  if (config.metrics) {
    registerScrapeGauges({
      pool: () => database.poolStats(),
      jobs: () => jobsWaiting(database.queryable),
    });
  }
  // A write on this instance clears the caches of every instance on the database.
  const cacheNotifications = startCacheNotifications(database, (error) =>
    app.log.warn({ err: error }, 'cache notifications'),
  );
  // A write's answer leaves once its notification is sent: the client's next request may land
  // on another instance, which must not answer from what it cached before the write.
  app.addHook('onSend', async (_request, _reply, payload) => {
    await cacheNotifications.sent();
    return payload;
  });
  app.addHook('onClose', () => cacheNotifications.close());
}
