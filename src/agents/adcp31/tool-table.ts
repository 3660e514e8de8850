import type { AdcpServer } from '@adcp/sdk/server';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A registered tool's handler as the MCP server and @adcp/sdk's A2A adapter both call it. */
export type ToolHandler = (
  args: Record<string, unknown>,
  extra: unknown,
) => CallToolResult | Promise<CallToolResult>;

/** The part of an MCP SDK `RegisteredTool` this file uses (its public `update`). */
interface RegisteredTool {
  handler: unknown;
  update(updates: { callback: ToolHandler }): void;
}

/**
 * @adcp/sdk's handle on the MCP server inside an `AdcpServer` (`Symbol.for`, so the same symbol
 * as its adcp-server.js): the SDK reaches its tools through it for A2A (`invoke`), we for this.
 */
const sdkServerKey = Symbol.for('@adcp/client.sdkServer');

/**
 * Replaces every tool handler of a built server with `wrap(tool, handler)`: spec tools, custom
 * tools and the test controller alike. Both transports reach a tool through its registered
 * handler (MCP's tools/call, and @adcp/sdk's A2A adapter via `server.invoke`), so this is the
 * one place a protocol layer sees every call. Called once per server, after every tool is
 * registered. The one reach into @adcp/sdk 6.11.0's internals: its `AdcpServer` is opaque and
 * offers no hook around tools; nothing of the SDK is patched, only this server's own handlers
 * are swapped through the MCP SDK's public `RegisteredTool.update`.
 */
export function wrapEveryTool(
  server: AdcpServer,
  wrap: (tool: string, handler: ToolHandler) => ToolHandler,
): void {
  // cast: AdcpServer is opaque by design; its MCP server sits under the SDK's own symbol.
  const mcp = (server as unknown as Record<symbol, unknown>)[sdkServerKey] as
    { _registeredTools?: Record<string, RegisteredTool> } | undefined;
  const tools = mcp?._registeredTools;
  // A wrong SDK under us must fail the build of the agent, not silently serve 3.0 only.
  if (!tools) throw new Error('AdCP server without an MCP tool table: the 3.1 layer cannot attach');
  for (const [name, tool] of Object.entries(tools)) {
    // Task-augmented MCP tools ({createTask, …}) are not AdCP tools; none is registered today.
    if (typeof tool.handler !== 'function') continue;
    tool.update({ callback: wrap(name, tool.handler as ToolHandler) });
  }
}
