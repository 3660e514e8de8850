import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedToolCall {
  tool: string;
  args: Record<string, unknown>;
  /** The JSON the agent answered (the JSON-RPC `result`), when it answered JSON. */
  result?: Record<string, unknown>;
}

export interface RecordingProxy {
  /** The proxied agent endpoint, on this proxy's own loopback port. */
  url: string;
  /** MCP tools/call requests that passed, in order, with what the agent answered. */
  calls(): RecordedToolCall[];
  /** From now on, every request is answered HTTP 503 (the agent's host down), until `up`. */
  down(): void;
  up(): void;
  /** From now on, every tools/call answer is held `ms` before it is sent (a slow agent); 0: not. */
  slow(ms: number): void;
  close(): Promise<void>;
}

/**
 * A reverse proxy on a loopback socket in front of one MCP endpoint (`target`): it forwards each
 * POST as it came (headers and body) and the answer as it went, and records every `tools/call`
 * with its arguments and result, so a test sees exactly what one agent asked another over the
 * network. `down()` makes the upstream unreachable as a 503 from its load balancer would. GETs
 * under /.well-known/ go to the target's origin (its published keys).
 */
export async function startRecordingProxy(
  target: string,
  options: {
    /** Tools the proxied agent is made not to have (answered JSON-RPC "method not found"). */
    withoutTools?: readonly string[];
  } = {},
): Promise<RecordingProxy> {
  const recorded: RecordedToolCall[] = [];
  let isDown = false;
  let slowMs = 0;
  const http = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (isDown) return void res.writeHead(503).end('down');
      const body = Buffer.concat(chunks).toString();
      // The agent's origin publishes its signing keys (another Interchange's /.well-known/).
      if (req.method === 'GET' && req.url?.startsWith('/.well-known/')) {
        const keys = await fetch(new URL(req.url, target));
        res.writeHead(keys.status, { 'content-type': 'application/json' });
        return void res.end(await keys.text());
      }
      const asked = parse(body) as { id?: unknown; method?: string; params?: { name?: string } };
      if (
        asked?.method === 'tools/call' &&
        options.withoutTools?.includes(String(asked.params?.name))
      ) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: asked.id ?? null,
            error: { code: -32601, message: `Unknown tool: ${String(asked.params?.name)}` },
          }),
        );
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) {
          headers[name] = value;
        }
      }
      const answer = await fetch(target, {
        method: req.method ?? 'POST',
        headers,
        ...(body && req.method !== 'GET' && { body }),
      });
      const text = await answer.text();
      const message = parse(body);
      if (message?.method === 'tools/call' && slowMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, slowMs));
      }
      if (message?.method === 'tools/call') {
        const params = (message.params ?? {}) as { name?: string; arguments?: unknown };
        const result = resultOf(text);
        recorded.push({
          tool: String(params.name),
          args: (params.arguments ?? {}) as Record<string, unknown>,
          ...(result && { result }),
        });
      }
      const type = answer.headers.get('content-type');
      const session = answer.headers.get('mcp-session-id');
      res.writeHead(answer.status, {
        ...(type && { 'content-type': type }),
        ...(session && { 'mcp-session-id': session }),
      });
      res.end(text);
    })().catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${new URL(target).pathname}`,
    calls: () => recorded,
    down: () => void (isDown = true),
    up: () => void (isDown = false),
    slow: (ms) => void (slowMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function parse(text: string): { method?: string; params?: unknown; result?: unknown } | undefined {
  try {
    return JSON.parse(text) as { method?: string; params?: unknown };
  } catch {
    return undefined;
  }
}

/** The JSON-RPC result of a JSON answer or of an SSE stream's data line. */
function resultOf(text: string): Record<string, unknown> | undefined {
  const json = text.trimStart().startsWith('{')
    ? text
    : text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5))
        .join('');
  const result = parse(json)?.result as { structuredContent?: unknown } | undefined;
  const content = result?.structuredContent;
  return content && typeof content === 'object' ? (content as Record<string, unknown>) : undefined;
}
