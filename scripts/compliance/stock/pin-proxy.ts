import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord } from '../../../src/platform/is-record.js';

/**
 * A buyer's pin and nothing else, between the stock 6.11 runner and an agent: every JSON-RPC
 * request that calls an AdCP tool (MCP `tools/call`: its `arguments`; A2A `message/send` /
 * `message/stream`: the DataPart's `input` or `parameters`) gets `adcp_version` unless it names
 * one (version_negotiation sends its own), exactly as a 3.1 buyer's client sends it. Everything
 * else, headers and answers included, passes through as it came; an A2A card's own URL is
 * rewritten to the proxy so the runner's client keeps talking through it. This is what the
 * unpatched CLI a buyer has can do with the 3.1.19 storyboards (docs/conformance.md).
 */
export interface PinProxy {
  /** `url` (the agent's) as reached through the proxy. */
  via(url: string): string;
  close(): Promise<void>;
}

/** Adds the pin to one JSON-RPC message, in place; answers whether it did. */
export function pinned(message: unknown, pin: string): boolean {
  if (!isRecord(message) || !isRecord(message['params'])) return false;
  const params = message['params'];
  if (message['method'] === 'tools/call') {
    const args = isRecord(params['arguments']) ? params['arguments'] : {};
    if ('adcp_version' in args) return false;
    params['arguments'] = { adcp_version: pin, ...args };
    return true;
  }
  if (message['method'] !== 'message/send' && message['method'] !== 'message/stream') return false;
  const parts = isRecord(params['message']) ? params['message']['parts'] : undefined;
  if (!Array.isArray(parts)) return false;
  let changed = false;
  for (const part of parts) {
    if (!isRecord(part) || part['kind'] !== 'data' || !isRecord(part['data'])) continue;
    const data = part['data'];
    const key = isRecord(data['input']) || !isRecord(data['parameters']) ? 'input' : 'parameters';
    const input = isRecord(data[key]) ? data[key] : {};
    if ('adcp_version' in input) continue;
    data[key] = { adcp_version: pin, ...input };
    changed = true;
  }
  return changed;
}

/** Starts a proxy to `origin` (scheme, host and port of the agent) on a loopback port. */
export async function startPinProxy(origin: string, pin: string): Promise<PinProxy> {
  const target = new URL(origin).origin;
  let self = '';
  const server: Server = createServer((req, res) => {
    void forward(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`pin proxy: ${(error as Error).message}`);
    });
  });
  async function forward(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Buffer | undefined = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    if (body && req.headers['content-type']?.includes('json')) {
      try {
        const message: unknown = JSON.parse(body.toString('utf8'));
        const messages = Array.isArray(message) ? message : [message];
        if (messages.map((m) => pinned(m, pin)).some(Boolean)) {
          body = Buffer.from(JSON.stringify(message));
        }
      } catch {
        // Not JSON after all: sent as it came, for the agent to refuse.
      }
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || ['host', 'content-length', 'connection'].includes(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const answer = await fetch(`${target}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body && req.method !== 'GET' && req.method !== 'HEAD' && { body }),
      redirect: 'manual',
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (
        !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)
      ) {
        out[name] = value;
      }
    });
    let payload = Buffer.from(await answer.arrayBuffer());
    // An agent card names its endpoint: the runner must keep coming through here.
    if (/agent(-card)?\.json$/.test(new URL(req.url ?? '/', target).pathname)) {
      payload = Buffer.from(payload.toString('utf8').split(target).join(self));
    }
    res.writeHead(answer.status, out);
    res.end(payload);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    via: (url) => url.replace(new URL(url).origin, self),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
