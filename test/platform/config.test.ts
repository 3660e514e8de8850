import { describe, expect, it } from 'vitest';
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
});
