import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './.interchange',
      databaseUrl: undefined,
      demo: true,
      allowPrivateNetwork: false,
      publicUrl: 'http://127.0.0.1:3000',
    });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      INTERCHANGE_DATA_DIR: 'memory',
      DATABASE_URL: 'postgres://u:p@db:5432/ix',
      INTERCHANGE_ADMIN_KEY: 'a-very-long-operator-admin-key',
      INTERCHANGE_SECRET_KEY: 'k1:' + Buffer.alloc(32).toString('base64'),
      INTERCHANGE_PUBLIC_URL: 'https://ads.example.com/',
      INTERCHANGE_DEMO: '0',
      INTERCHANGE_ALLOW_PRIVATE_NETWORK: '1',
      INTERCHANGE_TRUST_PROXY: '10.0.0.0/8, 192.0.2.10',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: 'memory',
      databaseUrl: 'postgres://u:p@db:5432/ix',
      publicUrl: 'https://ads.example.com',
      demo: false,
      allowPrivateNetwork: true,
      trustProxy: ['10.0.0.0/8', '192.0.2.10'],
    });
    expect(
      loadConfig({
        INTERCHANGE_JOBS_CONCURRENCY: '8',
        INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
        INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: '10',
        INTERCHANGE_JOBS_LEASE_SECONDS: '20',
        INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS: '5000',
      }).jobs,
    ).toEqual({
      concurrency: 8,
      pollIntervalSeconds: 0.5,
      maintenanceIntervalSeconds: 10,
      leaseSeconds: 20,
      shutdownTimeoutMs: 5000,
    });
    expect(loadConfig({}).jobs).toEqual({
      concurrency: 2,
      pollIntervalSeconds: 2,
      maintenanceIntervalSeconds: 30,
      leaseSeconds: 60,
      shutdownTimeoutMs: 30_000,
    });
    expect(loadConfig({ INTERCHANGE_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it.each([
    ['PORT', 'abc', /^PORT: .*"abc"/],
    ['PORT', '70000', /^PORT: /],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL: must be a postgres/],
    ['INTERCHANGE_DEMO', 'maybe', /^INTERCHANGE_DEMO: /],
    ['INTERCHANGE_PUBLIC_URL', 'ftp://x', /^INTERCHANGE_PUBLIC_URL: /],
    ['INTERCHANGE_ADMIN_KEY', 'short', /^INTERCHANGE_ADMIN_KEY: must be at least 24/],
    ['INTERCHANGE_TRUST_PROXY', 'true', /^INTERCHANGE_TRUST_PROXY: must be a hop count/],
    ['INTERCHANGE_TRUST_PROXY', '10.0.0.0/8,lb.internal', /^INTERCHANGE_TRUST_PROXY: /],
    ['INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS', '0.1', /^INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: /],
    ['INTERCHANGE_JOBS_CONCURRENCY', '0', /^INTERCHANGE_JOBS_CONCURRENCY: /],
  ])('stops on a bad %s with one line naming it', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
  });

  it('never echoes a secret variable back', () => {
    expect(() => loadConfig({ INTERCHANGE_ADMIN_KEY: 'hunter2' })).toThrow(
      /^INTERCHANGE_ADMIN_KEY: /,
    );
    expect(() => loadConfig({ INTERCHANGE_ADMIN_KEY: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('refuses metrics without their token: no other key opens /metrics', () => {
    expect(() => loadConfig({ INTERCHANGE_METRICS: '1' })).toThrow(
      /^INTERCHANGE_METRICS_TOKEN: is required when INTERCHANGE_METRICS=1/,
    );
    const token = 'scraper-token-0123456789';
    expect(
      loadConfig({ INTERCHANGE_METRICS: '1', INTERCHANGE_METRICS_TOKEN: token }),
    ).toMatchObject({ metrics: true, metricsToken: token });
  });
});

describe("config: the instance's Ad Manager service account", () => {
  const dir = mkdtempSync(join(tmpdir(), 'gam-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const goodKey = {
    type: 'service_account',
    project_id: 'ix',
    private_key_id: 'k1',
    private_key: rsa,
    client_email: 'interchange@ix.iam.gserviceaccount.com',
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const failureOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('reads the JSON key from a file or from the variable itself', () => {
    const fromFile = loadConfig({
      INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: file('good.json', JSON.stringify(goodKey)),
    });
    expect(fromFile.adServers.gamServiceAccountKey).toEqual({
      client_email: goodKey.client_email,
      private_key: rsa,
      private_key_id: 'k1',
    });
    const inline = loadConfig({ INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: JSON.stringify(goodKey) });
    expect(inline.adServers.gamServiceAccountKey?.client_email).toBe(goodKey.client_email);
    expect(loadConfig({}).adServers.gamServiceAccountKey).toBeUndefined();
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.json'), /cannot read ".*missing\.json" \(ENOENT\)/],
    ['a file that is not JSON', () => file('bad.json', `{"private_key": "${rsa}`), /not JSON/],
    ['a JSON array', () => file('array.json', '[]'), /not a JSON object/],
    [
      'another kind of key',
      () => file('user.json', JSON.stringify({ ...goodKey, type: 'authorized_user' })),
      /type is not service_account/,
    ],
    [
      'a key without client_email',
      () => file('no-email.json', JSON.stringify({ ...goodKey, client_email: undefined })),
      /no client_email/,
    ],
    [
      'a key without private_key',
      () => file('no-key.json', JSON.stringify({ ...goodKey, private_key: '' })),
      /no private_key/,
    ],
    [
      'a private_key that is not RSA',
      () => file('ec.json', JSON.stringify({ ...goodKey, private_key: ec })),
      /not a PEM RSA private key/,
    ],
    [
      'a private_key that is not a key',
      () => file('junk.json', JSON.stringify({ ...goodKey, private_key: 'junk' })),
      /not a PEM RSA private key/,
    ],
  ])(
    'stops on %s, naming INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE in one line',
    (_, path, message) => {
      const error = failureOf({ INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: path() });
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as Error).message;
      expect(text).toMatch(/^INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: /);
      expect(text).toMatch(message);
      expect(text.split('\n')).toHaveLength(1);
      expect(text).not.toContain('PRIVATE KEY');
    },
  );

  it('never echoes the inline key, and refuses both variables at once', () => {
    const broken = failureOf({ INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: `{"private_key": "${rsa}` });
    expect((broken as Error).message).toMatch(/^INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: .*not JSON/);
    expect((broken as Error).message).not.toContain('PRIVATE KEY');
    const ecKey = failureOf({
      INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: JSON.stringify({ ...goodKey, private_key: ec }),
    });
    expect((ecKey as Error).message).not.toContain(ec.slice(30, 60));
    const both = failureOf({
      INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: JSON.stringify(goodKey),
      INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE: file('both.json', JSON.stringify(goodKey)),
    });
    expect(both).toBeInstanceOf(ConfigError);
    expect((both as Error).message).toMatch(
      /^INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY: .*INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE, not both/,
    );
  });
});
