import { z } from 'zod';
import { invalid } from '../platform/errors.js';
import { apiKeyAuthSchema } from './credentials/schemas.js';

/**
 * The request fields a buyer sends to register a remote AdCP agent by URL (a sales agent or a
 * signals agent): one definition, so both registries accept the same shapes.
 */
export const agentEndpointUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048);

/** MCP or A2A; lower case accepted, as AdCP's own clients write it. */
export const agentProtocol = z
  .enum(['MCP', 'A2A', 'mcp', 'a2a'])
  .transform((p) => p.toUpperCase() as 'MCP' | 'A2A');

/** A bearer token (aliases api_key / apikey), or nothing: `{}` and null both mean no credential. */
export const agentAuthInput = z
  .union([apiKeyAuthSchema, z.object({}).strict(), z.null()])
  .transform((auth) => (auth && 'token' in auth ? { token: auth.token } : null));

export type RegisteredAgentAuthType = 'NO_AUTH' | 'API_KEY';

/**
 * The authentication type and token a registration write leaves the agent with (both
 * registries): the type sent, else API_KEY when a token is sent, else the agent's current type,
 * else NO_AUTH. Token null: none; undefined: the stored one stays (an update that sends no auth).
 */
export function registeredAgentAuth(
  type: RegisteredAgentAuthType | undefined,
  auth: { token: string } | null | undefined,
  current?: { type: RegisteredAgentAuthType; hasToken: boolean },
): { type: RegisteredAgentAuthType; token: string | null | undefined } {
  const resolved =
    type ?? (auth !== undefined ? (auth ? 'API_KEY' : 'NO_AUTH') : current?.type) ?? 'NO_AUTH';
  if (resolved === 'NO_AUTH') {
    if (auth) throw invalid('Omit auth for authenticationType NO_AUTH', 'auth');
    return { type: resolved, token: null };
  }
  if (auth === null || (auth === undefined && !current?.hasToken)) {
    throw invalid('authenticationType API_KEY needs auth: {type: "bearer", token}', 'auth');
  }
  return { type: resolved, token: auth?.token };
}
