import {
  askCapabilities,
  capabilitiesTool,
  readCapabilities,
  type Discovery,
} from './discovery.js';
import { withMcpClient } from '../connections/mcp.js';
import type { ProbeSession } from '../session.js';

const maxToolPages = 10;

/**
 * Talks to an MCP agent over Streamable HTTP with one connection for the whole probe:
 * initialize, list tools, call get_adcp_capabilities when offered (askCapabilities), close.
 */
export function discoverMcp(
  endpointUrl: string,
  session: ProbeSession,
  speaks31: boolean,
): Promise<Discovery> {
  return withMcpClient(endpointUrl, session, async (client, requestOptions) => {
    const tools: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxToolPages; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, requestOptions());
      tools.push(...result.tools.map((tool) => tool.name));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    const capabilities = tools.includes(capabilitiesTool)
      ? await askCapabilities(
          async (args) =>
            readCapabilities(
              await client.callTool(
                { name: capabilitiesTool, arguments: args },
                undefined,
                requestOptions(),
              ),
              'mcp',
            ),
          speaks31,
        )
      : undefined;
    return {
      agentName: client.getServerVersion()?.name ?? null,
      tools,
      capabilities,
      authTypes: [],
    };
  });
}
