import { extractResult, unwrapProtocolResponse, type ToolCallResultLike } from '@adcp/sdk';
import { connectA2a, skillMessage } from '../connections/a2a.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { isRecord } from '../../platform/is-record.js';
import { a2aDataOf, adcpTaskIdOf, textOf } from './payload.js';
import type { ProbeSession } from '../session.js';

/** What an agent answered to a tool call, before it becomes a ToolCallResult. */
export type ToolAnswer =
  /** A payload to read; `state` is the transport's task state when it has one (A2A). */
  | { kind: 'payload'; payload: Record<string, unknown>; state?: string; taskId?: string }
  /** The agent marked the call failed (MCP isError, A2A failed/rejected/canceled task). */
  | { kind: 'refused'; payload: Record<string, unknown> | undefined; text?: string }
  /** A JSON-RPC error instead of a result (A2A). */
  | { kind: 'rpc_error'; code: number; message: string }
  /** The agent wants other credentials before it goes on (A2A auth-required). */
  | { kind: 'auth_required' }
  | { kind: 'unreadable' };

/**
 * Calls an MCP tool on a connection `connect` provides (kept per source and credential, see
 * connections/mcp-client-cache.ts); the payload is structuredContent, else JSON text.
 */
export function callMcpTool(
  connect: <R>(
    work: (client: Client, requestOptions: () => RequestOptions) => Promise<R>,
  ) => Promise<R>,
  tool: string,
  args: Record<string, unknown>,
): Promise<ToolAnswer> {
  return connect(async (client, requestOptions) => {
    const response = await client.callTool(
      { name: tool, arguments: args },
      undefined,
      requestOptions(),
    );
    const payload = extractResult(response as ToolCallResultLike);
    const record = isRecord(payload) ? payload : undefined;
    if (response.isError === true) {
      return { kind: 'refused', payload: record, text: textOf(response) };
    }
    return record ? { kind: 'payload', payload: record } : { kind: 'unreadable' };
  });
}

/** Sends an A2A message invoking the skill and reads the Task or Message it answers with. */
export async function callA2aTool(
  baseUrl: string,
  session: ProbeSession,
  tool: string,
  args: Record<string, unknown>,
): Promise<ToolAnswer> {
  const client = await connectA2a(baseUrl, session);
  const response: unknown = await client.sendMessage(skillMessage(tool, args));
  if (!isRecord(response)) return { kind: 'unreadable' };
  const rpcError = response['error'];
  if (isRecord(rpcError)) {
    const code = typeof rpcError['code'] === 'number' ? rpcError['code'] : 0;
    const message = typeof rpcError['message'] === 'string' ? rpcError['message'] : '';
    return { kind: 'rpc_error', code, message };
  }
  const result = response['result'];
  if (!isRecord(result)) return { kind: 'unreadable' };
  const status = isRecord(result['status']) ? result['status'] : {};
  const state = result['kind'] === 'message' ? 'completed' : status['state'];
  const payload = a2aDataOf(result);
  switch (state) {
    case 'completed': {
      const data = unwrapped(response) ?? payload;
      const taskId = adcpTaskIdOf(result);
      return data ? { kind: 'payload', payload: data, ...(taskId && { taskId }) } : unreadable;
    }
    case 'submitted':
    case 'working':
    case 'input-required': {
      const taskId = typeof result['id'] === 'string' ? result['id'] : undefined;
      return { kind: 'payload', payload: payload ?? {}, state, ...(taskId && { taskId }) };
    }
    case 'failed':
    case 'rejected':
    case 'canceled':
      return { kind: 'refused', payload, text: textOf(status['message']) };
    case 'auth-required':
      return { kind: 'auth_required' };
    default:
      return unreadable;
  }
}

const unreadable: ToolAnswer = { kind: 'unreadable' };

// @adcp/sdk's reading of a completed task (last artifact, last DataPart, a nested `response`
// unwrapped). It throws on shapes it does not expect; a2aDataOf reads those leniently.
function unwrapped(response: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    const data: unknown = unwrapProtocolResponse(response, undefined, 'a2a');
    if (!isRecord(data)) return undefined;
    // The unwrapper adds the TextParts as `_message`; that is not part of the AdCP payload.
    const { _message: _text, ...payload } = data;
    return payload;
  } catch {
    return undefined;
  }
}
