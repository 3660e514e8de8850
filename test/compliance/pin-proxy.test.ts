import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinned, startPinProxy, type PinProxy } from '../../scripts/compliance/stock/pin-proxy.js';

/*
 * The stock-CLI run's proxy (issue 70 item 6) adds the buyer's pin and nothing else: an MCP tool
 * call's arguments and an A2A message's AdCP input get `adcp_version`, a request that names one
 * keeps it, anything else goes through as it came, and an A2A card keeps the runner on the proxy.
 */

describe('the pin', () => {
  it('is added to a tool call and an A2A input, and never over a pin the request names', () => {
    const call = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'x', arguments: { a: 1 } },
    };
    expect(pinned(call, '3.1')).toBe(true);
    expect(call.params.arguments).toEqual({ adcp_version: '3.1', a: 1 });
    const own = { method: 'tools/call', params: { name: 'x', arguments: { adcp_version: '4.0' } } };
    expect(pinned(own, '3.1')).toBe(false);
    expect(own.params.arguments).toEqual({ adcp_version: '4.0' });
    const message = {
      method: 'message/send',
      params: {
        message: {
          parts: [{ kind: 'data', data: { skill: 'get_products', input: { brief: 'b' } } }],
        },
      },
    };
    expect(pinned(message, '3.1')).toBe(true);
    expect(message.params.message.parts[0]!.data.input).toEqual({
      adcp_version: '3.1',
      brief: 'b',
    });
    expect(pinned({ method: 'tools/list', params: {} }, '3.1')).toBe(false);
  });
});

describe('the proxy', () => {
  let agent: ReturnType<typeof createServer>;
  let origin: string;
  let proxy: PinProxy;
  const seen: Array<{ url: string; auth?: string; body: string }> = [];

  beforeAll(async () => {
    agent = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        if (req.url?.endsWith('agent-card.json'))
          res.end(JSON.stringify({ url: `${origin}/a/a2a` }));
        else res.end(JSON.stringify({ echoed: body ? JSON.parse(body) : null }));
      });
    });
    await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(agent.address() as AddressInfo).port}`;
    proxy = await startPinProxy(origin, '3.1');
  });
  afterAll(async () => {
    await proxy?.close();
    await new Promise((resolve) => agent?.close(resolve));
  });

  it('forwards the call pinned, with its credentials, and keeps the card on itself', async () => {
    const url = proxy.via(`${origin}/a/mcp`);
    expect(url).not.toContain(origin);
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 't', arguments: {} },
      }),
    });
    expect(await answer.json()).toEqual({
      echoed: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 't', arguments: { adcp_version: '3.1' } },
      },
    });
    expect(seen.at(-1)).toMatchObject({ url: '/a/mcp', auth: 'Bearer k' });
    const card = (await (
      await fetch(proxy.via(`${origin}/a/a2a/.well-known/agent-card.json`))
    ).json()) as { url: string };
    expect(card.url).toBe(proxy.via(`${origin}/a/a2a`));
  });
});
