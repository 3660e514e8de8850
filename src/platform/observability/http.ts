import { timingSafeEqual } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { bearerOf } from '../http/auth/api-key.js';
import { runInRequest } from './context.js';
import { httpDuration, httpRequests, registry } from './metrics.js';
import { inServerSpan } from './tracing.js';

declare module 'fastify' {
  interface FastifyRequest {
    observedAt?: bigint;
  }
}

export interface ObservabilityOptions {
  /** INTERCHANGE_METRICS: serve /metrics. */
  metrics: boolean;
  /**
   * INTERCHANGE_METRICS_TOKEN: the one bearer token a scraper presents. No API key is a metrics
   * credential, the admin's included: the admin key's holder has no need of it, and a key that
   * opened /metrics would be one more key to guess there.
   */
  metricsToken: string | undefined;
}

/**
 * Every request, before any other hook: runs the rest of its handling inside its request id
 * (context.ts) and its server span (tracing.ts, a no-op unless OTEL_* turned traces on), and
 * counts it by route and status once answered. With `metrics`, serves /metrics (Prometheus
 * text) to a scraper presenting INTERCHANGE_METRICS_TOKEN; otherwise /metrics does not exist
 * (404). Every request to /metrics counts against its client's bucket like any request without
 * an API key (the guard's hook in platform/http/auth/register.ts, before the token is looked at): past
 * the limit it is answered 429 whatever it presents, so wrong tokens cannot be tried unbounded.
 */
export function registerObservability(app: FastifyInstance, options: ObservabilityOptions): void {
  // A callback hook calling `done` inside the contexts: the hooks and handler after it run in
  // them (an async hook's continuation would not).
  app.addHook('onRequest', (request, reply, done) => {
    request.observedAt = process.hrtime.bigint();
    const route = request.routeOptions.url ?? 'unmatched';
    runInRequest(request.id, () =>
      inServerSpan(
        `${request.method} ${route}`,
        request.headers,
        {
          'http.request.method': request.method,
          'http.route': route,
          'interchange.request_id': request.id,
        },
        (span) => {
          reply.raw.once('finish', () => {
            span.setAttribute('http.response.status_code', reply.statusCode);
            if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          });
          done();
        },
      ),
    );
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    if (request.observedAt !== undefined) {
      const seconds = Number(process.hrtime.bigint() - request.observedAt) / 1e9;
      httpDuration.observe({ method: request.method, route }, seconds);
    }
  });

  if (!options.metrics) return;
  const token = options.metricsToken ? Buffer.from(options.metricsToken) : undefined;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const presented = bearerOf(request.headers.authorization);
    const byToken =
      token !== undefined &&
      presented !== undefined &&
      Buffer.byteLength(presented) === token.length &&
      timingSafeEqual(Buffer.from(presented), token);
    if (!byToken) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .type('text/plain')
        .send('Send INTERCHANGE_METRICS_TOKEN as a bearer token\n');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
