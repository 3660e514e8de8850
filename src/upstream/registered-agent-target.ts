import type { SecretBox } from '../platform/crypto/secrets.js';
import type { UpstreamTarget } from './types.js';

/**
 * The upstream target of an agent a buyer registered by URL (a remote sales agent, a signals
 * agent): its endpoint and protocol, and the buyer's bearer token opened from its sealed form
 * with the associated data that binds it to its row.
 */
export function registeredAgentTarget(
  secrets: SecretBox,
  row: { endpointUrl: string; protocol: 'MCP' | 'A2A'; authSealed: string | null },
  sealContext: string,
  owner: string,
): UpstreamTarget {
  const token = row.authSealed ? secrets.open(row.authSealed, sealContext) : null;
  return {
    endpointUrl: row.endpointUrl,
    protocol: row.protocol,
    auth: token ? { type: 'API_KEY', token } : { type: 'NO_AUTH' },
    owner,
  };
}
