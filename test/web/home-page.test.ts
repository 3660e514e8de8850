import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';

/*
 * The address the server prints leads somewhere: a person opening it in a browser is sent to the
 * console; an agent (JSON, or no preference) gets where the API reference, the OpenAPI documents,
 * the MCP servers and each storefront's agent card are, and each of those answers.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 120_000);
afterAll(() => h?.close());

const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('GET /', () => {
  it('sends a person’s browser to the console', async () => {
    const res = await h.call('GET', '/', { headers: { accept: browser } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console');
    const console = await h.call('GET', '/console', { headers: { accept: browser } });
    expect([200, 303]).toContain(console.status);
  });

  it('gives an agent the API reference, the MCP servers and the agent card, each of which answers', async () => {
    for (const accept of ['application/json', '*/*', undefined]) {
      const res = await h.call('GET', '/', { ...(accept && { headers: { accept } }) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        console: '/console',
        apiReference: '/docs',
        mcp: { buyer: '/mcp/v2/buyer', storefront: '/mcp/v2/storefront' },
        storefrontAgents: {
          agentCard: '/adcp/storefront-{platformId}/a2a/.well-known/agent-card.json',
        },
      });
    }
    const index = (await h.call('GET', '/')).body;
    expect((await h.call('GET', index.apiReference)).status).toBe(200);
    expect((await h.call('GET', index.openapi.buyer)).status).toBe(200);
    const seller = await createCustomer(h, { role: 'SELLER' });
    const storefront = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    const card = await h.call(
      'GET',
      index.storefrontAgents.agentCard.replace('{platformId}', storefront.body.data.platformId),
      { key: seller.key }, // a storefront not yet listed shows its card only to a key
    );
    expect(card.status).toBe(200);
    expect(card.body.name).toEqual(expect.any(String));
  });
});
