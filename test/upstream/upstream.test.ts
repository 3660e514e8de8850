import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoChannels, demoPublisherDomain } from '../../src/demo/seller/index.js';
import {
  createUpstreamClient,
  type ProbeFailure,
  type ProbeResult,
  type ProbeSuccess,
  type UpstreamAuth,
  type UpstreamClient,
} from '../../src/upstream/index.js';
import {
  downUrl,
  startSeller,
  startToolsOnlySeller,
  type RunningSeller,
  type ToolOverride,
} from '../fixtures/sellers.js';

const noAuth: UpstreamAuth = { type: 'NO_AUTH' };
let upstream: UpstreamClient;
let mcp: RunningSeller;
let a2a: RunningSeller;
let bearer: RunningSeller;
let bearerA2a: RunningSeller;
let slow: RunningSeller;
/** The slow seller stalls far past every timeout here: giving up cannot be confused with an answer. */
const slowStallMs = 30_000;
let toolsOnly: RunningSeller;

beforeAll(async () => {
  upstream = createUpstreamClient({ allowPrivateNetwork: true });
  [mcp, a2a, bearer, bearerA2a, slow, toolsOnly] = await Promise.all([
    startSeller('mcp'),
    startSeller('a2a'),
    startSeller('bearer'),
    startSeller('bearer', { protocol: 'A2A' }),
    startSeller('slow', { delayMs: slowStallMs }),
    startToolsOnlySeller(['get_products', 'list_creative_formats']),
  ]);
});

afterAll(async () => {
  await upstream.close();
  await Promise.all([mcp, a2a, bearer, bearerA2a, slow, toolsOnly].map((s) => s?.close()));
});

function success(result: ProbeResult): ProbeSuccess {
  if (!result.ok) throw new Error(`probe failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

function failure(result: ProbeResult): ProbeFailure {
  if (result.ok) throw new Error('probe succeeded but was expected to fail');
  return result;
}

describe('probing an AdCP seller', () => {
  it.each([
    ['MCP', () => mcp],
    ['A2A', () => a2a],
  ] as const)('reads the manifest an %s seller reports', async (protocol, seller) => {
    const result = success(
      await upstream.probe({ endpointUrl: seller().url, protocol, auth: noAuth }),
    );
    expect(result.manifest).toBe('reported');
    expect(result.tools).toEqual(expect.arrayContaining(['get_products', 'get_adcp_capabilities']));
    expect(result.tools).toEqual([...result.tools].sort());
    expect(result.channels).toEqual(expect.arrayContaining([...demoChannels]));
    expect(result.publisherDomains).toEqual([demoPublisherDomain]);
    expect(result.countries).toEqual(['US']);
    expect(result.pricingModels).toEqual(['cpm']);
    expect(result.billing).toEqual(['agent', 'operator']);
    expect(result.specialisms).toEqual(['sales-guaranteed', 'sales-non-guaranteed']);
    expect(result.adcpVersion).toBe('3');
    expect(result.agentName).toBe('Interchange demo seller');
    expect(result.capabilities).toEqual({
      products: 'supported',
      createMediaBuy: 'supported',
      updateMediaBuy: 'supported',
      signals: 'unsupported',
      wholesaleProducts: 'unknown',
    });
    expect(result.creativeHasCreativeLibrary).toBeNull();
  });

  it('infers a synthetic manifest from the tools of a seller without get_adcp_capabilities', async () => {
    const result = success(
      await upstream.probe({ endpointUrl: toolsOnly.url, protocol: 'MCP', auth: noAuth }),
    );
    expect(result.manifest).toBe('synthetic');
    expect(result.tools).toEqual(['get_products', 'list_creative_formats']);
    // Seed rule: without a reported manifest, absence is 'unknown', never 'unsupported'.
    expect(result.capabilities).toEqual({
      products: 'supported',
      createMediaBuy: 'unknown',
      updateMediaBuy: 'unknown',
      signals: 'unknown',
      wholesaleProducts: 'unknown',
    });
    expect(result.adcpVersion).toBeNull();
    expect(result.channels).toEqual([]);
  });

  it('reads a manifest the SDK schema would reject, field by field', async () => {
    // A 3.0.0-era seller: no adcp.idempotency block, which the 3.0.6 schema requires.
    const seller = await startToolsOnlySeller(['get_adcp_capabilities', 'get_signals'], {
      get_adcp_capabilities: {
        adcp: { major_versions: [3], supported_versions: ['3.0', '3.1'] },
        supported_protocols: ['signals', 'creative'],
        account: { supported_billing: ['agent'], authorization_endpoint: 'https://idp.example' },
        creative: { has_creative_library: true },
        specialisms: ['signal-marketplace'],
      },
    });
    try {
      const result = success(
        await upstream.probe({ endpointUrl: seller.url, protocol: 'MCP', auth: noAuth }),
      );
      expect(result).toMatchObject({
        manifest: 'reported',
        agentName: 'tools-only seller',
        adcpVersion: '3.0, 3.1',
        billing: ['agent'],
        authTypes: ['oauth2'],
        creativeHasCreativeLibrary: true,
        specialisms: ['signal-marketplace'],
        channels: [],
        capabilities: {
          products: 'unsupported',
          createMediaBuy: 'unsupported',
          updateMediaBuy: 'unsupported',
          signals: 'supported',
          wholesaleProducts: 'unsupported',
        },
      });
    } finally {
      await seller.close();
    }
  });

  it('advertises the bearer scheme an A2A seller declares on its agent card', async () => {
    const auth: UpstreamAuth = { type: 'OAUTH', accessToken: bearerA2a.token ?? '' };
    const result = success(
      await upstream.probe({ endpointUrl: bearerA2a.url, protocol: 'A2A', auth }),
    );
    expect(result.authTypes).toEqual(['bearer']);
  });
});

describe('asking an agent that speaks AdCP 3.1', () => {
  const declared = { supported_per_units: ['households'] };
  /** A seller whose capabilities answer follows the release it is asked in (`answers`). */
  async function releaseAwareSeller(answers: {
    unpinned: Record<string, unknown>;
    pinned: ToolOverride;
  }) {
    const at: { seller?: RunningSeller } = {};
    at.seller = await startSeller('mcp', {
      onToolCall: (tool, args) => {
        if (tool !== 'get_adcp_capabilities') return;
        const answer = args['adcp_version'] === '3.1' ? answers.pinned : { data: answers.unpinned };
        at.seller!.answerInstead!(tool, answer, 1);
      },
    });
    const asked = () =>
      at
        .seller!.toolCalls()
        .filter((c) => c.tool === 'get_adcp_capabilities')
        .map((c) => c.args);
    return { seller: at.seller, asked };
  }
  const manifest = (releases: string[], mediaBuy: Record<string, unknown> = {}) => ({
    adcp: { major_versions: [3], supported_versions: releases },
    supported_protocols: ['media_buy'],
    media_buy: { supported_pricing_models: ['cpm'], ...mediaBuy },
  });

  it('asks it again as a 3.1 caller when its answer lists 3.1, and keeps what it declares then', async () => {
    const { seller, asked } = await releaseAwareSeller({
      unpinned: manifest(['3.0', '3.1']),
      pinned: { data: manifest(['3.0', '3.1'], { frequency_capping: declared }) },
    });
    try {
      const result = success(
        await upstream.probe({ endpointUrl: seller.url, protocol: 'MCP', auth: noAuth }),
      );
      expect(asked()).toEqual([{}, { adcp_version: '3.1' }]);
      expect(result.frequencyCapping).toEqual(declared);
      expect(result.adcpVersion).toBe('3.0, 3.1');
    } finally {
      await seller.close();
    }
  });

  it('asks one known to speak 3.1 as a 3.1 caller at once, and as before when it refuses the pin', async () => {
    const { seller, asked } = await releaseAwareSeller({
      unpinned: manifest(['3.0']),
      pinned: { error: { code: 'VERSION_UNSUPPORTED', message: 'no 3.1 here' } },
    });
    try {
      const target = { endpointUrl: seller.url, protocol: 'MCP' as const, auth: noAuth };
      const result = success(await upstream.probe(target, { speaks31: true }));
      expect(asked()).toEqual([{ adcp_version: '3.1' }, {}]);
      expect(result.manifest).toBe('reported');
      expect(result.adcpVersion).toBe('3.0');
      expect(result.frequencyCapping).toBeUndefined();
      // An agent that lists no 3.1 release is asked exactly as before: once, unpinned.
      success(await upstream.probe(target));
      expect(asked().slice(2)).toEqual([{}]);
    } finally {
      await seller.close();
    }
  });
});

describe('credentials', () => {
  it.each([
    ['MCP', () => bearer],
    ['A2A', () => bearerA2a],
  ] as const)('reports unauthorized when an %s seller gets no token', async (protocol, seller) => {
    const result = failure(
      await upstream.probe({ endpointUrl: seller().url, protocol, auth: noAuth }),
    );
    expect(result.error.code).toBe('unauthorized');
  });

  it.each<[string, (token: string) => UpstreamAuth]>([
    ['an API key', (token) => ({ type: 'API_KEY', token })],
    ['an OAuth access token', (accessToken) => ({ type: 'OAUTH', accessToken })],
    ['a JWT', (token) => ({ type: 'JWT', token })],
  ])('presents %s as a bearer token', async (_kind, authOf) => {
    const result = await upstream.probe({
      endpointUrl: bearer.url,
      protocol: 'MCP',
      auth: authOf(bearer.token ?? ''),
    });
    expect(success(result).manifest).toBe('reported');
  });

  it('never puts the token in an error message, even when the agent echoes it back', async () => {
    const token = 'sk_live_probe_secret_4b1d9e';
    const echo = await startEchoServer();
    try {
      for (const status of [401, 500]) {
        const result = failure(
          await upstream.probe({
            endpointUrl: `${echo.url}?status=${status}`,
            protocol: 'MCP',
            auth: { type: 'API_KEY', token },
          }),
        );
        expect(result.error.message).not.toContain(token);
        expect(JSON.stringify(result)).not.toContain(token);
      }
      const wrong = failure(
        await upstream.probe({
          endpointUrl: bearer.url,
          protocol: 'MCP',
          auth: { type: 'API_KEY', token },
        }),
      );
      expect(wrong.error.code).toBe('unauthorized');
      expect(JSON.stringify(wrong)).not.toContain(token);
    } finally {
      await echo.close();
    }
  });

  it('does not follow a redirect with the credentials', async () => {
    const target = await startEchoServer();
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: `${target.url}?status=200` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const { port } = redirecting.address() as AddressInfo;
    try {
      const result = failure(
        await upstream.probe({
          endpointUrl: `http://127.0.0.1:${port}/mcp`,
          protocol: 'MCP',
          auth: { type: 'API_KEY', token: 'sk_redirected_secret' },
        }),
      );
      expect(result.error.code).toBe('protocol_error');
      expect(target.seen().join()).not.toContain('sk_redirected_secret');
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
      await target.close();
    }
  });
});

describe('failures', () => {
  it('reports unreachable at once when nothing listens', async () => {
    const timeoutMs = 20_000;
    const result = failure(
      await upstream.probe(
        { endpointUrl: await downUrl(), protocol: 'MCP', auth: noAuth },
        { timeoutMs },
      ),
    );
    expect(result.error.code).toBe('unreachable');
    // A refused connection is final: the probe did not wait out its timeout.
    expect(result.latencyMs).toBeLessThan(timeoutMs);
  });

  it('gives up on a slow seller at the timeout', async () => {
    const started = Date.now();
    const result = failure(
      await upstream.probe(
        { endpointUrl: slow.url, protocol: 'MCP', auth: noAuth },
        { timeoutMs: 500 },
      ),
    );
    expect(result.error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(slowStallMs);
  });

  it('refuses a loopback seller when private networks are not allowed, without connecting', async () => {
    const guarded = createUpstreamClient({ allowPrivateNetwork: false });
    try {
      for (const seller of [mcp, a2a]) {
        const before = seller.connections();
        const result = failure(
          await guarded.probe({ endpointUrl: seller.url, protocol: seller.protocol, auth: noAuth }),
        );
        expect(result.error.code).toBe('blocked');
        expect(seller.connections()).toBe(before);
      }
    } finally {
      await guarded.close();
    }
  });

  it('reports a protocol error for an endpoint that is not an AdCP agent', async () => {
    const result = failure(
      await upstream.probe({ endpointUrl: `${mcp.url}/nope`, protocol: 'MCP', auth: noAuth }),
    );
    expect(result.error).toEqual({
      code: 'protocol_error',
      message: expect.stringContaining('HTTP 404'),
    });
  });
});

/** A hostile endpoint that answers every request with its headers in the body. */
async function startEchoServer(): Promise<{
  url: string;
  seen(): string[];
  close(): Promise<void>;
}> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(JSON.stringify(req.headers));
    const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status'));
    const echoed = JSON.stringify(req.headers);
    res.writeHead(status, { 'content-type': 'application/json', 'x-echo': echoed });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: 0, error: { code: -32000, message: echoed } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen: () => seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
