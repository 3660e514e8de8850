import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { resolveSecretBox } from '../../src/platform/crypto/keyring-file.js';
import { createSecretBox, generateSecretKey } from '../../src/platform/crypto/secrets.js';

describe('secrets at rest', () => {
  it('seals with AES-256-GCM and opens only with the same key and context', () => {
    const box = createSecretBox(`k1:${generateSecretKey()}`);
    const sealed = box.seal('oauth-refresh-token', 'inventory_source:42');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain('oauth-refresh-token');
    expect(box.open(sealed, 'inventory_source:42')).toBe('oauth-refresh-token');
    expect(() => box.open(sealed, 'inventory_source:43')).toThrow(/authentication/);
    // Two seals of one value differ (random IV).
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('detects tampering', () => {
    const box = createSecretBox(generateSecretKey());
    const parts = box.seal('secret').split('.');
    const body = Buffer.from(parts[4] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  it('rotates keys: new secrets use the first key, old ones still open', () => {
    const oldKey = `k1:${generateSecretKey()}`;
    const sealedOld = createSecretBox(oldKey).seal('legacy');
    const rotated = createSecretBox(`k2:${generateSecretKey()},${oldKey}`);
    expect(rotated.open(sealedOld)).toBe('legacy');
    expect(rotated.needsRotation(sealedOld)).toBe(true);
    const sealedNew = rotated.seal('fresh');
    expect(sealedNew).toMatch(/^v1\.k2\./);
    expect(rotated.needsRotation(sealedNew)).toBe(false);
    expect(() => createSecretBox(oldKey).open(sealedNew)).toThrow(/no key with id k2/);
  });

  it('rejects keys of the wrong size', () => {
    expect(() => createSecretBox('dG9vIHNob3J0')).toThrow(/32 bytes/);
  });

  it('keeps a generated key in the embedded data dir with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ix-secret-'));
    const config = loadConfig({ INTERCHANGE_DATA_DIR: dir });
    const first = resolveSecretBox(config);
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = first.seal('kept');
    expect(resolveSecretBox(config).open(sealed)).toBe('kept');
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(44);
  });

  it('requires INTERCHANGE_SECRET_KEY on PostgreSQL, where instances must share it', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://localhost/x' });
    expect(() => resolveSecretBox(config)).toThrow(ConfigError);
  });
});
