import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inProcessRequests,
  registerInProcessRequests,
  type InProcessRequest,
} from '../../src/platform/http/in-process.js';

const page = {
  data: { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `Storefront "${i}"` })) },
  error: null,
};

let app: FastifyInstance;
let inProcess: InProcessRequest;
let baseUrl: string;
/** What an earlier onSend hook (as the idempotency store does) saw of each answer. */
const seenByEarlierHook: string[] = [];
/** The bytes each answer wrote to its (fake or real) socket. */
const written: string[] = [];

beforeAll(async () => {
  app = Fastify();
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.url.startsWith('/page') && typeof payload === 'string')
      seenByEarlierHook.push(payload);
    return payload;
  });
  inProcess = registerInProcessRequests(app);
  app.addHook('onResponse', async (_request, reply) => {
    written.push(String(reply.getHeader('content-length')));
  });
  app.get('/page', async () => page);
  app.get('/refused', async (_request, reply) => reply.code(403).send({ error: 'no' }));
  app.get('/file', async (_request, reply) =>
    reply.type('text/csv').send(Readable.from(['a,b\n', '1,2\n'])),
  );
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
});

describe('in-process requests', () => {
  it("answer the route's serialized body and status, handed over rather than copied", async () => {
    const answer = await inProcess({ method: 'GET', url: '/page' });
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(page);
    expect(answer.body).toBe(seenByEarlierHook.at(-1));
    // Nothing went through light-my-request's fake socket.
    expect(written.at(-1)).toBe('0');
    expect(inProcessRequests(app)).toBe(inProcess);
  });

  it('hand over error answers too, and still stream what a route streams', async () => {
    const refused = await inProcess({ method: 'GET', url: '/refused' });
    expect(refused).toEqual({ statusCode: 403, body: '{"error":"no"}' });
    const file = await inProcess({ method: 'GET', url: '/file' });
    expect(file).toEqual({ statusCode: 200, body: 'a,b\n1,2\n' });
  });

  it('leave a plain inject, and any request from outside, with its whole answer', async () => {
    const injected = await app.inject({ method: 'GET', url: '/page' });
    expect(JSON.parse(injected.body)).toEqual(page);
    expect(written.at(-1)).toBe(String(Buffer.byteLength(injected.body)));
    // A caller from outside that forges the marker header gets the answer as usual.
    for (const forged of ['1', 'true', 'x'.repeat(43), '']) {
      const response = await fetch(`${baseUrl}/page`, {
        headers: { 'x-interchange-in-process': forged },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(page);
    }
  });

  it('refuses to run on an app that did not register it', () => {
    expect(() => inProcessRequests(Fastify())).toThrow(/registerInProcessRequests/);
  });
});
