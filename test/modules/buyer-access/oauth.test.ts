import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthServer, type OAuthServer } from '../../fixtures/oauth-server.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { launchBrowser } from '../../support/browser.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

let h: Harness;
let base: string;
let bearer: RunningSeller;
let idp: OAuthServer;
let storefrontId: number;
let agentId: string;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_OAUTH_REDIRECT_ORIGINS: 'https://app.trusted.example' });
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  h.services.trustOwnOrigin(base);
  bearer = await startSeller('bearer');
  idp = await startOAuthServer(bearer.token as string);
  const seller = await createCustomer(h, { role: 'SELLER' });
  storefrontId = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data.id;
  const source = await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: seller.key,
    body: {
      name: 'OAuth agent',
      sourceId: 'oauth-agent',
      endpointUrl: bearer.url,
      protocol: 'MCP',
      authenticationType: 'OAUTH',
      requiresCredentials: true,
      auth: {
        type: 'oauth',
        clientId: 'interchange',
        scope: 'adcp',
        authorizationServerUrl: idp.issuer,
      },
    },
  });
  agentId = source.body.data.agentId;
  const active = await h.call('PUT', '/api/v2/storefront/inventory-sources/oauth-agent', {
    key: seller.key,
    body: { status: 'ACTIVE' },
  });
  expect(active.status).toBe(200);
  await h.call('POST', `/api/v2/admin/storefronts/${storefrontId}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
});
afterAll(async () => {
  await idp?.close();
  await bearer?.close();
  await h.close();
});

/** Follows the authorize URL like a browser would, stopping at our redirect URI. */
async function consent(
  authorizeUrl: string,
): Promise<{ code: string; state: string; callback: URL }> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const callback = new URL(res.headers.get('location') as string);
  return {
    code: callback.searchParams.get('code') as string,
    state: callback.searchParams.get('state') as string,
    callback,
  };
}

async function startFlow(buyer: TestCustomer, accountIdentifier?: string) {
  return h.call('POST', `/api/v2/storefront/agents/${agentId}/accounts/oauth/authorize`, {
    key: buyer.key,
    body: accountIdentifier ? { accountIdentifier } : {},
  });
}

describe('OAuth for OAuth-secured sources', () => {
  it('answers the hosted shape and sends codes only to our callback or an allow-listed origin', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const path = `/api/v2/storefront/agents/${agentId}/accounts/oauth/authorize`;
    const start = (redirectUri: string) =>
      h.call('POST', path, { key: buyer.key, body: { redirectUri } });
    const own = await start(`${base}/api/v2/storefront/oauth/callback`);
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ agentId, agentName: 'OAuth agent' });
    const allowed = await start('https://app.trusted.example/oauth/done?x=1');
    expect(allowed.status).toBe(200);
    const sentTo = new URL(allowed.body.data.authorizationUrl).searchParams.get('redirect_uri');
    expect(sentTo).toBe('https://app.trusted.example/oauth/done?x=1');
    for (const attack of [
      'https://evil.example/cb',
      'https://app.trusted.example.evil.example/cb',
      'https://app.trusted.example@evil.example/cb',
      'https://user:pw@app.trusted.example/cb',
      'http://app.trusted.example/cb',
      'https://app.trusted.example:8443/cb',
      'https://app.trusted.example/cb#frag',
      'javascript:alert(1)',
      `${base}/api/v2/storefront/oauth/callback/../../../evil`,
      'not a url',
    ]) {
      const refused = await start(attack);
      expect(refused.status, attack).toBe(400);
      expect(refused.body.error.field).toBe('redirectUri');
    }
  });

  it('registers a PENDING credential that points the buyer at consent', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const ask = await h.call(
      'POST',
      `/api/v2/buyer/storefronts/${storefrontId}/sources/oauth-agent/credentials`,
      {
        key: buyer.key,
      },
    );
    expect(ask.body.error.details.supportedAuthTypes).toEqual(['oauth']);
    const res = await h.call(
      'POST',
      `/api/v2/buyer/storefronts/${storefrontId}/sources/oauth-agent/credentials`,
      {
        key: buyer.key,
        body: { accountIdentifier: 'acme-oauth' },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      status: 'PENDING',
      oauth: {
        storefrontId,
        sourceId: 'oauth-agent',
        sourceName: 'OAuth agent',
        agentId,
        agentName: 'OAuth agent',
        authorizationUrl: expect.stringContaining(idp.issuer),
      },
    });
    const url = new URL(res.body.data.oauth.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(`${base}/api/v2/storefront/oauth/callback`);
  });

  it('completes through the agent path, connects the source, and refuses a reused or foreign state', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const started = await startFlow(buyer);
    expect(started.status).toBe(200);
    const { code, state } = await consent(started.body.data.authorizationUrl);
    expect(state).toBe(started.body.data.state);

    const other = await createCustomer(h, { role: 'BUYER' });
    const foreign = await h.call('POST', `/api/v2/storefront/agents/${agentId}/oauth/callback`, {
      key: other.key,
      body: { code, state },
    });
    expect(foreign.status).toBe(400);

    const done = await h.call('POST', `/api/v2/storefront/agents/${agentId}/oauth/callback`, {
      key: buyer.key,
      body: { code, state },
    });
    expect(done.body.data).toMatchObject({ agentId, status: 'ACTIVE' });
    const reused = await h.call('POST', `/api/v2/storefront/agents/${agentId}/oauth/callback`, {
      key: buyer.key,
      body: { code, state },
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error.field).toBe('state');

    const sf = await h.call('GET', `/api/v2/buyer/storefronts/${storefrontId}`, { key: buyer.key });
    expect(sf.body.data.sources[0]).toMatchObject({
      connected: true,
      customerAccounts: [{ accountIdentifier: `oauth_${buyer.id}`, status: 'ACTIVE' }],
    });
  });

  it('completes through the hosted callback in a browser popup, notifying the opener', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const started = await startFlow(buyer, 'browser-account');
    const opener: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>waiting</title><script>
        window.addEventListener('message', (e) => { document.title = e.data.type + ':' + e.data.status; });
        window.start = () => window.open(${JSON.stringify(started.body.data.authorizationUrl)}, 'oauth');
      </script>`);
    });
    await new Promise<void>((r) => opener.listen(0, '127.0.0.1', r));
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(opener.address() as AddressInfo).port}/`);
      const popupClosed = page.waitForEvent('popup').then((popup) => popup.waitForEvent('close'));
      await page.evaluate('window.start()');
      await popupClosed;
      await page.waitForFunction('document.title !== "waiting"');
      expect(await page.title()).toBe('oauth-complete:ACTIVE');
    } finally {
      await browser?.close();
      await new Promise((r) => opener.close(r));
    }
    const creds = await h.call('GET', '/api/v2/buyer/storefronts/credentials', { key: buyer.key });
    expect(creds.body.data[0]).toMatchObject({
      accountIdentifier: 'browser-account',
      status: 'ACTIVE',
    });
  });

  it('refreshes the access token before it expires, and revokes the grant on delete', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    idp.setTokenLifetime(30);
    const started = await startFlow(buyer);
    const grant = await consent(started.body.data.authorizationUrl);
    const done = await h.call('POST', `/api/v2/storefront/agents/${agentId}/oauth/callback`, {
      key: buyer.key,
      body: { code: grant.code, state: grant.state },
    });
    idp.setTokenLifetime(3600);
    const credentialId = Number(done.body.data.credentialId);
    const before = idp.counts.refresh;
    const token = await h.services.buyerAccess.oauth.accessToken(buyer.id, credentialId);
    expect(token).toBe(bearer.token);
    expect(idp.counts.refresh).toBe(before + 1);
    await h.services.buyerAccess.oauth.accessToken(buyer.id, credentialId);
    expect(idp.counts.refresh).toBe(before + 1);

    const revokedBefore = idp.counts.revoked;
    const del = await h.call('DELETE', `/api/v2/buyer/storefronts/credentials/${credentialId}`, {
      key: buyer.key,
    });
    expect(del.body.data).toEqual({ deleted: true, id: String(credentialId) });
    expect(idp.counts.revoked).toBe(revokedBefore + 1);
    expect(
      (await h.call('GET', '/api/v2/buyer/storefronts/credentials', { key: buyer.key })).body.data,
    ).toEqual([]);
  });

  it('never stores or logs OAuth tokens in clear', async () => {
    const { rows } = (await h.database.db.execute(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw dump
      'select * from buyer_credentials' as any,
    )) as { rows: unknown[] };
    const dump = JSON.stringify(rows);
    expect(dump).toContain('v1.');
    expect(dump).not.toContain(bearer.token as string);
    expect(h.rawLogs()).not.toContain(bearer.token as string);
  });
});
