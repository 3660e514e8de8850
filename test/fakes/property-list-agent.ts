import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface FakePropertyListAgent {
  url: string;
  /** get_property_list calls received, with their arguments, in order. */
  calls(): Array<{ args: Record<string, unknown>; authorization?: string }>;
  close(): Promise<void>;
}

export interface PropertyListAgentOptions {
  /** Each list's domains, by list_id. */
  lists: Record<string, string[]>;
  /** Identifiers per page (the request's max_results when smaller); default: all on one page. */
  pageSize?: number;
  /** When set, every call must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** cache_valid_until, seconds from now; default 3600. */
  cacheSeconds?: number;
}

/**
 * A property-list (governance) agent on a loopback socket, written from AdCP 3.1's
 * property/get-property-list-request.json and -response.json: get_property_list answers the
 * list's metadata (property-list.json: list_id, name, property_count), its resolved `domain`
 * identifiers a page at a time (pagination: has_more, cursor), resolved_at and
 * cache_valid_until; an unknown list is an AdCP REFERENCE_NOT_FOUND error. It records the calls.
 */
export async function startFakePropertyListAgent(
  options: PropertyListAgentOptions,
): Promise<FakePropertyListAgent> {
  const calls: Array<{ args: Record<string, unknown>; authorization?: string }> = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      return void res.writeHead(401).end();
    }
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || 'null') as {
      method?: string;
      params?: { name: string; arguments?: Record<string, unknown> };
    } | null;
    const args = body?.method === 'tools/call' ? (body.params?.arguments ?? {}) : {};
    if (body?.method === 'tools/call') {
      calls.push({
        args,
        ...(req.headers.authorization && { authorization: req.headers.authorization }),
      });
    }
    const server = new McpServer({ name: 'fake property-list agent', version: '0.1.0' });
    server.registerTool('get_property_list', {}, async () => answerFor(args, options));
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
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function answerFor(args: Record<string, unknown>, options: PropertyListAgentOptions) {
  const listId = String(args['list_id'] ?? '');
  const domains = options.lists[listId];
  if (!domains) {
    const error = { code: 'REFERENCE_NOT_FOUND', message: `No property list ${listId}` };
    return {
      isError: true,
      content: [{ type: 'text' as const, text: JSON.stringify({ adcp_error: error }) }],
      structuredContent: { adcp_error: error },
    };
  }
  const pagination = (args['pagination'] ?? {}) as { max_results?: number; cursor?: string };
  const size = Math.min(options.pageSize ?? domains.length, pagination.max_results ?? 1000);
  const start = Number(pagination.cursor ?? 0);
  const page = domains.slice(start, start + size);
  const more = start + size < domains.length;
  const now = Date.now();
  const data = {
    list: { list_id: listId, name: `List ${listId}`, property_count: domains.length },
    identifiers: page.map((value) => ({ type: 'domain', value })),
    pagination: { has_more: more, ...(more && { cursor: String(start + size) }) },
    resolved_at: new Date(now).toISOString(),
    cache_valid_until: new Date(now + (options.cacheSeconds ?? 3600) * 1000).toISOString(),
  };
  return {
    content: [{ type: 'text' as const, text: JSON.stringify(data) }],
    structuredContent: data,
  };
}
