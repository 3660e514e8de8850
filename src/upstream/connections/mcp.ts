import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ProbeSession } from '../session.js';

const clientInfo = { name: 'interchange', version: '1.0.0' };

/**
 * Opens one MCP connection over Streamable HTTP through the session's fetch, runs `work` on it
 * and closes it. `requestOptions()` bounds each request by what is left of the session's time.
 */
export async function withMcpClient<T>(
  endpointUrl: string,
  session: ProbeSession,
  work: (client: Client, requestOptions: () => RequestOptions) => Promise<T>,
): Promise<T> {
  const client = new Client(clientInfo);
  const transport = new StreamableHTTPClientTransport(new URL(endpointUrl), {
    fetch: session.fetch,
  });
  const requestOptions = () => ({ signal: session.signal, timeout: session.remainingMs() });
  try {
    await client.connect(transport, requestOptions());
    return await work(client, requestOptions);
  } finally {
    await client.close().catch(() => {});
  }
}
