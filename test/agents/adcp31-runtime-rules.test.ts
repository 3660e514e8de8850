import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * AdCP 3.1's runtime rules on a storefront agent, for callers that pin 3.1 (a 3.0 caller keeps
 * today's answers): idempotency keys on reads, IDEMPOTENCY_IN_FLIGHT, the envelope's status and
 * media_buy_status, AUTH_MISSING / AUTH_INVALID, CREDENTIAL_IN_ARGS, and no STALE_RESPONSE where
 * nothing stale is served. NODE_ENV=production: @adcp/sdk validates nothing, so this is ours.
 */

const previousEnv = process.env['NODE_ENV'];
let h: Harness;
let base: string;
let seller: RunningSeller;
/** Tool calls the seller has received (create_media_buy's answer is held 1.5 s). */
const arrived: string[] = [];

beforeAll(async () => {
  process.env['NODE_ENV'] = 'production';
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  seller = await startSeller('mcp', {
    answerDelayMs: { create_media_buy: 1500 },
    onToolCall: (tool) => arrived.push(tool),
  });
}, 120_000);
afterAll(async () => {
  process.env['NODE_ENV'] = previousEnv;
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };

async function storefrontAndBuyer() {
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }]);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  return { sf, buyer, agent: await agentClient(base, sf.platformId, buyer.key) };
}

describe('idempotency keys for 3.1 callers', () => {
  it('accepts a key on reads, refuses a malformed one, and leaves 3.0 reads as they were', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      for (const [tool, args] of [
        ['get_adcp_capabilities', {}],
        ['get_products', { buying_mode: 'wholesale' }],
        ['list_creative_formats', {}],
        ['get_media_buys', {}],
        ['list_creatives', {}],
      ] as const) {
        const read = await agent.call(tool, { ...args, ...v31, idempotency_key: randomUUID() });
        expect(read, `${tool}: ${JSON.stringify(read)}`).toMatchObject({
          isError: false,
          status: 'completed',
        });
      }
      const malformed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        ...v31,
        idempotency_key: 'short',
        context: { probe: 'key' },
      });
      expect(malformed).toMatchObject({
        isError: true,
        status: 'failed',
        adcp_error: { code: 'INVALID_REQUEST', field: 'idempotency_key' },
        context: { probe: 'key' },
      });
      const old = await agent.call('get_products', {
        buying_mode: 'wholesale',
        idempotency_key: 'short',
      });
      expect(old.isError).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it('answers IDEMPOTENCY_IN_FLIGHT while the key’s first request runs, then replays it', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const request = { ...buyOf(products[0]), ...v31 };
      const before = arrived.filter((tool) => tool === 'create_media_buy').length;
      const first = agent.call('create_media_buy', request);
      // The first holds the key until the seller answers (1.5 s after it got the buy).
      while (arrived.filter((tool) => tool === 'create_media_buy').length === before) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const second = await agent.call('create_media_buy', request);
      expect(second).toMatchObject({
        isError: true,
        status: 'failed',
        adcp_version: '3.1',
        adcp_error: { code: 'IDEMPOTENCY_IN_FLIGHT', recovery: 'transient' },
      });
      expect(second.adcp_error.retry_after).toBeGreaterThanOrEqual(1);
      const done = await first;
      expect(done, JSON.stringify(done)).toMatchObject({ isError: false, status: 'completed' });
      const replay = await agent.call('create_media_buy', request);
      expect(replay).toMatchObject({
        replayed: true,
        status: 'completed',
        media_buy_id: done.media_buy_id,
        media_buy_status: done.media_buy_status,
      });
    } finally {
      await agent.close();
    }
  });

  it('keeps SERVICE_UNAVAILABLE for a 3.0 caller retrying a key in flight', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const request = buyOf(products[0]);
      const before = arrived.filter((tool) => tool === 'create_media_buy').length;
      const first = agent.call('create_media_buy', request);
      while (arrived.filter((tool) => tool === 'create_media_buy').length === before) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const second = await agent.call('create_media_buy', request);
      expect(second.adcp_error.code).toBe('SERVICE_UNAVAILABLE');
      expect(second).not.toHaveProperty('status');
      await first;
    } finally {
      await agent.close();
    }
  });
});

describe('get_products fields for 3.1 callers', () => {
  it('accepts 3.1’s product field names (pricing_currency_filter’s), refuses unknown ones at their index', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const fields = [
        'product_id',
        'name',
        'pricing_options',
        'signal_targeting_allowed',
        'signal_targeting_options',
        'signal_targeting_rules',
      ];
      const asked = await agent.call('get_products', {
        ...v31,
        buying_mode: 'wholesale',
        fields,
        context: { probe: 'fields' },
      });
      expect(asked, JSON.stringify(asked)).toMatchObject({
        isError: false,
        status: 'completed',
        context: { probe: 'fields' },
      });
      expect(asked.products.length).toBeGreaterThan(0);
      const unknown = await agent.call('get_products', {
        ...v31,
        buying_mode: 'wholesale',
        fields: ['product_id', 'colour'],
        context: { probe: 'unknown' },
      });
      expect(unknown).toMatchObject({
        isError: true,
        status: 'failed',
        adcp_error: { code: 'VALIDATION_ERROR', field: 'fields[1]' },
        errors: [{ code: 'VALIDATION_ERROR', field: 'fields[1]' }],
        context: { probe: 'unknown' },
      });
    } finally {
      await agent.close();
    }
  });
});

describe('the 3.1 envelope of a buy', () => {
  it('keeps the task’s status on top and the buy’s in media_buy_status; 3.0 keeps the buy’s', async () => {
    const { agent } = await storefrontAndBuyer();
    try {
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const old = await agent.call('create_media_buy', buyOf(products[0]));
      const current = await agent.call('create_media_buy', { ...buyOf(products[0]), ...v31 });
      expect(old.isError, JSON.stringify(old)).toBe(false);
      expect(old).not.toHaveProperty('media_buy_status');
      expect(typeof old.status).toBe('string');
      expect(current).toMatchObject({ status: 'completed', media_buy_status: old.status });
      // Canceled (the buy awaits creatives, where AdCP opens no pause: adcp31-actions.test.ts).
      const canceled = await agent.call('update_media_buy', {
        ...v31,
        media_buy_id: current.media_buy_id,
        account: { account_id: 'acme_media' },
        idempotency_key: randomUUID(),
        canceled: true,
      });
      expect(canceled, JSON.stringify(canceled)).toMatchObject({
        status: 'completed',
        media_buy_status: 'canceled',
      });
    } finally {
      await agent.close();
    }
  });
});

describe('credentials for 3.1 callers', () => {
  const rawCall = (platformId: string, protocol: 'mcp' | 'a2a', key?: string, pin = true) => {
    const input = { buying_mode: 'wholesale', ...(pin && v31) };
    const body =
      protocol === 'mcp'
        ? { method: 'tools/call', params: { name: 'get_products', arguments: input } }
        : {
            method: 'message/send',
            params: {
              message: {
                kind: 'message',
                role: 'user',
                messageId: randomUUID(),
                parts: [{ kind: 'data', data: { skill: 'get_products', input } }],
              },
            },
          };
    return fetch(`${base}/adcp/storefront-${platformId}/${protocol}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(key && { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, ...body }),
    });
  };

  interface RpcRefusal {
    error: { code: number; data?: { adcp_error?: unknown } };
  }

  it('tells a missing credential (AUTH_MISSING) from a rejected one (AUTH_INVALID)', async () => {
    const { sf } = await storefrontAndBuyer();
    for (const protocol of ['mcp', 'a2a'] as const) {
      const missing = await rawCall(sf.platformId, protocol);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="interchange"');
      expect(await missing.json()).toMatchObject({
        id: 7,
        error: {
          code: -32001,
          data: {
            adcp_error: { code: 'AUTH_MISSING', recovery: 'correctable' },
            adcp_version: '3.1',
          },
        },
      });
      const invalid = await rawCall(sf.platformId, protocol, 'ix_not_a_key');
      expect(invalid.status).toBe(401);
      expect(invalid.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const refused = (await invalid.json()) as RpcRefusal;
      expect(refused.error.data?.adcp_error).toMatchObject({
        code: 'AUTH_INVALID',
        recovery: 'terminal',
      });
      // Unpinned: the refusal a 3.0 caller always had.
      const old = await rawCall(sf.platformId, protocol, 'ix_not_a_key', false);
      expect(old.status).toBe(401);
      expect(((await old.json()) as RpcRefusal).error).not.toHaveProperty('data');
    }
  });

  it('refuses authentication material in the arguments with CREDENTIAL_IN_ARGS', async () => {
    const { sf, buyer, agent } = await storefrontAndBuyer();
    const a2a = await a2aBuyer(base, sf.platformId, buyer.key);
    try {
      const secret = 'sk-live-not-for-args-0123456789';
      const inExt = await agent.call('get_products', {
        buying_mode: 'wholesale',
        ...v31,
        ext: { vendor: { api_key: secret } },
        context: { probe: 'ext' },
      });
      expect(inExt).toMatchObject({
        isError: true,
        status: 'failed',
        adcp_error: {
          code: 'CREDENTIAL_IN_ARGS',
          field: 'ext.vendor.api_key',
          recovery: 'terminal',
        },
        context: { probe: 'ext' },
      });
      expect(JSON.stringify(inExt)).not.toContain(secret);
      // In the context: refused without echoing the context back.
      const inContext = await a2a.call('list_creative_formats', {
        ...v31,
        context: { accessToken: secret },
      });
      expect(inContext).toMatchObject({
        state: 'failed',
        adcp_error: { code: 'CREDENTIAL_IN_ARGS', field: 'context.accessToken' },
      });
      expect(JSON.stringify(inContext)).not.toContain(secret);
      // The credentials a buyer gives for our calls back to it are not the buyer's own.
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const withWebhook = await agent.call('create_media_buy', {
        ...buyOf(products[0]),
        ...v31,
        reporting_webhook: {
          url: 'https://buyer.example/reports',
          authentication: { schemes: ['Bearer'], credentials: 'x'.repeat(40) },
          reporting_frequency: 'daily',
        },
      });
      expect(withWebhook.adcp_error?.code).not.toBe('CREDENTIAL_IN_ARGS');
      // A 3.0 caller's arguments are not scanned: today's answer.
      const old = await agent.call('get_products', {
        buying_mode: 'wholesale',
        ext: { vendor: { api_key: secret } },
      });
      expect(old.isError).toBe(false);
    } finally {
      await agent.close();
    }
  });
});

describe('STALE_RESPONSE', () => {
  it('is never said of a live answer, even with a source failing', async () => {
    const failing = await startSeller('mcp');
    failing.answerInstead!('get_products', {
      error: { code: 'SERVICE_UNAVAILABLE', message: 'Inventory service down' },
    });
    const sf = await storefrontWith(h, [
      { sourceId: 'main', url: seller.url },
      { sourceId: 'failing', url: failing.url },
    ]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const answer = await agent.call('get_products', { buying_mode: 'wholesale', ...v31 });
      expect(answer).toMatchObject({ isError: false, status: 'completed' });
      expect(answer.products.length).toBeGreaterThan(0);
      const codes = (answer.errors ?? []).map((e: { code: string }) => e.code);
      expect(codes.length).toBeGreaterThan(0);
      expect(codes).not.toContain('STALE_RESPONSE');
    } finally {
      await agent.close();
      await failing.close();
    }
  });
});
