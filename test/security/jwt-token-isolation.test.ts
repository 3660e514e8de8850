import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { startTokenEndpoint, type TokenEndpoint } from '../fixtures/token-endpoint.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';

/**
 * JWT access tokens belong to the credential that earned them. A second seller or buyer copying
 * a victim's public grant fields (issuer, subject, key id, scope, token endpoint) with a key of
 * its own must never be handed the victim's cached token.
 */
let h: Harness;
let bearer: RunningSeller;
let tokens: TokenEndpoint;
let attackerAgent: Awaited<ReturnType<typeof startRecordingAgent>>;

beforeAll(async () => {
  h = await createHarness();
  bearer = await startSeller('bearer');
  // The token endpoint mints the one token the victim's agent accepts.
  tokens = await startTokenEndpoint(bearer.token as string);
  attackerAgent = await startRecordingAgent();
});
afterAll(async () => {
  await Promise.all([bearer?.close(), tokens?.close(), attackerAgent?.close()]);
  await h.close();
});

const sources = '/api/v2/storefront/inventory-sources';

/** An agent endpoint the attacker controls: it records the headers of every request. */
async function startRecordingAgent() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const publicFields = (subject: string) => ({
  type: 'jwt',
  issuer: tokens.issuer,
  subject,
  keyId: 'victim-key-1',
  scope: 'adcp',
  tokenEndpointUrl: tokens.url,
  audienceUrl: tokens.audience,
  algorithm: 'ES256',
});

async function anotherEs256Key() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return exportPKCS8(privateKey);
}

describe('JWT access tokens stay with the credential that earned them', () => {
  it('never hands a seller another seller’s token for copied grant fields', async () => {
    const victim = await createCustomer(h, { role: 'SELLER' });
    const grant = { ...publicFields('operator'), privateKey: tokens.privateKeyPem };
    const registered = await h.call('POST', sources, {
      key: victim.key,
      body: {
        name: 'Victim JWT',
        endpointUrl: bearer.url,
        protocol: 'MCP',
        authenticationType: 'JWT',
        auth: grant,
      },
    });
    expect(registered.body.data.health).toMatchObject({ status: 'healthy', lastError: null });
    const grantsAfterVictim = tokens.grants();
    expect(grantsAfterVictim).toBeGreaterThanOrEqual(1);

    const attacker = await createCustomer(h, { role: 'SELLER' });
    const copies: Array<[string, string, RegExp]> = [
      ['not a key', 'not a key', /private key is not a PKCS#8 ES256 key/],
      ['another key', await anotherEs256Key(), /token endpoint refused the JWT grant/],
    ];
    for (const [name, privateKey, failure] of copies) {
      const res = await h.call('POST', sources, {
        key: attacker.key,
        body: {
          name: `Copied grant, ${name}`,
          endpointUrl: attackerAgent.url,
          protocol: 'MCP',
          authenticationType: 'JWT',
          auth: { ...publicFields('operator'), privateKey },
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.data.health.lastError).toMatchObject({
        code: 'unauthorized',
        message: expect.stringMatching(failure),
      });
      const refreshed = await h.call('POST', `${sources}/${res.body.data.sourceId}/refresh`, {
        key: attacker.key,
      });
      expect(refreshed.body.data.health.lastError.message).toMatch(failure);
    }
    // Nothing reached the attacker's agent: no token at all, let alone the victim's.
    expect(attackerAgent.seen).toEqual([]);
    expect(JSON.stringify(attackerAgent.seen)).not.toContain(bearer.token as string);

    // The victim's own token is still cached for the victim.
    const again = await h.call('POST', `${sources}/victim-jwt/refresh`, { key: victim.key });
    expect(again.body.data.health).toMatchObject({ status: 'healthy', lastError: null });
    expect(tokens.grants()).toBe(grantsAfterVictim);
  });

  it('never reuses a token after the credential’s key is edited', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const grant = { ...publicFields('rotating-operator'), privateKey: tokens.privateKeyPem };
    const created = await h.call('POST', sources, {
      key: seller.key,
      body: {
        name: 'Rotating JWT',
        endpointUrl: bearer.url,
        protocol: 'MCP',
        authenticationType: 'JWT',
        auth: grant,
      },
    });
    expect(created.body.data.health.status).toBe('healthy');
    const edited = await h.call('PUT', `${sources}/rotating-jwt`, {
      key: seller.key,
      body: { auth: { ...grant, privateKey: 'not a key' } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data.health.lastError).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/not a PKCS#8/),
    });
  });

  it('never lets a buyer register another buyer’s grant with a key of its own', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const sf = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data;
    await h.call('POST', sources, {
      key: seller.key,
      body: {
        name: 'jwt-byo',
        sourceId: 'jwt-byo',
        endpointUrl: bearer.url,
        protocol: 'MCP',
        authenticationType: 'JWT',
        requiresCredentials: true,
      },
    });
    await h.call('PUT', `${sources}/jwt-byo`, { key: seller.key, body: { status: 'ACTIVE' } });
    await h.call('POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'list' },
    });
    const credentials = `/api/v2/buyer/storefronts/${sf.id}/sources/jwt-byo/credentials`;

    const victim = await createCustomer(h, { role: 'BUYER' });
    const mine = await h.call('POST', credentials, {
      key: victim.key,
      body: {
        accountIdentifier: 'victim-account',
        auth: { ...publicFields('buyer'), privateKey: tokens.privateKeyPem },
      },
    });
    expect(mine.body.data.status).toBe('ACTIVE');

    const attacker = await createCustomer(h, { role: 'BUYER' });
    const agentRequestsBefore = bearer.mcpMethods().length;
    for (const privateKey of ['not a key', await anotherEs256Key()]) {
      const copied = await h.call('POST', credentials, {
        key: attacker.key,
        body: {
          accountIdentifier: 'victim-account',
          auth: { ...publicFields('buyer'), privateKey },
        },
      });
      expect(copied.status).toBe(201);
      expect(copied.body.data).toMatchObject({
        status: 'INVALID',
        statusReason: expect.stringMatching(/^Token request failed: /),
      });
    }
    // The agent never served the attacker: no request carried a token it accepts.
    expect(bearer.mcpMethods().length).toBe(agentRequestsBefore);
    const listed = await h.call('GET', `/api/v2/buyer/storefronts/${sf.id}`, {
      key: attacker.key,
    });
    expect(listed.body.data.sources[0]).toMatchObject({ sourceId: 'jwt-byo', connected: false });
  });
});
