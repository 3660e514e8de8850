import type { FastifyInstance } from 'fastify';
import { type AddressInfo, connect } from 'node:net';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineRoute, registerRoutes } from '../../src/platform/http/route.js';
import { startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { resetRateWindows } from '../support/rate-windows.js';

let h: Harness;
beforeAll(async () => {
  // Debug: request lines (where headers and URLs would leak) are logged at debug outside production.
  h = await createHarness({ INTERCHANGE_LOG_LEVEL: 'debug' });
  // Routes that exist only to exercise the platform: an exploding handler and persona guards.
  registerRoutes(h.app, [
    defineRoute({
      method: 'GET',
      url: '/api/v2/test/boom',
      operationId: 'test.boom',
      summary: 'throws',
      tags: ['Test'],
      auth: 'public',
      response: z.object({}),
      handler: async () => {
        throw new Error('relation "secret_table" does not exist at SELECT * FROM secret_table');
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v2/storefront/test-seller-only',
      operationId: 'test.sellerOnly',
      summary: 'seller only',
      tags: ['Test'],
      auth: 'seller',
      body: z.object({ token: z.string().optional() }).optional(),
      response: z.object({ ok: z.boolean() }),
      handler: async () => ({ ok: true }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v2/test/public',
      operationId: 'test.public',
      summary: 'public',
      tags: ['Test'],
      auth: 'public',
      response: z.object({ ok: z.boolean() }),
      handler: async () => ({ ok: true }),
    }),
  ]);
});
afterAll(() => h.close());

describe('the envelope', () => {
  it('wraps unknown routes as 404 NOT_FOUND with meta', async () => {
    const res = await h.call('GET', '/api/v2/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      data: null,
      error: { code: 'NOT_FOUND', message: expect.any(String) },
      meta: { requestId: expect.any(String), timestamp: expect.any(String) },
    });
  });

  it('answers malformed JSON with 400 VALIDATION_ERROR', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v2/storefront/test-seller-only',
      headers: { authorization: `Bearer ${seller.key}`, 'content-type': 'application/json' },
      payload: '{"token": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_ERROR');
  });

  it('hides internals of unexpected errors behind a bare 500 and logs them with the request id', async () => {
    const res = await h.call('GET', '/api/v2/test/boom', {
      headers: { 'x-request-id': 'trace-500' },
    });
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(res.text).not.toMatch(/secret_table|SELECT|at /);
    const logged = h.logs().find((l) => l.requestId === 'trace-500' && l.level === 50);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('secret_table');
  });

  it('honours a sane X-Request-Id and generates one otherwise', async () => {
    const given = await h.call('GET', '/api/v2/nope', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    expect(given.body.meta.requestId).toBe('abc-123');
    const weird = await h.call('GET', '/api/v2/nope', { headers: { 'x-request-id': '<script>' } });
    expect(weird.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(weird.body.meta.requestId).toBe(weird.headers['x-request-id']);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const small = await h.buildApp({ INTERCHANGE_BODY_LIMIT: '1024' });
    const seller = await createCustomer(h, { role: 'SELLER' });
    const res = await h.call('POST', '/api/v2/storefront/test-seller-only', {
      app: small,
      key: seller.key,
      body: { token: 'x'.repeat(4096) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('persona guard', () => {
  it('answers a BUYER calling a seller-only route with 403 CUSTOMER_ROLE_DENIED', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', '/api/v2/storefront/test-seller-only', { key: buyer.key });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
    const seller = await createCustomer(h, { role: 'SELLER' });
    const ok = await h.call('POST', '/api/v2/storefront/test-seller-only', { key: seller.key });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ ok: true });
  });

  it('checks the key before validating the body', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v2/storefront/test-seller-only',
      headers: { 'content-type': 'application/json' },
      payload: '{broken',
    });
    expect(res.statusCode).toBe(401);
  });

  it('neither requires nor checks a key on public routes', async () => {
    const res = await h.call('GET', '/api/v2/test/public', { key: 'not-a-real-key' });
    expect(res.status).toBe(200);
  });
});

describe('rate limiting', () => {
  // Budgets live in the database, shared by every app built over it (as by every instance of a
  // fleet): each case starts from empty windows, whatever the cases before it counted.
  beforeEach(() => resetRateWindows(h));

  it('counts a key across every instance on the database: 30 a minute is 30 for the fleet', async () => {
    const env = { INTERCHANGE_RATE_LIMIT: '30' };
    const instances = [await h.buildApp(env), await h.buildApp(env)];
    const a = await createCustomer(h, { role: 'BUYER' });
    await resetRateWindows(h);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const app = instances[i % 2]!;
      statuses.push((await h.call('GET', '/api/v2/accounts/current', { app, key: a.key })).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    // The other instance reports the same remaining budget the first one counted.
    const last = await h.call('GET', '/api/v2/accounts/current', { app: instances[1], key: a.key });
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('limits each API key and answers 429 RATE_LIMITED with Retry-After', async () => {
    const limited = await h.buildApp({ INTERCHANGE_RATE_LIMIT: '3' });
    const a = await createCustomer(h, { role: 'BUYER' });
    const b = await createCustomer(h, { role: 'BUYER' });
    await resetRateWindows(h);
    for (let i = 0; i < 3; i++) {
      const ok = await h.call('GET', '/api/v2/accounts/current', { app: limited, key: a.key });
      expect(ok.status).toBe(200);
    }
    const over = await h.call('GET', '/api/v2/accounts/current', { app: limited, key: a.key });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('RATE_LIMITED');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Another key has its own budget.
    const other = await h.call('GET', '/api/v2/accounts/current', { app: limited, key: b.key });
    expect(other.status).toBe(200);
  });

  it('limits unauthenticated callers per IP', async () => {
    const limited = await h.buildApp({ INTERCHANGE_PUBLIC_RATE_LIMIT: '2' });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await h.call('GET', '/api/v2/unknown', { app: limited })).status);
    }
    expect(statuses).toEqual([404, 404, 429]);
    const health = await h.call('GET', '/health', { app: limited });
    expect(health.status).toBe(200);
  });

  // inject() connects from 127.0.0.1: the "load balancer" in these cases.
  const fromClient = (app: FastifyInstance, client: string) =>
    h.call('GET', '/api/v2/unknown', { app, headers: { 'x-forwarded-for': client } });

  it.each([['1'], ['127.0.0.1/32, 10.0.0.0/8'], ['loopback']])(
    'gives each client behind a trusted proxy its own bucket (INTERCHANGE_TRUST_PROXY=%s)',
    async (trust) => {
      const limited = await h.buildApp({
        INTERCHANGE_PUBLIC_RATE_LIMIT: '2',
        INTERCHANGE_TRUST_PROXY: trust,
      });
      const a = [];
      for (let i = 0; i < 3; i++) a.push((await fromClient(limited, '203.0.113.7')).status);
      expect(a).toEqual([404, 404, 429]);
      expect((await fromClient(limited, '198.51.100.9')).status).toBe(404);
    },
  );

  it.each([[undefined], ['0'], ['10.0.0.0/8']])(
    'ignores X-Forwarded-For from a proxy it does not trust (INTERCHANGE_TRUST_PROXY=%s)',
    async (trust) => {
      const limited = await h.buildApp({
        INTERCHANGE_PUBLIC_RATE_LIMIT: '2',
        ...(trust !== undefined && { INTERCHANGE_TRUST_PROXY: trust }),
      });
      // A client cannot buy itself a fresh bucket by inventing a forwarded address.
      const statuses = [];
      for (const client of ['203.0.113.7', '198.51.100.9', '192.0.2.1']) {
        statuses.push((await fromClient(limited, client)).status);
      }
      expect(statuses).toEqual([404, 404, 429]);
    },
  );
});

describe('logs', () => {
  it('never contain the API key or secret fields of a request', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const secret = 'super-secret-token-value-1234567890';
    await h.call('POST', `/api/v2/storefront/test-seller-only?token=${secret}`, {
      key: seller.key,
      body: { token: secret },
      headers: { 'x-request-id': 'log-check' },
    });
    await h.call('GET', '/api/v2/nope', { key: seller.key });
    const text = h.rawLogs();
    expect(text).toContain('log-check');
    expect(text).not.toContain(seller.key);
    expect(text).not.toContain(secret);
  });
});

describe('request lines', () => {
  it('are the access log at info in production, and debug-only in development', async () => {
    const development = await h.buildApp({ INTERCHANGE_LOG_LEVEL: 'info' });
    const production = await h.buildApp({ INTERCHANGE_LOG_LEVEL: 'info', NODE_ENV: 'production' });
    await h.call('GET', '/api/v2/nope', {
      app: development,
      headers: { 'x-request-id': 'dev-line' },
    });
    await h.call('GET', '/api/v2/nope', {
      app: production,
      headers: { 'x-request-id': 'prod-line' },
    });
    const completed = h
      .logs()
      .filter((line) => line['msg'] === 'request completed')
      .map((line) => (line['req'] as { requestId?: string } | undefined)?.requestId);
    expect(completed).toContain('prod-line');
    expect(completed).not.toContain('dev-line');
  });
});

describe('draining', () => {
  it('closing the app waits for handlers still running', async () => {
    // A real route of the app, held up by a seller that answers its probe late: closing must
    // wait for the app's own in-flight handlers (app.ts's drain), not only for open sockets
    // (inject has none). The handler's last act is recording what the probe learned.
    const slow = await startSeller('slow', { delayMs: 600 });
    try {
      const seller = await createCustomer(h, { role: 'SELLER' });
      const app = await h.buildApp();
      const pending = app.inject({
        method: 'POST',
        url: '/api/v2/storefront/inventory-sources',
        headers: { authorization: `Bearer ${seller.key}` },
        payload: {
          name: 'Late seller',
          sourceId: 'late-seller',
          endpointUrl: slow.url,
          protocol: 'MCP',
          authenticationType: 'NO_AUTH',
        },
      });
      // Close while the handler waits for the seller (a fixed sleep could close before a loaded
      // machine got there).
      await eventually(
        async () => slow.connections(),
        (n) => n > 0,
      );
      await app.close();
      const listed = await h.call('GET', '/api/v2/storefront/inventory-sources', {
        key: seller.key,
      });
      const source = listed.body.data.find(
        (s: { sourceId: string }) => s.sourceId === 'late-seller',
      );
      expect(source?.health.lastProbeAt).not.toBeNull();
      await pending;
    } finally {
      await slow.close();
    }
  });

  it('cuts a connection still open when the drain ends, so a stopping instance stops', async () => {
    // A client that sends half a request and waits: Node's server.close() would wait for it until
    // the request's own timeouts (a minute for its headers), past any deploy's grace period.
    const app = await h.buildApp({ INTERCHANGE_DRAIN_TIMEOUT_MS: '300' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    const cut = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    try {
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.write('POST /api/v2/accounts/current HTTP/1.1\r\nHost: x\r\n');
      const started = Date.now();
      await app.close();
      await cut;
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      socket.destroy();
    }
  });

  it('serves a request that arrives on a kept-alive connection while the app closes', async () => {
    // What a load balancer does during a deploy: its kept-alive connection to the instance is
    // busy when the instance is told to stop, and the next request goes down the same
    // connection. nginx passes no answer on to another instance, so a 503 would reach the user.
    const slow = await startSeller('slow', { delayMs: 600 });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const seller = await createCustomer(h, { role: 'SELLER' });
    const app = await h.buildApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const answers = () => received.match(/HTTP\/1\.1 \d{3}/g) ?? [];
    try {
      const body = JSON.stringify({
        name: 'Late seller',
        sourceId: 'late-seller-2',
        endpointUrl: slow.url,
        protocol: 'MCP',
        authenticationType: 'NO_AUTH',
      });
      // The next request goes out as the first answer comes in, as a balancer's queued one would.
      socket.on('data', (chunk: Buffer) => {
        const first = received === '';
        received += chunk.toString();
        if (first) {
          socket.write(
            `GET /api/v2/accounts/current HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${buyer.key}\r\n\r\n`,
          );
        }
      });
      socket.write(
        `POST /api/v2/storefront/inventory-sources HTTP/1.1\r\nHost: x\r\n` +
          `Authorization: Bearer ${seller.key}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      await eventually(
        async () => slow.connections(),
        (n) => n > 0,
      );
      const closed = app.close();
      await ended;
      await closed;
      expect(answers()).toEqual(['HTTP/1.1 201', 'HTTP/1.1 200']);
      const second = received.slice(received.lastIndexOf('HTTP/1.1 200'));
      expect(second.toLowerCase()).toContain('connection: close');
      expect(second).toContain('"data"');
    } finally {
      socket.destroy();
      await slow.close();
    }
  });
});

describe('probes', () => {
  it('answers /health and /ready without a key', async () => {
    expect((await h.call('GET', '/health')).body).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/ready')).body).toEqual({
      status: 'ready',
      database: { kind: 'external', version: expect.stringMatching(/^\d+\.\d+/) },
    });
  });
});
