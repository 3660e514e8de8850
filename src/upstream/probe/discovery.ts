import { extractResult, unwrapProtocolResponse, type ToolCallResultLike } from '@adcp/sdk';
import { isRecord } from '../../platform/is-record.js';
import { a2aDataOf } from '../calls/payload.js';

/** What one conversation with an agent revealed, before it is mapped to a ProbeSuccess. */
export interface Discovery {
  agentName: string | null;
  /** Advertised tool (MCP) or skill (A2A) names. */
  tools: string[];
  /**
   * The get_adcp_capabilities response when the agent answered it successfully; undefined
   * when it has no such tool or its answer was an error or not understood.
   */
  capabilities: Record<string, unknown> | undefined;
  /** Auth schemes advertised outside the capabilities (the A2A agent card). */
  authTypes: string[];
}

export const capabilitiesTool = 'get_adcp_capabilities';

/**
 * The capabilities payload of a get_adcp_capabilities answer (an MCP CallToolResult or an A2A
 * SendMessageResponse), through @adcp/sdk's protocol unwrapper; undefined for error answers
 * and anything that is not a capabilities manifest.
 */
export function readCapabilities(
  response: unknown,
  protocol: 'mcp' | 'a2a',
): Record<string, unknown> | undefined {
  if (isRecord(response) && response['isError'] === true) return undefined;
  const data = validated(response, protocol) ?? unvalidated(response, protocol);
  if (!isRecord(data) || 'adcp_error' in data) return undefined;
  // A manifest carries at least one of these; `errors` alone is a failed answer.
  return isRecord(data['adcp']) || Array.isArray(data['supported_protocols']) ? data : undefined;
}

function validated(response: unknown, protocol: 'mcp' | 'a2a'): unknown {
  try {
    return unwrapProtocolResponse(response, capabilitiesTool, protocol);
  } catch {
    return undefined;
  }
}

// The unwrapper validates against the 3.0.6 schema, which e.g. 3.0.0 sellers without
// adcp.idempotency fail; their manifest is still what they report, so read it as sent.
function unvalidated(response: unknown, protocol: 'mcp' | 'a2a'): unknown {
  if (protocol === 'mcp') return extractResult(response as ToolCallResultLike);
  return a2aDataOf(isRecord(response) ? response['result'] : undefined);
}
