import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config-error.js';
import { createSecretBox, generateSecretKey, type SecretBox, SecretKeyError } from './secrets.js';

/** The parts of the config the secret key is found from. */
export interface SecretKeySettings {
  /** Raw INTERCHANGE_SECRET_KEY. */
  secretKey: string | undefined;
  databaseUrl: string | undefined;
  /** Directory of the embedded database and generated secret key, or 'memory'. */
  dataDir: string;
}

/**
 * The secret box for this deployment. INTERCHANGE_SECRET_KEY wins; the embedded mode keeps a
 * generated key beside its data (mode 0600); PostgreSQL deployments must configure one, since
 * every instance has to share it.
 */
export function resolveSecretBox(config: SecretKeySettings): SecretBox {
  if (config.secretKey) {
    try {
      return createSecretBox(config.secretKey);
    } catch (error) {
      if (error instanceof SecretKeyError) {
        throw new ConfigError('INTERCHANGE_SECRET_KEY', error.message);
      }
      throw error;
    }
  }
  if (config.databaseUrl) {
    throw new ConfigError(
      'INTERCHANGE_SECRET_KEY',
      'is required with DATABASE_URL (every instance must share it); make one with ' +
        '`node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"`',
    );
  }
  if (config.dataDir === 'memory') return createSecretBox(generateSecretKey());
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, `${generateSecretKey()}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return createSecretBox(readFileSync(file, 'utf8').trim());
}
