import type { UpstreamAuth } from '../types.js';

/**
 * Who a credential belongs to: the record it is stored in. Every cache of what a credential
 * unlocks (access tokens, connections) is keyed by this, never by fields another tenant could
 * copy. A buyer's credential is named by its unique key (customer, agent, account), which it
 * has before the row is written: registration checks the credential first.
 */
export const credentialOwner = {
  inventorySource: (sourceRowId: number) => `inventory-source:${sourceRowId}`,
  buyerCredential: (customerId: number, agentId: string, accountIdentifier: string) =>
    `buyer-credential:${customerId}:${agentId}:${accountIdentifier}`,
  /** A remote sales agent a buyer registered by URL, with its own credential. */
  buyerSalesAgent: (rowId: number) => `buyer-sales-agent:${rowId}`,
  /** A signals agent a buyer registered by URL, with its own credential. */
  buyerSignalAgent: (rowId: number) => `buyer-signal-agent:${rowId}`,
};

const basicToken = (auth: { username: string; password: string }) =>
  Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');

/** The secrets an UpstreamAuth presents (redacted from any error text), if any. */
export function secretsOf(auth: UpstreamAuth): string[] {
  switch (auth.type) {
    case 'NO_AUTH':
      return [];
    case 'API_KEY':
    case 'JWT':
      return [auth.token];
    case 'OAUTH':
      return [auth.accessToken];
    case 'BASIC':
      return [auth.password, basicToken(auth)];
  }
}

/**
 * Headers that present the credentials the way @adcp/sdk's client does on both protocols
 * (see its createMCPAuthHeaders): `Authorization: Bearer <token>` and `x-adcp-auth: <token>`.
 * Basic credentials go as `Authorization: Basic …` alone: AdCP's header carries bearer tokens.
 */
export function credentialHeaders(auth: UpstreamAuth): Record<string, string> {
  if (auth.type === 'NO_AUTH') return {};
  if (auth.type === 'BASIC') return { authorization: `Basic ${basicToken(auth)}` };
  const [secret] = secretsOf(auth);
  return secret ? { authorization: `Bearer ${secret}`, 'x-adcp-auth': secret } : {};
}

/** `text` with every occurrence of the secrets replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
  return safe;
}
