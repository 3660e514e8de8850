import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** An agent's MCP client of /mcp/v2/{persona}, holding the customer's own API key. */
export async function mcpClient(
  baseUrl: string,
  persona: 'buyer' | 'storefront',
  key: string,
  path?: string,
) {
  const client = new Client({ name: 'mcp-server-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}${path ?? `/mcp/v2/${persona}`}`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return {
    client,
    /** Calls a tool; answers the envelope it carries, with isError and the HTTP status. */
    async call(tool: string, args: Record<string, unknown> = {}) {
      const result = await client.callTool({ name: tool, arguments: args });
      const content = result.content as Array<{ type: string; text: string }>;
      // The text content is the envelope; _meta carries the HTTP status.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
      const envelope = JSON.parse(content[0]!.text) as any;
      const status = (result._meta as { status?: number } | undefined)?.status;
      return { isError: result.isError === true, status, ...envelope };
    },
    close: () => client.close(),
  };
}
