import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from './validation.js';
import type { z } from 'zod';
import type { InFlight } from './drain.js';
import type { AdminPrincipal, CustomerPrincipal, Principal } from '../principal.js';
import {
  errorEnvelopeSchema,
  meta,
  type PaginationMeta,
  successEnvelopeSchema,
} from './envelope.js';

/**
 * Routes are declarations: method, URL, zod schemas, an operation id and the auth they need.
 * The handler receives validated input and the caller, and returns the `data` of the envelope.
 */
export type AuthLevel = 'public' | 'admin' | 'customer' | 'seller';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    auth?: AuthLevel;
    /** Writes on this route are allowed before the customer accepted the terms. */
    tosExempt?: boolean;
  }
}

type PrincipalFor<A extends AuthLevel> = A extends 'admin'
  ? AdminPrincipal
  : A extends 'public'
    ? Principal | undefined
    : CustomerPrincipal;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<A extends AuthLevel, B, Q, P> {
  principal: PrincipalFor<A>;
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Extra envelope meta, e.g. pagination for endpoints that answer a bare array. */
  meta: { pagination?: PaginationMeta };
  /** Answers with another documented success status (see RouteDefinition.alsoStatus). */
  setStatus: (status: 200 | 201 | 202) => void;
}

export interface RouteDefinition<
  A extends AuthLevel,
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  R extends z.ZodType,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: A;
  tosExempt?: boolean;
  status?: 200 | 201 | 202;
  /** A second success status the handler may pick with setStatus (e.g. 200 for an idempotent create). */
  alsoStatus?: 200 | 201 | 202;
  /** A larger body limit than the server's for this route (bulk ingestion), in bytes. */
  bodyLimit?: number;
  /**
   * A multipart/form-data route (file uploads): the handler streams the parts itself
   * (request.file()); `body` then only documents the form's fields and is not validated.
   */
  multipart?: boolean;
  body?: B;
  query?: Q;
  params?: P;
  response: R;
  /**
   * Method syntax on purpose: its parameter compares bivariantly, so a route declared for one auth
   * level (its context's principal narrowed to it) fits the list of all routes, AnyRoute.
   */
  handler(ctx: RouteContext<A, B, Q, P>): Promise<z.input<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list of routes
export type AnyRoute = RouteDefinition<AuthLevel, any, any, any, z.ZodType>;

export function defineRoute<
  A extends AuthLevel,
  R extends z.ZodType,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<A, B, Q, P, R>): AnyRoute {
  return definition;
}

const errorResponses = {
  400: errorEnvelopeSchema,
  401: errorEnvelopeSchema,
  403: errorEnvelopeSchema,
  404: errorEnvelopeSchema,
  409: errorEnvelopeSchema,
  429: errorEnvelopeSchema,
};

export function registerRoutes(
  app: FastifyInstance,
  routes: AnyRoute[],
  inFlight?: InFlight,
): void {
  for (const def of routes) {
    const status = def.status ?? 200;
    app.route({
      method: def.method,
      url: def.url,
      config: { auth: def.auth, tosExempt: def.tosExempt ?? false },
      // A streamed upload's body is read by the handler: only params and query are validated here.
      ...(def.multipart && { validatorCompiler: multipartValidator }),
      ...(def.bodyLimit !== undefined && { bodyLimit: def.bodyLimit }),
      schema: {
        operationId: def.operationId,
        summary: def.summary,
        ...(def.description !== undefined && { description: def.description }),
        tags: def.tags,
        ...(def.auth !== 'public' && { security: [{ bearerAuth: [] }] }),
        ...(def.body && { body: def.multipart ? def.body : bodySchemaOf(def.body) }),
        ...(def.multipart && { consumes: ['multipart/form-data'] }),
        ...(def.query && { querystring: def.query }),
        ...(def.params && { params: def.params }),
        response: {
          [status]: successEnvelopeSchema(def.response),
          ...(def.alsoStatus && { [def.alsoStatus]: successEnvelopeSchema(def.response) }),
          ...errorResponses,
        },
      },
      handler: async (request, reply) => {
        const extraMeta: { pagination?: PaginationMeta } = {};
        let answered: 200 | 201 | 202 = status;
        const call = () =>
          def.handler({
            principal: request.principal,
            body: request.body ?? undefined,
            query: request.query,
            params: request.params,
            request,
            reply,
            meta: extraMeta,
            setStatus: (chosen) => {
              if (chosen === status || chosen === def.alsoStatus) answered = chosen;
            },
          });
        const data = inFlight ? await inFlight.run(call) : await call();
        reply.status(answered);
        return { data, error: null, meta: { ...meta(request.id), ...extraMeta } };
      },
    });
  }
}

const multipartValidator: FastifySchemaCompiler<z.ZodType> = (route) =>
  route.httpPart === 'body' ? (data) => ({ value: data }) : validatorCompiler(route);

/** Fastify validates a missing body as null; an optional body schema must let that through. */
function bodySchemaOf(schema: z.ZodType): z.ZodType {
  return schema.safeParse(undefined).success ? schema.nullable() : schema;
}
