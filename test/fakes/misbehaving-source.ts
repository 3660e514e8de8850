import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the source answers get_products: like its upstream, or one of the ways sources fail. */
export type Misbehaviour = 'ok' | 'hang' | 'http-500' | 'garbage' | 'huge';

export interface MisbehavingSource {
  /** Its MCP endpoint. */
  url: string;
  /** From now on, get_products calls are answered this way (everything else passes through). */
  set(mode: Misbehaviour): void;
  /** get_products calls it received. */
  productCalls(): number;
  close(): Promise<void>;
}

/**
 * An AdCP sales agent that goes wrong on demand: a real MCP endpoint on a loopback socket
 * relaying to a working seller, except that its get_products calls, once told, hang (the
 * connection held open, nothing sent), answer HTTP 500, answer 200 with bytes that are neither
 * JSON nor an event stream, or answer a 10 MB JSON-RPC body. The MCP handshake, tools/list and
 * capability calls pass through untouched, so the source registers and activates as a good one.
 */
export async function startMisbehavingSource(upstreamUrl: string): Promise<MisbehavingSource> {
  let mode: Misbehaviour = 'ok';
  let productCalls = 0;
  const held = new Set<Socket>();
  const server = createServer((req, res) => {
    void relay(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  async function relay(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const rpc = req.method === 'POST' && body ? (JSON.parse(body) as JsonRpc) : undefined;
    if (rpc?.method === 'tools/call' && rpc.params?.name === 'get_products') {
      productCalls += 1;
      if (mode !== 'ok') return misbehave(rpc, res);
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'accept', 'authorization', 'mcp-session-id']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    headers['mcp-protocol-version'] = String(req.headers['mcp-protocol-version'] ?? '2025-06-18');
    const answer = await fetch(upstreamUrl, {
      method: req.method ?? 'POST',
      headers,
      ...(body && { body }),
    });
    const out: Record<string, string> = {};
    for (const name of ['content-type', 'mcp-session-id']) {
      const value = answer.headers.get(name);
      if (value) out[name] = value;
    }
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  }

  function misbehave(rpc: JsonRpc, res: ServerResponse) {
    switch (mode) {
      case 'hang':
        // Nothing is sent; the socket stays open until the caller gives up or the fake closes.
        held.add(res.socket!);
        res.socket!.once('close', () => held.delete(res.socket!));
        return;
      case 'http-500':
        res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
        return;
      case 'garbage':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('\u0000\u00ff{"jsonrpc": "2.0", "id": not json at all ]]');
        return;
      case 'huge': {
        // A well-formed JSON-RPC answer of about 10 MB: one product with an enormous description.
        const description = 'x'.repeat(10 * 1024 * 1024);
        const products = [{ product_id: 'huge', name: 'Huge', description }];
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: rpc.id,
            result: {
              content: [{ type: 'text', text: 'products' }],
              structuredContent: { products },
            },
          }),
        );
        return;
      }
      default:
        res.writeHead(500).end();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    set: (next) => void (mode = next),
    productCalls: () => productCalls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface JsonRpc {
  id?: unknown;
  method?: string;
  params?: { name?: unknown };
}
