import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { Guard } from '../../guard/guard.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Probes such as /health are never rate-limited. */
    rateLimit?: false;
  }
}

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The guard (platform/guard) on every REST route, run before the body is read: resolve the key,
 * count the request against its bucket, then enforce the route's declared auth level and the
 * terms gate. Refusals answer in the envelope.
 */
export function registerAuth(app: FastifyInstance, guard: Guard): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const auth = config?.auth ?? 'public';
    const key = guard.keyOf(request.headers);
    // Public routes neither require nor check a key (seed 001: join-context ignores it).
    const principal = auth !== 'public' ? await guard.identify(key) : undefined;

    if (config?.rateLimit !== false) {
      const decision = await guard.count(principal, request.ip);
      reply.header('X-RateLimit-Limit', decision.limit);
      reply.header('X-RateLimit-Remaining', decision.remaining);
      reply.header('X-RateLimit-Reset', decision.resetIn);
      if (!decision.allowed) {
        throw new AppError('rate_limited', 'Too many requests; retry after the Retry-After delay', {
          retryAfter: decision.resetIn,
        });
      }
    }

    if (auth === 'public') return;
    const refusal = guard.refusal(principal, auth, {
      keyPresented: key !== undefined,
      write: !readMethods.has(request.method),
      tosExempt: config?.tosExempt === true,
    });
    if (refusal) throw new AppError(refusal.kind, refusal.message);
    request.principal = principal;
  });
}
