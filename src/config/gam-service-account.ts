import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../platform/config-error.js';

/*
 * The instance's own Google service account for Ad Manager sources (docs/ad-servers.md): the
 * account a publisher adds as an API user in its network when it connects without a key of its
 * own, as hosted's `platform_service_account`. Its JSON key is read once at start, from a file
 * (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: a mounted secret, the file Google hands out) or
 * inline (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: platforms whose secrets are only environment
 * variables). A complaint names the variable and never echoes the key, not even a piece of it.
 */

const fileVariable = 'INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE';
const inlineVariable = 'INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY';

/** The fields of a service account's JSON key that the token exchange uses. */
export interface GamServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** The configured key, or undefined when neither variable is set; throws ConfigError when unusable. */
export function gamServiceAccountOf(
  inline: string | undefined,
  file: string | undefined,
): GamServiceAccountKey | undefined {
  if (inline && file) {
    throw new ConfigError(inlineVariable, `set it or ${fileVariable}, not both`);
  }
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(fileVariable, `cannot read ${JSON.stringify(file)} (${code})`);
    }
    return keyOf(fileVariable, text);
  }
  return inline ? keyOf(inlineVariable, inline) : undefined;
}

function keyOf(variable: string, text: string): GamServiceAccountKey {
  const refuse = (problem: string) => new ConfigError(variable, problem);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text, which may be the key.
    throw refuse('is not a service account’s JSON key (not JSON)');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw refuse('is not a service account’s JSON key (not a JSON object)');
  }
  const key = json as Record<string, unknown>;
  if (key['type'] !== undefined && key['type'] !== 'service_account') {
    throw refuse('is not a service account’s JSON key (its type is not service_account)');
  }
  const email = key['client_email'];
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw refuse('the JSON key has no client_email');
  }
  const privateKey = key['private_key'];
  if (typeof privateKey !== 'string' || !privateKey) {
    throw refuse('the JSON key has no private_key');
  }
  // An RSA key Google could verify a token of (RS256): checked here so a bad key stops the start.
  let usable = false;
  try {
    usable = createPrivateKey(privateKey).asymmetricKeyType === 'rsa';
  } catch {
    usable = false;
  }
  if (!usable) throw refuse('the JSON key’s private_key is not a PEM RSA private key');
  const keyId = key['private_key_id'];
  return {
    client_email: email,
    private_key: privateKey,
    ...(typeof keyId === 'string' && keyId && { private_key_id: keyId }),
  };
}
