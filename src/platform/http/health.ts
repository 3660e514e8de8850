import type { FastifyInstance } from 'fastify';
import type { DatabaseStatus } from '../db/database.js';

/**
 * Liveness and readiness probes: no auth, no envelope, never rate-limited. Readiness names the
 * database it answered from (Interchange's embedded PostgreSQL or an external one) and its
 * version; nothing more (no address, no path), since anyone may ask.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  ping: () => Promise<DatabaseStatus>,
): void {
  app.get('/health', { schema: { hide: true }, config: { rateLimit: false } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/ready',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (req, reply) => {
      try {
        const database = await ping();
        return { status: 'ready', database };
      } catch (error) {
        req.log.warn({ err: error }, 'readiness check failed');
        return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
      }
    },
  );
}
