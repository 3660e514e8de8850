import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInRequest } from '../../src/platform/observability/context.js';
import { startTracing, stopTracing } from '../../src/platform/observability/index.js';
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
  h = await createHarness({ INTERCHANGE_METRICS: '1', INTERCHANGE_METRICS_TOKEN: token });
});

afterAll(async () => {
  await h?.close();
  await stopTracing();
  echo?.close();
  collector?.close();
});

describe('metrics', () => {
  it('are not served unless INTERCHANGE_METRICS=1', async () => {
    const plain = await h.buildApp({ INTERCHANGE_METRICS: '0' });
    expect((await h.call('GET', '/metrics', { app: plain })).status).toBe(404);
  });

  it('answer a scraper with the token or the admin key, and no one else', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    expect((await h.call('GET', '/metrics')).status).toBe(401);
    expect((await h.call('GET', '/metrics', { key: buyer.key })).status).toBe(401);
    expect((await h.call('GET', '/metrics', { key: h.adminKey })).status).toBe(200);
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
    const host = new URL(echoUrl).host;
    expect(metrics.text).toContain(
      `interchange_outbound_requests_total{host="${host}",outcome="2xx"} 1`,
    );
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
