import { describe, expect, it } from 'vitest';
import { readOnlyFetch } from './read-only.js';

/** A fetch that records what reached it and answers an empty JSON-RPC result. */
function recording() {
  const sent: string[] = [];
  const fetch = async (_input: string | URL | Request, init?: RequestInit) => {
    sent.push(String(init?.body ?? ''));
    return new Response('{"jsonrpc":"2.0","id":1,"result":{}}', {
      headers: { 'content-type': 'application/json' },
    });
  };
  return { sent, fetch: readOnlyFetch(fetch as typeof globalThis.fetch) };
}

const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });
const mcpCall = (name: string) => ({
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: { name, arguments: {} },
});
const a2aCall = (skill?: string) => ({
  jsonrpc: '2.0',
  id: 'm1',
  method: 'message/send',
  params: {
    message: {
      role: 'user',
      parts: skill ? [{ kind: 'data', data: { skill, parameters: {} } }] : [{ kind: 'text' }],
    },
  },
});

describe("a compliance run's fetch without bookings", () => {
  it('lets reads through and answers a money-moving MCP call itself, with a JSON-RPC error', async () => {
    const { sent, fetch } = recording();
    await fetch('http://seller/mcp', post(mcpCall('get_products')));
    await fetch('http://seller/mcp', post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(sent).toHaveLength(2);
    for (const tool of [
      'create_media_buy',
      'update_media_buy',
      'sync_creatives',
      'activate_signal',
    ]) {
      const answer = await fetch('http://seller/mcp', post(mcpCall(tool)));
      const body = (await answer.json()) as { id: number; error: { message: string } };
      expect(body.id).toBe(7);
      expect(body.error.message).toContain(tool);
    }
    expect(sent).toHaveLength(2);
  });

  it('refuses an A2A message naming a money-moving skill, or none, and a batch holding one', async () => {
    const { sent, fetch } = recording();
    await fetch('http://seller/a2a', post(a2aCall('get_media_buys')));
    expect(sent).toHaveLength(1);
    await fetch('http://seller/a2a', post(a2aCall('create_media_buy')));
    await fetch('http://seller/a2a', post(a2aCall()));
    const batch = await fetch(
      'http://seller/mcp',
      post([mcpCall('get_products'), mcpCall('sync_accounts')]),
    );
    expect(((await batch.json()) as unknown[]).length).toBe(2);
    const asRequest = await fetch(
      new Request('http://seller/mcp', post(mcpCall('create_media_buy'))),
    );
    expect(((await asRequest.json()) as { error?: unknown }).error).toBeDefined();
    expect(sent).toHaveLength(1);
  });
});
