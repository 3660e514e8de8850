import type { FastifyInstance } from 'fastify';

/** Liveness and readiness probes: no auth, no envelope, never rate-limited. */
export function registerHealthRoutes(app: FastifyInstance, ping: () => Promise<void>): void {
  app.get('/health', { schema: { hide: true }, config: { rateLimit: false } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/ready',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (req, reply) => {
      try {
        await ping();
        return { status: 'ready' };
      } catch (error) {
        req.log.warn({ err: error }, 'readiness check failed');
        return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
      }
    },
  );
}
