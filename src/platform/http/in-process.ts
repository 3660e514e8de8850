import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, InjectOptions } from 'fastify';

/** A route's answer to a request made in process. */
export interface InProcessAnswer {
  statusCode: number;
  /** The body exactly as the route serialized it. */
  body: string;
}

export type InProcessRequest = (options: InjectOptions) => Promise<InProcessAnswer>;

const markerHeader = 'x-interchange-in-process';
const answered = Symbol('in-process answer');
type Marked = IncomingMessage & { [answered]?: string };

const registered = new WeakMap<FastifyInstance, InProcessRequest>();

/**
 * Lets code in this process call the app's own routes (`app.inject`: the full lifecycle, so
 * authentication, rate limits, validation, scoping and the envelope are the routes' own) and
 * take the answer as the string the route serialized. light-my-request would otherwise write it
 * through a fake socket, copy it into buffers, join them and decode them again: for a 30 kB page
 * that cost five times the rest of the inject (measured, bench/README.md `mcp-api-call.ts`).
 *
 * The hand-over is keyed by a header carrying a random value made here and never sent out, so
 * only in-process requests carry it; a request that guessed it would only empty its own answer.
 * Register it after every onSend hook that reads the payload (registerIdempotency's keeps the
 * real answer for replays): onSend hooks run in the order they were added.
 */
export function registerInProcessRequests(app: FastifyInstance): InProcessRequest {
  const existing = registered.get(app);
  if (existing) return existing;
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const isMarked = (value: string | string[] | undefined) =>
    typeof value === 'string' &&
    value.length === token.length &&
    timingSafeEqual(Buffer.from(value), expected);

  // A callback hook, not an async one: it runs on every answer and mostly lets it pass.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (typeof payload !== 'string' || !isMarked(request.headers[markerHeader])) {
      done(null, payload);
      return;
    }
    (request.raw as Marked)[answered] = payload;
    done(null, '');
  });

  const inProcess: InProcessRequest = async (options) => {
    const response = await app.inject({
      ...options,
      headers: { ...options.headers, [markerHeader]: token },
    });
    const handedOver = (response.raw.req as Marked)[answered];
    // Streams and buffers (file downloads) come through light-my-request as before.
    return { statusCode: response.statusCode, body: handedOver ?? response.body };
  };
  registered.set(app, inProcess);
  return inProcess;
}

/** The app's in-process requests; registerInProcessRequests must have run while building it. */
export function inProcessRequests(app: FastifyInstance): InProcessRequest {
  const inProcess = registered.get(app);
  if (!inProcess) throw new Error('registerInProcessRequests(app) was not called');
  return inProcess;
}
