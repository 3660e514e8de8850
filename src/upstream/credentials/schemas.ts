import { z } from 'zod';

/**
 * The credential shapes an AdCP inventory source accepts, as operators and buyers send them:
 * an API key (aliases bearer / apikey) or a JWT grant (RFC 7523) minted at a token endpoint.
 */
export const apiKeyAuthSchema = z.object({
  type: z.enum(['api_key', 'bearer', 'apikey']),
  token: z.string().min(1).max(4096),
});

export const jwtAuthSchema = z.object({
  type: z.literal('jwt'),
  privateKey: z.string().min(1).max(16_384),
  issuer: z.string().min(1).max(2048),
  subject: z.string().min(1).max(2048),
  keyId: z.string().min(1).max(255),
  scope: z.string().min(1).max(2048),
  tokenEndpointUrl: z.url({ protocol: /^https?$/ }).max(2048),
  audienceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  algorithm: z.enum(['ES256', 'RS256']).default('ES256'),
  environment: z.string().max(64).optional(),
});

/** HTTP Basic credentials (RFC 7617), sent as `Authorization: Basic …` to the source. */
export const basicAuthSchema = z.object({
  type: z.literal('basic'),
  // RFC 7617: a user-id containing a colon cannot be expressed.
  username: z
    .string()
    .min(1)
    .max(1024)
    .refine((v) => !v.includes(':'), 'must not contain ":"'),
  password: z.string().min(1).max(4096),
});
