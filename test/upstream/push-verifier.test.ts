import { signWebhook } from '@adcp/sdk/signing/client';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519FromSeed } from '../../src/platform/crypto/signing-key.js';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { createOutboundClient } from '../../src/platform/outbound/index.js';
import { createPushVerifier } from '../../src/upstream/index.js';
import { openTestDatabase } from '../harness.js';

const origin = 'https://buyer.example';
const keys = { a: ed25519FromSeed(randomBytes(32)), b: ed25519FromSeed(randomBytes(32)) };
const published = (key: (typeof keys)['a']) => ({
  keys: [{ ...key.publicJwk, adcp_use: 'webhook-signing', key_ops: ['verify'] }],
});

let database: Database;
let drop: () => Promise<void>;
let jwksServer: Server;
let jwksBase: string;
const fetched: string[] = [];

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  await migrate(database.db);
  // Two remote agents publishing their own keys, on loopback.
  jwksServer = createServer((req, res) => {
    fetched.push(req.url ?? '');
    const key = req.url === '/a/jwks.json' ? keys.a : req.url === '/b/jwks.json' ? keys.b : null;
    if (!key) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(published(key)));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksBase = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => jwksServer?.close(resolve));
  await database?.close();
  await drop?.();
});

function verifier(allowPrivateNetwork: boolean) {
  const outbound = createOutboundClient({ allowPrivateNetwork });
  return createPushVerifier({
    queryable: database.queryable,
    localKeys: () => undefined,
    jwksUrlOf: async (agentId) =>
      ({ 'remote-a': `${jwksBase}/a/jwks.json`, 'remote-b': `${jwksBase}/b/jwks.json` })[agentId],
    fetch: outbound.fetch,
    publicOrigin: () => origin,
  });
}

/** A notification to /hooks/1 signed by `key`, as received. */
function signed(key: (typeof keys)['a']) {
  const path = '/hooks/1';
  const body = JSON.stringify({ task_id: 't1', status: 'completed', nonce: randomBytes(4) });
  const { headers } = signWebhook(
    {
      method: 'POST',
      url: `${origin}${path}`,
      headers: { 'content-type': 'application/json' },
      body,
    },
    { keyid: key.keyid, alg: 'ed25519', privateKey: key.privateKey as never },
  );
  return {
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json', ...lowercase(headers) },
    body,
  };
}

const lowercase = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

describe('push notification verifier', () => {
  it("verifies a remote agent's notification with the JWKS it publishes, fetched once per agent", async () => {
    const verify = verifier(true);
    const before = fetched.length;
    expect(await verify.verify('remote-a', signed(keys.a))).toEqual({ ok: true });
    expect(await verify.verify('remote-a', signed(keys.a))).toEqual({ ok: true });
    expect(fetched.slice(before)).toEqual(['/a/jwks.json']);
    // Another agent's keys never verify it, though both are cached side by side.
    expect(await verify.verify('remote-b', signed(keys.a))).toEqual({
      ok: false,
      reason: 'webhook_signature_key_unknown',
    });
    expect(fetched.slice(before)).toEqual(['/a/jwks.json', '/b/jwks.json']);
  });

  it('refuses a replay, and an agent whose keys it cannot find', async () => {
    const verify = verifier(true);
    const once = signed(keys.a);
    expect(await verify.verify('remote-a', once)).toEqual({ ok: true });
    expect(await verify.verify('remote-a', once)).toEqual({
      ok: false,
      reason: 'webhook_signature_replayed',
    });
    expect(await verify.verify('unknown-agent', signed(keys.a))).toMatchObject({ ok: false });
  });

  it('fetches JWKS through the guarded client: a loopback JWKS is refused unless allowed', async () => {
    const before = fetched.length;
    // Not judged (the keys are out of reach): the receiver answers 503 and the sender retries.
    await expect(verifier(false).verify('remote-a', signed(keys.a))).rejects.toThrow();
    expect(fetched.length).toBe(before);
  });
});
