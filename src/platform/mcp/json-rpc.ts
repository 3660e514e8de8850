/**
 * A JSON-RPC 2.0 error answer, as MCP and A2A clients expect it from an agent endpoint (refusals
 * before any tool runs: 401, 404, 405, 429, unstorable input). `id` is null when the request's
 * own id is unknown.
 */
export function jsonRpcError(code: number, message: string, id: unknown = null) {
  return { jsonrpc: '2.0' as const, error: { code, message }, id };
}
