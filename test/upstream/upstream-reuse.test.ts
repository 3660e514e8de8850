import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUpstreamClient,
  credentialOwner,
  type UpstreamClient,
} from '../../src/upstream/index.js';
import { startSeller, type RunningSeller } from '../fixtures/sellers.js';

let upstream: UpstreamClient;
let seller: RunningSeller;
let bearer: RunningSeller;

beforeAll(async () => {
  upstream = createUpstreamClient({ allowPrivateNetwork: true });
  [seller, bearer] = await Promise.all([startSeller('mcp'), startSeller('bearer')]);
});
afterAll(async () => {
  await upstream.close();
  await Promise.all([seller, bearer].map((s) => s?.close()));
});

const wholesale = { buying_mode: 'wholesale' };

describe('MCP connections to a source are reused', () => {
  it('handshakes once, then each tool call is one request, concurrent calls included', async () => {
    const target = {
      endpointUrl: seller.url,
      protocol: 'MCP' as const,
      auth: { type: 'NO_AUTH' as const },
      owner: credentialOwner.inventorySource(1),
    };
    const first = await upstream.callTool(target, 'get_products', wholesale);
    expect(first.ok).toBe(true);
    const after = seller.mcpMethods().length;
    const more = await Promise.all(
      [1, 2, 3].map(() => upstream.callTool(target, 'get_products', wholesale)),
    );
    expect(more.every((r) => r.ok)).toBe(true);
    expect(seller.mcpMethods().slice(after)).toEqual(['tools/call', 'tools/call', 'tools/call']);
    expect(seller.mcpMethods().filter((m) => m === 'initialize')).toHaveLength(1);
  });

  it('keeps credentials apart: another token gets its own connection, a refused one is not kept', async () => {
    const withToken = (token: string) => ({
      endpointUrl: bearer.url,
      protocol: 'MCP' as const,
      auth: { type: 'API_KEY' as const, token },
      owner: credentialOwner.inventorySource(2),
    });
    expect((await upstream.callTool(withToken(bearer.token!), 'get_products', wholesale)).ok).toBe(
      true,
    );
    const refused = await upstream.callTool(withToken('not-the-token'), 'get_products', wholesale);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('unauthorized');
    // The good credential's connection still works, and the refused one was not cached.
    expect((await upstream.callTool(withToken(bearer.token!), 'get_products', wholesale)).ok).toBe(
      true,
    );
    expect(
      (await upstream.callTool(withToken('not-the-token'), 'get_products', wholesale)).ok,
    ).toBe(false);
  });

  it('never shares a connection between owners, even with equal credentials', async () => {
    const own = await startSeller('mcp');
    const targetOf = (owner?: string) => ({
      endpointUrl: own.url,
      protocol: 'MCP' as const,
      auth: { type: 'NO_AUTH' as const },
      ...(owner && { owner }),
    });
    const handshakes = () => own.mcpMethods().filter((m) => m === 'initialize').length;
    for (const id of [10, 11, 10]) {
      const owner = credentialOwner.inventorySource(id);
      expect((await upstream.callTool(targetOf(owner), 'get_products', wholesale)).ok).toBe(true);
    }
    expect(handshakes()).toBe(2);
    // No owner, no reuse: each call connects (and hangs up) on its own.
    await upstream.callTool(targetOf(), 'get_products', wholesale);
    await upstream.callTool(targetOf(), 'get_products', wholesale);
    expect(handshakes()).toBe(4);
    await own.close();
  });

  it('reconnects after the source went away and came back', async () => {
    const flaky = await startSeller('mcp');
    const target = {
      endpointUrl: flaky.url,
      protocol: 'MCP' as const,
      auth: { type: 'NO_AUTH' as const },
      owner: credentialOwner.inventorySource(3),
    };
    expect((await upstream.callTool(target, 'get_products', wholesale)).ok).toBe(true);
    flaky.setDelay(3000);
    const slow = await upstream.callTool(target, 'get_products', wholesale, { timeoutMs: 300 });
    expect(slow.ok).toBe(false);
    flaky.setDelay(0);
    const again = await upstream.callTool(target, 'get_products', wholesale);
    expect(again.ok).toBe(true);
    await flaky.close();
  });
});
