import type { FastifyInstance } from 'fastify';
import { AppError, unauthenticated } from '../errors.js';
import type { Principal } from '../principal.js';
import { bearerOf } from './api-key.js';
import { countRequest, type RequestLimits } from '../guard/rate-limit.js';

/** Resolves a presented bearer token to a caller; undefined for unknown or revoked keys. */
export interface Authenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}

export interface AuthOptions extends RequestLimits {
  authenticator: Authenticator;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Probes such as /health are never rate-limited. */
    rateLimit?: false;
  }
}

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One guard for every route, run before the body is read: resolve the key, count the request
 * against its bucket, then enforce the route's declared auth level and the terms gate.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const auth = config?.auth ?? 'public';
    const token = bearerOf(request.headers.authorization);
    // Public routes neither require nor check a key (seed 001: join-context ignores it).
    const principal =
      token && auth !== 'public' ? await options.authenticator.authenticate(token) : undefined;

    if (config?.rateLimit !== false) {
      const decision = countRequest(options, principal, request.ip);
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
    if (!principal) {
      throw unauthenticated(
        token
          ? 'The API key is not valid or has been revoked'
          : 'Send an API key as "Authorization: Bearer <key>"',
      );
    }
    if (auth === 'admin') {
      if (principal.kind !== 'admin') {
        throw new AppError('forbidden', 'This operation needs a platform admin key');
      }
    } else {
      if (principal.kind !== 'customer') {
        throw new AppError('forbidden', 'A platform admin key cannot act for a customer here');
      }
      if (auth === 'seller' && principal.customerRole !== 'SELLER') {
        throw new AppError('role_denied', 'Only seller accounts can use storefront operations');
      }
      if (!readMethods.has(request.method) && !config?.tosExempt && !principal.tosAccepted) {
        throw new AppError(
          'tos_required',
          'Your organisation must accept the current terms of service before making changes: ' +
            'GET /api/v2/accounts/terms, then POST /api/v2/accounts/terms/accept',
        );
      }
    }
    request.principal = principal;
  });
}
