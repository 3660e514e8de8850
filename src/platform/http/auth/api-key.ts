import type { IncomingHttpHeaders } from 'node:http';

/** The token of an `Authorization: Bearer <token>` header, if that is what was sent. */
export function bearerOf(header: string | undefined): string | undefined {
  return header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/**
 * The Interchange API key a request carries: `Authorization: Bearer <key>`, or (AdCP clients
 * send either) `x-api-key: <key>`.
 */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  return bearerOf(headers.authorization) ?? (typeof header === 'string' ? header : undefined);
}
