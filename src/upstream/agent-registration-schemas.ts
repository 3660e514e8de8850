import { z } from 'zod';
import { apiKeyAuthSchema } from './credential-schemas.js';

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
