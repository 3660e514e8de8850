import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboundClient,
  isForbiddenAddress,
  OutboundBlockedError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
  type OutboundClient,
  type OutboundClientOptions,
  type OutboundLookup,
} from '../../src/platform/outbound/index.js';
import { nextRedirect } from '../../src/platform/outbound/redirect.js';

let mainServer: Server;
let otherServer: Server;
let base: string;
let otherBase: string;
let port: number;
let loopHits = 0;
const clients: OutboundClient[] = [];

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  switch (url.pathname) {
    case '/ok':
      res.end('hello');
      return;
    case '/hang':
      return;
    case '/stall-body':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      return;
    case '/stream-big':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 16; i++) res.write(Buffer.alloc(4096, 97));
      res.end();
      return;
    case '/json-big':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      for (let i = 0; i < 16; i++) res.write(`"${'a'.repeat(4096)}",`);
      res.end('0]');
      return;
    case '/json-stall':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
      return;
    case '/json-gzip':
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ packed: true })));
      return;
    case '/declared-big':
      res.writeHead(200, { 'content-length': String(64 * 1024) });
      res.end(Buffer.alloc(64 * 1024, 97));
      return;
    case '/loop':
      loopHits++;
      res.writeHead(302, { location: '/loop' }).end();
      return;
    case '/chain': {
      const n = Number(url.searchParams.get('n'));
      const location = n > 0 ? `/chain?n=${n - 1}` : '/ok';
      res.writeHead(302, { location }).end();
      return;
    }
    case '/redirect': {
      const status = Number(url.searchParams.get('status') ?? 302);
      res.writeHead(status, { location: url.searchParams.get('to') ?? '/ok' }).end();
      return;
    }
    case '/echo': {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            method: req.method,
            authorization: req.headers.authorization ?? null,
            body,
          }),
        );
      });
      return;
    }
    default:
      res.writeHead(404).end();
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function shutdown(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function client(options: Partial<OutboundClientOptions> = {}): OutboundClient {
  const created = createOutboundClient({ allowPrivateNetwork: true, ...options });
  clients.push(created);
  return created;
}

// Maps test names to fixed addresses and records every name asked for.
function fakeDns(table: Record<string, string[]>): OutboundLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

// Counts connection attempts made by undici, to prove refusals happen before connecting.
async function countConnects(action: () => Promise<unknown>): Promise<number> {
  let connects = 0;
  const onConnect = (): void => {
    connects++;
  };
  diagnosticsChannel.subscribe('undici:client:beforeConnect', onConnect);
  try {
    await action();
  } finally {
    diagnosticsChannel.unsubscribe('undici:client:beforeConnect', onConnect);
  }
  return connects;
}

beforeAll(async () => {
  mainServer = createServer(route);
  otherServer = createServer(route);
  port = await listen(mainServer);
  base = `http://127.0.0.1:${port}`;
  otherBase = `http://127.0.0.1:${await listen(otherServer)}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([shutdown(mainServer), shutdown(otherServer)]);
});

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '[::1]',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '192.0.2.1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '2001:db8::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::7f00:1',
    '64:ff9b::7f00:1',
    'not-an-ip',
    '',
  ])('refuses %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows public %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});

describe('address policy on fetch', () => {
  it('refuses a loopback server when private networks are not allowed', async () => {
    const strict = client({ allowPrivateNetwork: false });
    await expect(strict.fetch(`${base}/ok`)).rejects.toMatchObject({
      name: 'OutboundBlockedError',
      reason: 'forbidden_address',
    });
  });

  it('reaches the same server when private networks are allowed', async () => {
    const response = await client().fetch(`${base}/ok`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(response.url).toBe(`${base}/ok`);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:9/',
    'http://[::ffff:127.0.0.1]:9/',
    'http://10.0.0.1:9/',
    'http://192.168.1.1:9/',
    'http://172.16.0.1:9/',
    'http://100.64.0.1:9/',
    'http://0.0.0.0:9/',
    'http://0x7f.1:9/',
  ])('refuses %s before connecting', async (url) => {
    const strict = client({ allowPrivateNetwork: false, connectTimeoutMs: 100 });
    const connects = await countConnects(() =>
      expect(strict.fetch(url)).rejects.toBeInstanceOf(OutboundBlockedError),
    );
    expect(connects).toBe(0);
  });

  it('counts connection attempts (control for the test above)', async () => {
    const connects = await countConnects(async () => (await client().fetch(`${base}/ok`)).text());
    expect(connects).toBe(1);
  });

  it('refuses a hostname that resolves to a private address', async () => {
    const dns = fakeDns({
      'evil.example': ['127.0.0.1'],
      'mixed.example': ['93.184.216.34', '127.0.0.1'],
      'metadata.example': ['169.254.169.254'],
    });
    const strict = client({ allowPrivateNetwork: false, lookup: dns });
    for (const host of ['evil.example', 'mixed.example', 'metadata.example']) {
      const error: unknown = await strict.fetch(`http://${host}:${port}/ok`).catch((e) => e);
      expect(error).toBeInstanceOf(OutboundBlockedError);
      expect(error).toMatchObject({ reason: 'forbidden_address' });
    }
    expect(dns.asked).toEqual(['evil.example', 'mixed.example', 'metadata.example']);
  });

  it('resolves names through the injected lookup when private networks are allowed', async () => {
    const dns = fakeDns({ 'agent.example': ['127.0.0.1'] });
    const response = await client({ lookup: dns }).fetch(`http://agent.example:${port}/ok`);
    expect(await response.text()).toBe('hello');
    expect(dns.asked).toEqual(['agent.example']);
  });

  it('refuses localhost by name without asking DNS', async () => {
    const dns = fakeDns({ localhost: ['127.0.0.1'] });
    const strict = client({ allowPrivateNetwork: false, lookup: dns });
    await expect(strict.fetch(`http://localhost:${port}/ok`)).rejects.toMatchObject({
      reason: 'forbidden_host',
    });
    expect(dns.asked).toEqual([]);
  });

  it('guards the dispatcher for libraries that bypass fetch', async () => {
    const dns = fakeDns({ 'evil.example': ['127.0.0.1'] });
    const strict = client({ allowPrivateNetwork: false, lookup: dns });
    for (const url of [`${base}/ok`, `http://evil.example:${port}/ok`]) {
      await expect(undiciRequest(url, { dispatcher: strict.dispatcher })).rejects.toBeInstanceOf(
        OutboundBlockedError,
      );
    }
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/file', 'data:text/plain,hi'])(
    'refuses the %s scheme even with private networks allowed',
    async (url) => {
      await expect(client().fetch(url)).rejects.toMatchObject({ reason: 'forbidden_scheme' });
    },
  );
});

describe('timeouts', () => {
  it('times out a server that never sends headers', async () => {
    const started = Date.now();
    const error: unknown = await client({ responseTimeoutMs: 300 })
      .fetch(`${base}/hang`)
      .catch((e) => e);
    expect(error).toBeInstanceOf(OutboundTimeoutError);
    expect(error).toMatchObject({ reason: 'response' });
    // Its own 300 ms, not the 15 s default (the server never answers at all).
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('times out a server that stalls the body after headers', async () => {
    const response = await client({ responseTimeoutMs: 300 }).fetch(`${base}/stall-body`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toBeInstanceOf(OutboundTimeoutError);
  });

  it('times out a JSON answer whose body stalls, before handing it over', async () => {
    await expect(
      client({ responseTimeoutMs: 300 }).fetch(`${base}/json-stall`, {
        method: 'POST',
        body: '{}',
      }),
    ).rejects.toBeInstanceOf(OutboundTimeoutError);
  });

  it('lets one call shorten the deadline', async () => {
    const patient = client({ responseTimeoutMs: 10_000 });
    await expect(patient.fetch(`${base}/hang`, { timeoutMs: 200 })).rejects.toBeInstanceOf(
      OutboundTimeoutError,
    );
  });

  it('times out a connection that cannot be established', async () => {
    const stuckDns: OutboundLookup = () => new Promise(() => {});
    const stuck = client({ connectTimeoutMs: 200, lookup: stuckDns });
    await expect(stuck.fetch(`http://agent.example:${port}/ok`)).rejects.toMatchObject({
      name: 'OutboundTimeoutError',
      reason: 'connect',
    });
  });

  it("reports the caller's own abort as such, not as a timeout", async () => {
    const controller = new AbortController();
    const pending = client().fetch(`${base}/hang`, { signal: controller.signal });
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});

describe('response size cap', () => {
  it('fails a streamed body that grows past the cap', async () => {
    const response = await client({ maxResponseBytes: 1024 }).fetch(`${base}/stream-big`);
    expect(response.headers.get('content-length')).toBeNull();
    const error: unknown = await response.arrayBuffer().catch((e) => e);
    expect(error).toBeInstanceOf(OutboundResponseTooLargeError);
    expect(error).toMatchObject({ reason: 'body' });
  });

  it('fails a JSON answer that grows past the cap while it is read', async () => {
    await expect(
      client({ maxResponseBytes: 1024 }).fetch(`${base}/json-big`, { method: 'POST', body: '{}' }),
    ).rejects.toMatchObject({ name: 'OutboundResponseTooLargeError', reason: 'body' });
  });

  it('reads JSON answers whole within the cap, and decodes compressed ones', async () => {
    const answer = await client().fetch(`${base}/echo`, { method: 'POST', body: '{"a":1}' });
    expect(await answer.json()).toMatchObject({ method: 'POST', body: '{"a":1}' });
    const packed = await client().fetch(`${base}/json-gzip`, { method: 'POST', body: '{}' });
    expect(await packed.json()).toEqual({ packed: true });
  });

  it('refuses a response whose content-length is over the cap', async () => {
    await expect(
      client({ maxResponseBytes: 1024 }).fetch(`${base}/declared-big`),
    ).rejects.toMatchObject({ name: 'OutboundResponseTooLargeError', reason: 'content_length' });
  });

  it('passes bodies within the cap', async () => {
    const response = await client({ maxResponseBytes: 64 * 1024 }).fetch(`${base}/stream-big`);
    expect((await response.arrayBuffer()).byteLength).toBe(64 * 1024);
  });
});

describe('redirects', () => {
  it('follows a short chain and reports the final URL', async () => {
    const response = await client().fetch(`${base}/chain?n=3`);
    expect(await response.text()).toBe('hello');
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${base}/ok`);
  });

  it('gives up on a redirect loop after 5 hops', async () => {
    loopHits = 0;
    await expect(client().fetch(`${base}/loop`)).rejects.toMatchObject({
      name: 'OutboundBlockedError',
      reason: 'too_many_redirects',
    });
    expect(loopHits).toBe(6);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const url = `${base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`;
    await expect(client().fetch(url)).rejects.toMatchObject({ reason: 'forbidden_scheme' });
  });

  it('keeps credentials on same-origin redirects and drops them across origins', async () => {
    const headers = { authorization: 'Bearer secret' };
    const same = await client().fetch(`${base}/redirect?status=307&to=/echo`, { headers });
    expect(await same.json()).toMatchObject({ authorization: 'Bearer secret' });
    const crossUrl = `${base}/redirect?status=307&to=${encodeURIComponent(`${otherBase}/echo`)}`;
    const cross = await client().fetch(crossUrl, { headers });
    expect(await cross.json()).toMatchObject({ authorization: null });
  });

  it('replays the body on 307 and switches to GET on 303', async () => {
    const init = { method: 'POST', body: '{"a":1}' };
    const kept = await client().fetch(`${base}/redirect?status=307&to=/echo`, init);
    expect(await kept.json()).toEqual({ method: 'POST', authorization: null, body: '{"a":1}' });
    const switched = await client().fetch(`${base}/redirect?status=303&to=/echo`, init);
    expect(await switched.json()).toEqual({ method: 'GET', authorization: null, body: '' });
  });

  it('returns the redirect itself in manual mode', async () => {
    const response = await client().fetch(`${base}/redirect?to=/ok`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/ok');
  });

  it('re-checks every redirect target against the address policy', () => {
    const request = {
      url: new URL('https://agent.example/start'),
      method: 'GET',
      headers: new Headers(),
      body: null,
    };
    for (const target of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.1/',
    ]) {
      expect(() => nextRedirect(request, 302, target, false)).toThrow(OutboundBlockedError);
    }
    expect(nextRedirect(request, 302, '/next', false)?.url.href).toBe('https://agent.example/next');
    expect(nextRedirect(request, 200, '/next', false)).toBeNull();
  });
});

describe('fetch compatibility', () => {
  it('accepts a Request and can stand in for the global fetch', async () => {
    const asGlobalFetch: typeof fetch = client().fetch;
    const response = await asGlobalFetch(
      new Request(`${base}/redirect?status=307&to=/echo`, { method: 'POST', body: 'x' }),
    );
    expect(await response.json()).toMatchObject({ method: 'POST', body: 'x' });
  });
});
