import { isRecord } from '../../platform/is-record.js';
import { negotiate, type Release } from './release.js';
import type { AdcpError } from './schemas/envelope.js';

/**
 * The release a JSON-RPC request to an agent pins, read before any tool runs (the host's
 * authentication refusal is answered there): an MCP `tools/call`'s arguments, an A2A message's
 * AdCP data part (`{skill, input}`). Undefined when nothing is pinned, or the pin is refused
 * (the tool call would answer that itself).
 */
export function pinnedReleaseOf(body: unknown, protocol: 'mcp' | 'a2a'): Release | undefined {
  const args = protocol === 'mcp' ? mcpArguments(body) : a2aInput(body);
  if (!args) return undefined;
  const negotiated = negotiate(args);
  return negotiated.kind === 'served' && negotiated.pinned ? negotiated.release : undefined;
}

function mcpArguments(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body) || body['method'] !== 'tools/call' || !isRecord(body['params'])) {
    return undefined;
  }
  const args = body['params']['arguments'];
  return isRecord(args) ? args : undefined;
}

function a2aInput(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body) || !isRecord(body['params'])) return undefined;
  const message = body['params']['message'];
  if (!isRecord(message) || !Array.isArray(message['parts'])) return undefined;
  for (const part of message['parts']) {
    if (!isRecord(part) || part['kind'] !== 'data' || !isRecord(part['data'])) continue;
    const input = part['data']['input'] ?? part['data']['parameters'];
    return isRecord(input) ? input : undefined;
  }
  return undefined;
}

/**
 * A refused credential, answered to a 3.1 caller: 401 with the RFC 6750 challenge
 * (`error="invalid_token"` when a key was sent and rejected), and a JSON-RPC error whose `data`
 * carries AdCP's code, AUTH_MISSING (no credential: send one) or AUTH_INVALID (rejected: do not
 * retry it), and the release echoed. A 3.0 caller keeps the answer it always had.
 */
export function authRefusal(kind: 'missing' | 'invalid', release: Release, id: unknown) {
  const error: AdcpError =
    kind === 'missing'
      ? {
          code: 'AUTH_MISSING',
          message: 'No credential: send your Interchange API key ("Authorization: Bearer <key>")',
          recovery: 'correctable',
        }
      : {
          code: 'AUTH_INVALID',
          message: 'The credential sent was rejected (unknown, revoked or not a buyer key)',
          recovery: 'terminal',
        };
  return {
    challenge: `Bearer realm="interchange"${kind === 'invalid' ? ', error="invalid_token"' : ''}`,
    body: {
      jsonrpc: '2.0' as const,
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
      error: {
        code: -32001,
        message: error.message,
        data: { adcp_error: error, adcp_version: release, status: 'failed' },
      },
    },
  };
}
