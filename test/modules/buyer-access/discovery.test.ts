import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverAuthorizationServer,
  OAuthDiscoveryError,
} from '../../../src/modules/buyer-access/oauth/discovery.js';
import { createOutboundClient } from '../../../src/platform/outbound/index.js';
import { startOAuthServer, type OAuthServer } from '../../fixtures/oauth-server.js';

let idp: OAuthServer;
let resource: Server;
let resourceUrl: string;
const outbound = createOutboundClient({ allowPrivateNetwork: true });

beforeAll(async () => {
  idp = await startOAuthServer('unused');
  // An MCP-style protected resource that names its authorization server (RFC 9728).
  resource = createServer((req, res) => {
    if (req.url === '/.well-known/oauth-protected-resource/mcp') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ resource: `${resourceUrl}/mcp`, authorization_servers: [idp.issuer] }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => resource.listen(0, '127.0.0.1', r));
  resourceUrl = `http://127.0.0.1:${(resource.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await idp.close();
  await new Promise((r) => resource.close(r));
  await outbound.close();
});

describe('OAuth authorization server discovery', () => {
  it('follows the protected-resource metadata to the server metadata', async () => {
    const server = await discoverAuthorizationServer(outbound.fetch, {
      endpointUrl: `${resourceUrl}/mcp`,
    });
    expect(server.authorizationEndpoint.startsWith(idp.issuer)).toBe(true);
    expect(server.tokenEndpoint.startsWith(idp.issuer)).toBe(true);
    expect(server.revocationEndpoint).not.toBeNull();
  });

  it('uses a configured issuer directly', async () => {
    const server = await discoverAuthorizationServer(outbound.fetch, {
      endpointUrl: 'http://127.0.0.1:9/mcp',
      authorizationServerUrl: idp.issuer,
    });
    expect(server.issuer).toBe(idp.issuer);
  });

  it('explains when the source names no authorization server', async () => {
    await expect(
      discoverAuthorizationServer(outbound.fetch, { endpointUrl: `${resourceUrl}/other` }),
    ).rejects.toBeInstanceOf(OAuthDiscoveryError);
  });
});
