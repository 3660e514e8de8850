import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { capabilitiesTool, readCapabilities, type Discovery } from './discovery.js';
import type { ProbeSession } from './session.js';

const clientInfo = { name: 'interchange', version: '1.0.0' };
const maxToolPages = 10;

/**
 * Talks to an MCP agent over Streamable HTTP with one connection for the whole probe:
 * initialize, list tools, call get_adcp_capabilities when offered, close.
 */
export async function discoverMcp(endpointUrl: string, session: ProbeSession): Promise<Discovery> {
  const client = new Client(clientInfo);
  const transport = new StreamableHTTPClientTransport(new URL(endpointUrl), {
    fetch: session.fetch,
  });
  const requestOptions = () => ({ signal: session.signal, timeout: session.remainingMs() });
  try {
    await client.connect(transport, requestOptions());
    const tools: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxToolPages; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, requestOptions());
      tools.push(...result.tools.map((tool) => tool.name));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    const capabilities = tools.includes(capabilitiesTool)
      ? readCapabilities(
          await client.callTool(
            { name: capabilitiesTool, arguments: {} },
            undefined,
            requestOptions(),
          ),
          'mcp',
        )
      : undefined;
    return {
      agentName: client.getServerVersion()?.name ?? null,
      tools,
      capabilities,
      authTypes: [],
    };
  } finally {
    await client.close().catch(() => {});
  }
}
