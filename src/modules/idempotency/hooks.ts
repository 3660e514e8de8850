import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../platform/errors.js';
import type { IdempotencyService, IdempotentRequest } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when this request claimed an Idempotency-Key: its answer is kept for replays. */
    idempotency: Pick<IdempotentRequest, 'owner' | 'key'> | undefined;
  }
}

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const keyPattern = /^[\x21-\x7e]{1,255}$/;

const isStream = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { pipe?: unknown }).pipe === 'function';

/**
 * `Idempotency-Key` on every authenticated REST write under /api/v2: the first request with a
 * key runs and its answer (2xx or 4xx) is kept 24 hours; a retry with the same key and the same
 * method, path and body answers it again (header `Idempotent-Replayed: true`) without running
 * anything; the same key with another request is refused (400 IDEMPOTENCY_KEY_REUSED), and a
 * retry while the first still runs answers 409 IDEMPOTENCY_IN_PROGRESS with Retry-After. Server
 * errors and 429 are not kept, so a retry runs again. Keys belong to the customer (or admin
 * key) that sent them. Streamed bodies (bulk imports) are not covered: their content is not
 * read twice.
 */
export function registerIdempotency(app: FastifyInstance, idempotency: IdempotencyService): void {
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined || !writes.has(request.method) || !request.url.startsWith('/api/v2/'))
      return;
    const principal = request.principal;
    if (!principal || isStream(request.body)) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || !keyPattern.test(key))
      throw invalid(
        'Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is a good choice)',
        'Idempotency-Key',
      );
    const owner =
      principal.kind === 'customer'
        ? `customer:${principal.customerId}`
        : `admin:${principal.keyId}`;
    const claim: IdempotentRequest = {
      owner,
      key,
      method: request.method,
      path: request.url,
      fingerprint: fingerprintOf(request),
    };
    const begun = await idempotency.begin(claim);
    switch (begun.kind) {
      case 'proceed':
        request.idempotency = { owner, key };
        return;
      case 'replay':
        void reply
          .code(begun.status)
          .header('idempotent-replayed', 'true')
          .type(begun.contentType ?? 'application/json; charset=utf-8');
        return reply.send(begun.body);
      case 'mismatch':
        throw new AppError(
          'invalid',
          `This Idempotency-Key was first used for another request (${begun.method} ${begun.path} with a different body); use a new key for a new request`,
          { field: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_REUSED' },
        );
      case 'in_progress':
        throw new AppError(
          'conflict',
          'A request with this Idempotency-Key is still running; retry shortly',
          {
            field: 'Idempotency-Key',
            code: 'IDEMPOTENCY_IN_PROGRESS',
            retryAfter: 1,
          },
        );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claimed = request.idempotency;
    if (!claimed) return payload;
    request.idempotency = undefined;
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : undefined;
    const contentType = reply.getHeader('content-type');
    await idempotency.finish(claimed, {
      status: reply.statusCode,
      contentType: typeof contentType === 'string' ? contentType : null,
      body,
    });
    return payload;
  });
}

/** The request a key stands for: method, path with query, and the parsed body as sent. */
function fingerprintOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('base64url');
}
