import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isStatementTimeout } from '../db/errors.js';
import { AppError, invalid, isAppError } from '../errors.js';
import { errorEnvelope } from './envelope.js';
import { httpStatusOf } from './status.js';

/** Renders every failure, ours or Fastify's, as the envelope; unknown ones as a bare 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(sendError);

  app.setNotFoundHandler((request, reply) => {
    // A short path is echoed to help; a long one is not sent back at its sender.
    const path = request.url.split('?')[0]!;
    const shown = path.length <= 255 ? path : 'this path';
    return sendAppError(
      request,
      reply,
      new AppError('not_found', `No route for ${request.method} ${shown}`),
    );
  });
}

/**
 * Fastify's `frameworkErrors`: a malformed or over-long path segment, found while routing,
 * before any hook runs; so the request id header the onSend hook sets is set here.
 */
export function sendFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  reply.header('X-Request-Id', request.id);
  return sendError(error, request, reply);
}

function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError = toAppError(error, request.body == null);
  if (appError) return sendAppError(request, reply, appError);
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error, requestId: request.id }, 'database unavailable');
    return sendAppError(request, reply, databaseUnavailable());
  }
  if (isStatementTimeout(error)) {
    request.log.warn({ err: error, requestId: request.id }, 'database statement timed out');
    return sendAppError(
      request,
      reply,
      new AppError(
        'unavailable',
        'The service is busy (a database statement of this request took too long); retry after the Retry-After delay',
        {
          retryAfter: databaseRetryAfterSeconds,
          details: { retryAfter: databaseRetryAfterSeconds },
        },
      ),
    );
  }
  request.log.error({ err: error, requestId: request.id }, 'unhandled error');
  return reply
    .status(500)
    .send(errorEnvelope(request.id, { code: 'INTERNAL_ERROR', message: 'Internal server error' }));
}

/** Seconds a client is asked to wait while the database is out of reach. */
export const databaseRetryAfterSeconds = 5;

/** The envelope's answer while PostgreSQL is stopped, restarting or unreachable. */
export function databaseUnavailable(): AppError {
  return new AppError(
    'unavailable',
    'The service is temporarily unavailable (its database cannot be reached); retry after the Retry-After delay',
    { retryAfter: databaseRetryAfterSeconds, details: { retryAfter: databaseRetryAfterSeconds } },
  );
}

export function sendAppError(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  return reply.status(httpStatusOf[error.kind]).send(
    errorEnvelope(request.id, {
      code: error.code,
      message: error.message,
      ...(error.field !== undefined && { field: error.field }),
      ...(error.details !== undefined && { details: error.details }),
    }),
  );
}

/**
 * One validation issue as the envelope names it. zod names an object for the keys it does not
 * know (`unrecognized_keys`, its `keys` beside): each such key is its own issue at its own field,
 * so a client sees which key to drop, not only the object holding it.
 */
function issuesOf(v: {
  instancePath: string;
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}): Array<{ field: string; message: string }> {
  const at = v.instancePath.split('/').filter(Boolean);
  const keys = v.params.keys;
  if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
    return keys.map((key) => ({
      field: [...at, String(key)].join('.'),
      message: 'is not a field this request takes',
    }));
  }
  return [{ field: at.join('.'), message: v.message ?? 'is invalid' }];
}

function toAppError(error: FastifyError, bodyMissing: boolean): AppError | undefined {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    if (error.validationContext === 'body' && bodyMissing) {
      return invalid('A JSON request body is required', undefined, { location: 'body' });
    }
    const issues = error.validation.flatMap(issuesOf);
    const first = issues[0];
    const where = error.validationContext ?? 'request';
    return invalid(
      first ? `${first.field || where}: ${first.message}` : `Invalid ${where}`,
      first?.field || undefined,
      { location: where, issues },
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalid('The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return invalid('Send the request body as application/json', undefined, {
        contentType: 'application/json',
      });
    // Both carry the path in their message: a URL is not echoed back.
    case 'FST_ERR_BAD_URL':
      return invalid('The URL is not valid: a path segment is not a valid URL component');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return invalid('The URL is not valid: a path segment is longer than any id this API accepts');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('too_large', 'The request body is larger than this server accepts');
    default:
      break;
  }
  // Fastify's own 4xx (e.g. a body on a GET) carry statusCode; anything 5xx is ours to hide.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    if (error.statusCode === 404) return new AppError('not_found', 'Not found');
    return invalid(error.message);
  }
  if (error instanceof SyntaxError && 'body' in error) {
    return invalid('The request body is not valid JSON');
  }
  return undefined;
}
