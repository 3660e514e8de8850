import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { invalid } from '../errors.js';
import { findUnstorableInput, type UnstorableInput } from '../storable-input.js';

/**
 * Fastify's validator for every route with a zod schema: first one rule for all of them (input
 * PostgreSQL cannot store, see storable-input.ts, is refused as VALIDATION_ERROR naming its
 * field), checked on the raw input so keys zod would strip count too; then the route's zod
 * schema. Fields are named as zod names them (`content`, `name`), with where they came from in
 * `details.location` (`body`, `querystring`, `params`), so both kinds of refusal read alike.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = zodValidatorCompiler(route);
  const location = route.httpPart ?? 'request';
  return (data) => {
    const found = findUnstorableInput(data);
    return found ? { error: unstorableInputError(found, location) } : validate(data);
  };
};

/** The VALIDATION_ERROR for input PostgreSQL cannot store, naming its field and location. */
export function unstorableInputError(found: UnstorableInput, location: string) {
  const field = found.path.join('.');
  return invalid(`${field || location}: ${found.problem}`, field || undefined, { location });
}

/**
 * The same rule for every route's path parameters, whether or not the route declared a schema for
 * them (the storefront agents, feed webhooks, downloads, join pages and console pages take theirs
 * as the router decoded them): a NUL or an unpaired surrogate is a VALIDATION_ERROR naming the
 * parameter, before authentication and before any handler hands it to PostgreSQL.
 */
export function registerPathParameterCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const found = findUnstorableInput(request.params);
    if (found) throw unstorableInputError(found, 'params');
  });
}
