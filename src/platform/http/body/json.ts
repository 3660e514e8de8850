import type { FastifyInstance } from 'fastify';
import { findDeepJsonNesting } from '../../storable-input.js';
import { unstorableInputError } from '../validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** A JSON body as received, for what verifies its bytes (signed push notifications). */
    rawBody?: string;
  }
}

/**
 * JSON bodies with one relaxation: an empty body sent as application/json reads as "no body"
 * instead of failing, so body-less POST actions work from any client; and one refusal before
 * parsing: nesting deeper than any request of ours takes answers VALIDATION_ERROR naming the
 * field, as the validator would after the parse, without the parse (100,000 levels of `[` cost
 * JSON.parse about 0.1 s of CPU, a megabyte of them about 0.4 s).
 */
export function registerJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    const deep = findDeepJsonNesting(body as string);
    if (deep) return done(unstorableInputError(deep, 'body'), undefined);
    request.rawBody = body as string;
    return parseJson(request, body as string, done);
  });
}
