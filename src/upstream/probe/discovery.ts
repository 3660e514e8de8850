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

/** What a 3.1 caller sends: AdCP's release pin (core/version-envelope.json). */
const pinned31 = { adcp_version: '3.1' };

/**
 * Whether an AdCP release is 3.1 or later within major 3 ('3.1', '3.2'); a major alone ('3') or
 * a prerelease ('3.1-beta.5', which semver sorts before 3.1) is not.
 */
export function isRelease31OrLater(release: string): boolean {
  const [major, minor] = release.trim().split('.').map(Number);
  return major === 3 && minor !== undefined && minor >= 1;
}

/**
 * The capabilities an agent declares, asked as the newest release both sides speak. A 3.1 agent
 * may declare to 3.1 callers what it keeps from 3.0 callers (an Interchange storefront declares
 * media_buy.frequency_capping, buying_modes… to pinned callers only), so an agent known to speak
 * 3.1 (`speaks31`) is asked with `adcp_version: '3.1'`, and asked as before when that answer is
 * no manifest (an agent that refuses the pin); any other is asked as before, and asked again as a
 * 3.1 caller only when its answer lists a 3.1 release in `adcp.supported_versions`. A 3.0 agent
 * is asked exactly what it was. `ask` answers the manifest, or undefined (readCapabilities).
 */
export async function askCapabilities(
  ask: (args: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>,
  speaks31: boolean,
): Promise<Record<string, unknown> | undefined> {
  if (speaks31) return (await ask(pinned31)) ?? ask({});
  const manifest = await ask({});
  if (!manifest || !lists31(manifest)) return manifest;
  return (await ask(pinned31)) ?? manifest;
}

function lists31(manifest: Record<string, unknown>): boolean {
  const adcp = manifest['adcp'];
  const releases = isRecord(adcp) ? adcp['supported_versions'] : undefined;
  return (
    Array.isArray(releases) &&
    releases.some((release) => typeof release === 'string' && isRelease31OrLater(release))
  );
}

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
