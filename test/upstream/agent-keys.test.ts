import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundClient, type OutboundClient } from '../../src/platform/outbound/index.js';
import { agentJwksUrl } from '../../src/upstream/index.js';

/**
 * Finding a remote agent's signing keys from its brand.json, over real HTTP through the guarded
 * client. Names under example.test resolve to this machine, so site binding is checked by name.
 */
let server: Server;
let port: number;
let client: OutboundClient;
const documents = new Map<string, { status?: number; body?: unknown; location?: string }>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const doc = documents.get(`${request.headers.host?.split(':')[0]}${request.url}`);
    if (!doc) return void response.writeHead(404).end();
    if (doc.location) return void response.writeHead(302, { location: doc.location }).end();
    response.writeHead(doc.status ?? 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(doc.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  agentUrl = at('sales.example.test', '/mcp');
  client = createOutboundClient({
    allowPrivateNetwork: true,
    lookup: async () => [{ address: '127.0.0.1', family: 4 }],
  });
});
afterAll(async () => {
  await client?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const at = (host: string, path: string) => `http://${host}:${port}${path}`;
let agentUrl: string;

function serve(
  host: string,
  path: string,
  doc: { status?: number; body?: unknown; location?: string },
) {
  documents.set(`${host}${path}`, doc);
  return at(host, path);
}

describe('agentJwksUrl', () => {
  it('answers the jwks_uri of the one entry naming the agent’s URL exactly, from a parent domain', async () => {
    const brandJsonUrl = serve('example.test', '/.well-known/brand.json', {
      body: {
        house: {
          agents: [
            { type: 'sales', url: `${agentUrl}/`, jwks_uri: at('example.test', '/wrong.json') },
          ],
        },
        brands: [
          {
            id: 'b',
            agents: [
              { type: 'sales', url: agentUrl, jwks_uri: at('keys.example.test', '/k.json') },
            ],
          },
        ],
      },
    });
    await expect(agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl })).resolves.toBe(
      at('keys.example.test', '/k.json'),
    );
  });

  it('falls back to the agent origin’s /.well-known/jwks.json when the entry names none', async () => {
    const brandJsonUrl = serve('sales.example.test', '/brand.json', {
      body: { agents: [{ type: 'sales', url: agentUrl }] },
    });
    await expect(agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl })).resolves.toBe(
      at('sales.example.test', '/.well-known/jwks.json'),
    );
  });

  it('refuses a brand.json or a jwks_uri on another site', async () => {
    const elsewhere = serve('other.test', '/.well-known/brand.json', {
      body: { agents: [{ type: 'sales', url: agentUrl }] },
    });
    await expect(
      agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: elsewhere }),
    ).rejects.toThrow(/not on the agent’s own site/);
    const sibling = serve('www.example.test', '/b.json', { body: { agents: [] } });
    await expect(
      agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: sibling }),
    ).rejects.toThrow(/not on the agent’s own site/);
    const foreignKeys = serve('example.test', '/foreign.json', {
      body: { agents: [{ type: 'sales', url: agentUrl, jwks_uri: at('attacker.test', '/k') }] },
    });
    await expect(
      agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: foreignKeys }),
    ).rejects.toThrow(/jwks_uri is not on the agent’s own site/);
  });

  it('refuses a brand.json that lists the agent never or twice, answers an error, or redirects', async () => {
    const none = serve('example.test', '/none.json', {
      body: { agents: [{ type: 'sales', url: at('sales.example.test', '/a2a') }] },
    });
    await expect(agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: none })).rejects.toThrow(
      /lists no agent at this URL/,
    );
    const twice = serve('example.test', '/twice.json', {
      body: { agents: [{ url: agentUrl }], house: { agents: [{ url: agentUrl }] } },
    });
    await expect(
      agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: twice }),
    ).rejects.toThrow(/more than once/);
    const broken = serve('example.test', '/broken.json', { status: 500, body: {} });
    await expect(
      agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: broken }),
    ).rejects.toThrow(/HTTP 500/);
    // Redirected to a brand.json that does list the agent: only refusing the redirect fails it.
    const listed = serve('example.test', '/listed.json', {
      body: { agents: [{ type: 'sales', url: agentUrl }] },
    });
    await expect(agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: listed })).resolves.toBe(
      at('sales.example.test', '/.well-known/jwks.json'),
    );
    const moved = serve('example.test', '/moved.json', { location: listed });
    await expect(
      agentJwksUrl(client.fetch, { url: agentUrl, brandJsonUrl: moved }),
    ).rejects.toThrow();
  });
});
