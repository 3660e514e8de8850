import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** A JSON body as received, for what verifies its bytes (signed push notifications). */
    rawBody?: string;
  }
}

/**
 * JSON bodies with one relaxation: an empty body sent as application/json reads as "no body"
 * instead of failing, so body-less POST actions work from any client.
 */
export function registerJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    request.rawBody = body as string;
    return parseJson(request, body as string, done);
  });
}
