import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrubAddresses } from '../../src/sources/errors.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

let h: Harness;
let base: string;
let live: RunningSeller;
let gone: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  [live, gone] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
});
afterAll(async () => {
  await Promise.all([live, gone].map((s) => s?.close()));
  await h.close();
});

describe('a source left out of an answer', () => {
  it('is named to the buyer by id, name and code only, and explained to its operator', async () => {
    const sf = await storefrontWith(h, [
      { sourceId: 'live', url: live.url },
      { sourceId: 'gone', url: gone.url },
    ]);
    const port = new URL(gone.url).port;
    await gone.close();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const answer = await agent.call('get_products', { buying_mode: 'wholesale' });
      expect(answer.isError).toBe(false);
      const error = answer.errors.find(
        (e: { details: { source_id: string } }) => e.details.source_id === 'gone',
      );
      expect(error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        details: { source_id: 'gone', source_name: 'Source gone' },
      });
      const shown = JSON.stringify(answer.errors);
      expect(shown).not.toContain('127.0.0.1');
      expect(shown).not.toContain(port);
      expect(shown).not.toMatch(/ECONNREFUSED|fetch failed|\/mcp/);
    } finally {
      await agent.close();
    }

    // The operator sees what happened, host included, in the source's diagnostics.
    await expect
      .poll(
        async () => {
          const readiness = await h.call('GET', '/api/v2/storefront/readiness', {
            key: sf.seller.key,
          });
          const diagnostic = readiness.body.data.sourceDiagnostics.find(
            (d: { sourceId: string }) => d.sourceId === 'gone',
          );
          return diagnostic?.health.lastCallError;
        },
        { timeout: 15_000 },
      )
      .toMatchObject({ tool: 'get_products', message: expect.stringContaining(port) });
  });
});

describe('scrubAddresses', () => {
  it('replaces URLs, IP addresses and host:port pairs, and keeps the words', () => {
    expect(
      scrubAddresses(
        'budget below minimum; see https://ads.internal:8443/x?y=1 or call 10.1.2.3:9000, ' +
          '[::1]:3000 and db.internal.example:5432',
      ),
    ).toBe('budget below minimum; see [url] or call [address], [address] and [address]');
  });

  it("keeps a field's index, which is no address", () => {
    const field = 'packages[0].targeting_overlay.frequency_cap';
    expect(scrubAddresses(field)).toBe(field);
    expect(scrubAddresses('packages[12].creatives[3]')).toBe('packages[12].creatives[3]');
    expect(scrubAddresses('at [fe80::1] and [2001:db8::2]:443')).toBe('at [address] and [address]');
  });
});
