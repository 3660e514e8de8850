import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies with one relaxation: an empty body sent as application/json reads as "no body"
 * instead of failing, so body-less POST actions work from any client.
 */
export function registerJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });
}
