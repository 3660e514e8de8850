import type { AdcpServer } from '@adcp/sdk/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A registered tool's handler as the MCP server and @adcp/sdk's A2A adapter both call it. */
export type ToolHandler = (
  args: Record<string, unknown>,
  extra: unknown,
) => CallToolResult | Promise<CallToolResult>;

/** The part of an MCP SDK `RegisteredTool` read or changed here (its public `update`). */
export interface RegisteredTool {
  title?: string;
  description?: string;
  annotations?: Record<string, unknown>;
  enabled: boolean;
  handler: unknown;
  update(updates: { callback: ToolHandler }): void;
}

/**
 * @adcp/sdk's handle on the MCP server inside an `AdcpServer` (`Symbol.for`, so the same symbol
 * as its adcp-server.js): the SDK reaches its tools through it for A2A (`invoke`), we for this.
 */
const sdkServerKey = Symbol.for('@adcp/client.sdkServer');

/**
 * The MCP server inside a built `AdcpServer` and its tool table. The one reach into @adcp/sdk
 * 6.11.0's internals: its `AdcpServer` is opaque and offers no hook around tools nor over
 * `tools/list`; nothing of the SDK is patched, only this server's own handlers and its own
 * `tools/list` answer (tool-schemas/) are set through the MCP SDK's public API. A wrong SDK under
 * us fails the build of the agent, never silently serves without the layers.
 */
export function mcpServerOf(server: AdcpServer): {
  mcp: McpServer;
  tools: Record<string, RegisteredTool>;
} {
  // cast: AdcpServer is opaque by design; its MCP server sits under the SDK's own symbol.
  const mcp = (server as unknown as Record<symbol, unknown>)[sdkServerKey] as McpServer | undefined;
  // cast: `_registeredTools` is the MCP SDK's own (private in its types, public at run time).
  const tools = (mcp as unknown as { _registeredTools?: Record<string, RegisteredTool> })
    ?._registeredTools;
  if (!mcp || !tools) throw new Error('AdCP server without an MCP tool table: cannot attach');
  return { mcp, tools };
}

/**
 * Replaces every tool handler of a built server with `wrap(tool, handler)`: spec tools, custom
 * tools and the test controller alike. Both transports reach a tool through its registered
 * handler (MCP's tools/call, and @adcp/sdk's A2A adapter via `server.invoke`), so this is the
 * one place a protocol layer sees every call. Called after every tool is registered.
 */
export function wrapEveryTool(
  server: AdcpServer,
  wrap: (tool: string, handler: ToolHandler) => ToolHandler,
): void {
  for (const [name, tool] of Object.entries(mcpServerOf(server).tools)) {
    // Task-augmented MCP tools ({createTask, …}) are not AdCP tools; none is registered today.
    if (typeof tool.handler !== 'function') continue;
    // cast: a function-valued handler of a tool registered with a callback is this signature.
    tool.update({ callback: wrap(name, tool.handler as ToolHandler) });
  }
}
