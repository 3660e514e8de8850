import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, stopServerProcesses } from '../support/server-process.js';
import { agentClient } from '../agents/storefront-agent-support.js';
import { consentInBrowser } from '../modules/provider-adapters/support.js';
import { packagedBuy } from '../modules/provider-adapters/adoption-support.js';
import { pinCreative } from '../modules/provider-adapters/pinterest-support.js';
import { postCreative } from '../modules/provider-adapters/reddit-support.js';

/*
 * The sandbox's other providers (issue 48): started the README's way (INTERCHANGE_SANDBOX=1 with
 * the demo workspace) as a real process with the private-network guard on, it offers every
 * wired provider; the seller connects Pinterest and Reddit through the sandbox's REST path and
 * the fakes' consent, and the demo buyer buys one product of each over MCP. Their products say
 * "Sandbox", as the Ad Manager ones do.
 */

afterAll(stopServerProcesses);

const sources = '/api/v2/storefront/inventory-sources';

describe('the sandbox providers', () => {
  it('offers every wired provider and sells Pinterest and Reddit products over MCP', async () => {
    const server = await startServerProcess({
      env: {
        INTERCHANGE_SANDBOX: '1',
        INTERCHANGE_DEMO: '1',
        INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0',
      },
      readyTimeoutMs: 180_000,
    });
    const output = server.output();
    const seller = /Seller "[^"]+" \(customer \d+\) key: (\S+)/.exec(output)?.[1] ?? '';
    const buyer = /Buyer {2}"[^"]+" \(customer \d+\) key: (\S+)/.exec(output)?.[1] ?? '';
    const platformId = /Storefront "[^"]+" \(([^)]+)\) is listed/.exec(output)?.[1] ?? '';
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${seller}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, text, body: text ? JSON.parse(text) : null };
    };

    const offer = await call('GET', '/api/v2/storefront/sandbox');
    expect(offer.status, offer.text).toBe(200);
    expect(offer.body.data.kinds.map((k: { kind: string }) => k.kind)).toEqual([
      'gam',
      'freewheel',
      'springserve',
      'meta',
      'google',
      'tiktok',
      'pinterest',
      'reddit',
      'snap',
      'spotify',
      'amazon',
    ]);

    for (const kind of ['pinterest', 'reddit']) {
      const started = await call('POST', `/api/v2/storefront/sandbox/${kind}/connect`);
      expect(started.status, started.text).toBe(200);
      const consent = await consentInBrowser(started.body.data.authorizationUrl);
      expect(consent.status, consent.text).toBe(200);
      let view = await call('GET', `${sources}/sandbox-${kind}/adapter`);
      if (view.body.data.action === 'choose_account') {
        const accountId = view.body.data.accounts[0].id;
        view = await call('PATCH', `${sources}/sandbox-${kind}/adapter`, { accountId });
      }
      expect(view.body.data.status, view.text).toBe('CONNECTED');
    }

    const agent = await agentClient(server.url, platformId, buyer);
    try {
      for (const [brief, creative, countries] of [
        ['Pinterest home feed', pinCreative, ['GB']],
        ['Reddit feed', postCreative, ['US']],
      ] as const) {
        const found = await agent.call('get_products', {
          buying_mode: 'brief',
          brief,
          brand: { domain: 'acmeoutdoor.example' },
        });
        const product = found.products?.find((p: { product_id: string }) =>
          p.product_id.startsWith(
            brief.startsWith('Pinterest') ? 'sandbox-pinterest' : 'sandbox-reddit',
          ),
        );
        expect(product, JSON.stringify(found)).toBeDefined();
        // The mark a buyer and the seller see: name and description say sandbox.
        expect(product.name).toMatch(/^Sandbox · /);
        expect(product.description).toMatch(/^Sandbox: a local fake/);
        const bought = await agent.call(
          'create_media_buy',
          packagedBuy([product], () => creative, [...countries]),
        );
        expect(bought.isError, JSON.stringify(bought)).toBe(false);
        expect(bought.media_buy_id ?? bought.task_id, JSON.stringify(bought)).toBeTruthy();
      }
    } finally {
      await agent.close();
    }
  }, 600_000);
});
