import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInRequest } from '../../src/platform/observability/context.js';
import { startTracing, stopTracing } from '../../src/platform/observability/index.js';
import { outboundHostLabels } from '../../src/wiring/host-labels.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';

/*
 * Metrics at /metrics (off by default, a scraper's token), request ids and W3C trace context on
 * outbound calls, and spans exported over OTLP/HTTP to a collector on a real socket (a fake one:
 * it keeps what it is sent).
 */

const token = 'metrics-token-0123456789';
let h: Harness;
let echo: Server;
let echoUrl: string;
const seen: IncomingHttpHeaders[] = [];
// Where the operator pointed the Meta adapter (INTERCHANGE_META_API_URL): a provider it configured.
let provider: Server;
let providerUrl: string;
let collector: Server;
const exported: string[] = [];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  echo = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  echoUrl = await listen(echo);
  provider = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
  });
  providerUrl = await listen(provider);
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      exported.push(`${req.url} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const collectorUrl = await listen(collector);
  // The standard variables, as an operator sets them; JSON so the test can read what is sent.
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'interchange-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  expect(startTracing()).toBe(true);
  h = await createHarness({
    INTERCHANGE_METRICS: '1',
    INTERCHANGE_METRICS_TOKEN: token,
    INTERCHANGE_META_API_URL: `${providerUrl}/v21.0`,
  });
});

afterAll(async () => {
  await h?.close();
  await stopTracing();
  echo?.close();
  provider?.close();
  collector?.close();
});

describe('metrics', () => {
  it('are not served unless INTERCHANGE_METRICS=1', async () => {
    const plain = await h.buildApp({ INTERCHANGE_METRICS: '0' });
    expect((await h.call('GET', '/metrics', { app: plain })).status).toBe(404);
  });

  it('answer a scraper with the token, and no one else: not even the platform admin key', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    expect((await h.call('GET', '/metrics')).status).toBe(401);
    expect((await h.call('GET', '/metrics', { key: buyer.key })).status).toBe(401);
    expect((await h.call('GET', '/metrics', { key: h.adminKey })).status).toBe(401);
    await h.call('GET', '/api/v2/accounts/current', { key: buyer.key });
    const res = await h.call('GET', '/metrics', { key: token });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    // Requests by route pattern and status; the pool; the job queue; Node's own.
    expect(res.text).toMatch(
      /interchange_http_requests_total\{method="GET",route="\/api\/v2\/accounts\/current",status="200"\} [1-9]/,
    );
    expect(res.text).toMatch(/interchange_db_pool_connections\{state="max"\} \d+/);
    expect(res.text).toContain('# TYPE interchange_jobs_queued gauge');
    expect(res.text).toContain('interchange_nodejs_eventloop_lag_seconds');
  });
});

describe('metrics credential guessing', () => {
  it('counts every wrong token against the client’s bucket: 429 after the limit, whatever it presents then', async () => {
    const app = await h.buildApp({ INTERCHANGE_PUBLIC_RATE_LIMIT: '3' });
    // A client address of its own, so no other request of this file shares its bucket.
    const guesser = `203.0.113.${10 + Math.floor(Math.random() * 200)}`;
    const scrape = (bearer: string, remoteAddress = guesser) =>
      app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress,
        headers: { authorization: `Bearer ${bearer}` },
      });
    const statuses: number[] = [];
    for (const guess of [h.adminKey, 'wrong-token-0000000001', 'wrong-token-0000000002']) {
      statuses.push((await scrape(guess)).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401]);
    const limited = await scrape('wrong-token-0000000003');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Past the limit even the right token is refused: a guess that hits cannot be told apart.
    expect((await scrape(token)).statusCode).toBe(429);
    // Another client (the operator's scraper) is not held back by the guesser.
    const scraper = await scrape(token, '198.51.100.7');
    expect(scraper.statusCode).toBe(200);
  });
});

describe('request ids and traces', () => {
  it('carry the request id and the trace onto outbound calls, and count them', async () => {
    seen.length = 0;
    const answer = await runInRequest('req-observed-1', () =>
      h.services.outbound.fetch(`${echoUrl}/probe`),
    );
    expect(answer.status).toBe(200);
    expect(seen[0]?.['x-request-id']).toBe('req-observed-1');
    expect(seen[0]?.['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    const metrics = await h.call('GET', '/metrics', { key: token });
    expect(metrics.text).toMatch(
      /interchange_outbound_requests_total\{host="other",outcome="2xx"\} [1-9]/,
    );
  });

  it('label outbound calls by the providers the operator configured, and every other host as other', async () => {
    await h.services.outbound.fetch(`${providerUrl}/v21.0/me/adaccounts`);
    // A host a seller configured (an agent, an ad server's base, a buyer's webhook) is no label.
    await h.services.outbound.fetch(`${echoUrl}/seller-configured`);
    const metrics = await h.call('GET', '/metrics', { key: token });
    expect(metrics.text).toMatch(
      /interchange_outbound_requests_total\{host="meta",outcome="2xx"\} [1-9]/,
    );
    const hosts = [
      ...metrics.text.matchAll(/^interchange_outbound_request\w*\{[^}]*host="([^"]*)"/gm),
    ].map((m) => m[1]);
    expect(hosts).toEqual(expect.arrayContaining(['meta', 'other']));
    // Every label is a name the operator's configuration gives a host, or other: never a host.
    // (Earlier files in this worker may have counted calls to other configured providers.)
    const named = new Set([...outboundHostLabels(h.config).values(), 'other']);
    expect(hosts.filter((host) => host === undefined || !named.has(host))).toEqual([]);
    expect(metrics.text).not.toContain(new URL(echoUrl).host);
    expect(metrics.text).not.toContain(new URL(providerUrl).host);
  });

  it('continue a caller’s trace through a request and export its spans over OTLP', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('GET', '/api/v2/accounts/current', {
      key: buyer.key,
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    const sent = await eventually(
      async () => exported.join('\n'),
      (all) => all.includes(traceId),
      15_000,
    );
    expect(sent).toContain('/v1/traces');
    expect(sent).toContain('GET /api/v2/accounts/current');
    expect(sent).toContain('interchange-test');
  });
});
