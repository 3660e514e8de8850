import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An Express-style middleware, such as @adcp/sdk's A2A `jsonRpcHandler` (an Express Router). */
export type ExpressStyleHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => unknown;

/**
 * Runs an Express-style handler on a Fastify request without Express: Fastify hands over the
 * raw request and response, which get the few Express helpers such handlers call (`req.body`,
 * `req.header()`, `res.status()`, `res.json()`). The handler sees itself mounted at `/`.
 * Resolves once the response has been sent.
 */
export function runExpressStyle(
  handler: ExpressStyleHandler,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  reply.hijack();
  const query = request.raw.url?.split('?')[1];
  const req = Object.assign(request.raw, {
    // Fastify already read and parsed the body; body parsers skip a consumed request.
    body: request.body,
    originalUrl: request.raw.url,
    url: query ? `/?${query}` : '/',
    header: (name: string) => request.headers[name.toLowerCase()],
    get: (name: string) => request.headers[name.toLowerCase()],
  });
  const res = Object.assign(reply.raw, {
    status(code: number) {
      reply.raw.statusCode = code;
      return res;
    },
    json(body: unknown) {
      if (!reply.raw.hasHeader('content-type')) {
        reply.raw.setHeader('content-type', 'application/json; charset=utf-8');
      }
      reply.raw.end(JSON.stringify(body));
      return res;
    },
  });
  return new Promise((resolve) => {
    reply.raw.once('close', () => resolve());
    reply.raw.once('finish', () => resolve());
    const next = (error?: unknown): void => {
      // The handler did not answer: nothing matched, or it failed before responding.
      if (error) request.log.error({ err: error }, 'Express-style handler failed');
      if (!reply.raw.headersSent) res.status(error ? 500 : 404).json({ error: 'not handled' });
      resolve();
    };
    try {
      Promise.resolve(handler(req, res, next)).catch(next);
    } catch (error) {
      next(error);
    }
  });
}
