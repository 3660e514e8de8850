import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface FakeSignalsAgent {
  url: string;
  /** get_signals and activate_signal calls received, with their arguments, in order. */
  calls(): Array<{ tool: string; args: Record<string, unknown>; authorization?: string }>;
  close(): Promise<void>;
}

export type Behaviour =
  /** Answers AdCP get_signals / activate_signal (MCP over Streamable HTTP, JSON answers). */
  | { kind: 'agent'; signals: Array<Record<string, unknown>>; token?: string }
  /** Accepts the connection and never answers. */
  | { kind: 'hang' }
  /** Answers every request HTTP 500. */
  | { kind: 'error500' };

/**
 * A signals agent on a loopback socket, written from AdCP's signals protocol (get_signals answers
 * `signals[]` with signal_agent_segment_id, activate_signal answers `deployments[]` per
 * destination), or one that hangs or fails; it records what it received.
 */
export async function startFakeSignalsAgent(behaviour: Behaviour): Promise<FakeSignalsAgent> {
  const calls: Array<{ tool: string; args: Record<string, unknown>; authorization?: string }> = [];
  const held: ServerResponse[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (behaviour.kind === 'hang') return void held.push(res);
    if (behaviour.kind === 'error500') return void res.writeHead(500).end('internal error');
    if (behaviour.token && req.headers.authorization !== `Bearer ${behaviour.token}`) {
      return void res.writeHead(401).end();
    }
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || 'null') as {
      method?: string;
      params?: { name: string; arguments?: Record<string, unknown> };
    } | null;
    if (body?.method === 'tools/call' && body.params) {
      calls.push({
        tool: body.params.name,
        args: body.params.arguments ?? {},
        authorization: req.headers.authorization,
      });
    }
    const server = new McpServer({ name: 'fake signals agent', version: '0.1.0' });
    const answer = (data: Record<string, unknown>) => ({
      content: [{ type: 'text' as const, text: JSON.stringify(data) }],
      structuredContent: data,
    });
    server.registerTool('get_signals', {}, async () => answer({ signals: behaviour.signals }));
    server.registerTool('activate_signal', {}, async () => {
      const args = calls.at(-1)?.args ?? {};
      const destinations = Array.isArray(args['destinations']) ? args['destinations'] : [];
      return answer({
        deployments: destinations.map((d: Record<string, unknown>) => ({
          ...d,
          is_live: d['type'] === 'agent',
          ...(d['type'] === 'agent' && {
            activation_key: {
              type: 'key_value',
              key: 'segment',
              value: String(args['signal_agent_segment_id']),
            },
          }),
        })),
      });
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    await server.close();
  };
  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
