import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUpstreamClient,
  type UpstreamAuth,
  type UpstreamClient,
} from '../../src/upstream/index.js';
import {
  downUrl,
  startSeller,
  startToolsOnlySeller,
  type RunningSeller,
} from '../fixtures/sellers.js';
import { failure, noAuth, success, targetOf } from './tool-call-support.js';

interface ProductsAnswer {
  products: unknown[];
}

let upstream: UpstreamClient;
let mcp: RunningSeller;
let bearer: RunningSeller;
let bearerA2a: RunningSeller;
let slow: RunningSeller;
/** The slow seller stalls far past every timeout here: giving up cannot be confused with an answer. */
const slowStallMs = 30_000;

beforeAll(async () => {
  upstream = createUpstreamClient({ allowPrivateNetwork: true });
  [mcp, bearer, bearerA2a, slow] = await Promise.all([
    startSeller('mcp'),
    startSeller('bearer'),
    startSeller('bearer', { protocol: 'A2A' }),
    startSeller('slow', { delayMs: slowStallMs }),
  ]);
});

afterAll(async () => {
  await upstream.close();
  await Promise.all([mcp, bearer, bearerA2a, slow].map((s) => s?.close()));
});

describe('credentials', () => {
  it.each([
    ['MCP', () => bearer],
    ['A2A', () => bearerA2a],
  ] as const)('is unauthorized without the token an %s seller requires', async (_p, seller) => {
    const result = failure(
      await upstream.callTool(targetOf(seller()), 'get_products', { buying_mode: 'wholesale' }),
    );
    expect(result.error.code).toBe('unauthorized');
  });

  it.each([
    ['MCP', () => bearer],
    ['A2A', () => bearerA2a],
  ] as const)('calls an %s seller with its token', async (_p, seller) => {
    const auth: UpstreamAuth = { type: 'API_KEY', token: seller().token ?? '' };
    const result = await upstream.callTool<ProductsAnswer>(
      targetOf(seller(), auth),
      'get_products',
      {
        buying_mode: 'wholesale',
      },
    );
    expect(success(result).data.products).toHaveLength(30);
  });

  it('never puts the token in an error, even when the agent echoes it back', async () => {
    const token = 'sk_live_tool_secret_7f3a91';
    const auth: UpstreamAuth = { type: 'API_KEY', token };
    const wrong = failure(
      await upstream.callTool(targetOf(bearer, auth), 'get_products', { buying_mode: 'wholesale' }),
    );
    expect(wrong.error.code).toBe('unauthorized');
    expect(JSON.stringify(wrong)).not.toContain(token);

    const echoing = await startToolsOnlySeller(['get_products'], {
      get_products: {
        adcp_error: {
          code: 'AUTH_INVALID',
          message: `Bearer ${token} is not valid here`,
          details: { presented: token, header: `authorization: Bearer ${token}` },
        },
      },
    });
    try {
      const result = failure(
        await upstream.callTool(targetOf(echoing, auth), 'get_products', { buying_mode: 'brief' }),
      );
      expect(result.error.code).toBe('tool_error');
      expect(result.error.message).toContain('AUTH_INVALID');
      expect(result.error.message).toContain('[redacted]');
      expect(JSON.stringify(result)).not.toContain(token);
    } finally {
      await echoing.close();
    }
  });
});

describe('failures', () => {
  it('gives up on a slow seller at the timeout', async () => {
    const started = Date.now();
    const result = failure(
      await upstream.callTool(
        targetOf(slow),
        'get_products',
        { buying_mode: 'wholesale' },
        { timeoutMs: 500 },
      ),
    );
    expect(result.error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(slowStallMs);
  });

  it('stops at once when the caller cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const result = failure(
      await upstream.callTool(
        targetOf(slow),
        'get_products',
        { buying_mode: 'wholesale' },
        { signal: controller.signal },
      ),
    );
    expect(result.error.code).toBe('timeout');
    expect(result.error.message).toContain('cancelled');
    expect(Date.now() - started).toBeLessThan(slowStallMs);
  });

  it.each(['MCP', 'A2A'] as const)(
    'reports unreachable when no %s seller listens',
    async (protocol) => {
      const result = failure(
        await upstream.callTool(
          {
            endpointUrl: await downUrl(protocol === 'MCP' ? '/mcp' : '/a2a'),
            protocol,
            auth: noAuth,
          },
          'get_products',
          { buying_mode: 'wholesale' },
        ),
      );
      expect(result.error.code).toBe('unreachable');
    },
  );

  it('refuses a loopback seller when private networks are not allowed', async () => {
    const guarded = createUpstreamClient({ allowPrivateNetwork: false });
    try {
      const before = mcp.connections();
      const result = failure(
        await guarded.callTool(targetOf(mcp), 'get_products', { buying_mode: 'wholesale' }),
      );
      expect(result.error.code).toBe('blocked');
      expect(mcp.connections()).toBe(before);
    } finally {
      await guarded.close();
    }
  });
});
