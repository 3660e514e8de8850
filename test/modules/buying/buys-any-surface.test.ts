import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agentClient, listen } from '../../agents/storefront-agent-support.js';
import { bookedCampaign } from '../reporting/reporting-support.js';
import { consoleClient } from '../../web/console-client.js';
import { availRow, commitCsv, day, header, modularStorefront } from '../modular-sources/support.js';

/**
 * A buyer sees every buy it made, whatever surface made it: a campaign executed through the
 * REST API and a buy placed straight on the storefront's MCP agent with the same key are both
 * in its media-buy list, each once; another buyer sees neither.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Listed = {
  mediaBuyId: string;
  origin: string;
  status: string;
  storefront: { id: string; name: string } | null;
  campaignId: string | null;
  brandDomain: string | null;
  budget: number | null;
  currency: string | null;
  poNumber: string | null;
};

describe('a buyer’s media buys, whatever surface made them', () => {
  it('lists the buy it placed over the storefront’s MCP agent beside its campaign’s, each once', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      `${header}\n${availRow('spring-outdoor', 10_000_000).replace('Homepage takeover', 'Outdoor display spring')}`,
    );
    const booked = await bookedCampaign(h, [sf]);
    const campaignBuy = booked.buys.get(sf.platformId);
    const key = booked.buyer.key;

    // The same buyer's key, straight on the storefront's MCP agent.
    const domain = (await h.call('GET', '/api/v2/accounts/current', { key })).body.data
      .customerDomain as string;
    const account = { brand: { domain: 'acmeoutdoor.example' }, operator: domain };
    const agent = await agentClient(base, sf.platformId, key);
    let direct: string;
    let mcpStatus: string;
    try {
      const product = (
        await agent.call('get_products', { buying_mode: 'brief', brief: 'outdoor', account })
      ).products[0];
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        po_number: 'PO-MCP-1',
        start_time: 'asap',
        end_time: day(10),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 500,
          },
        ],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      direct = created.media_buy_id as string;
      const read = await agent.call('get_media_buys', { account, media_buy_ids: [direct] });
      mcpStatus = read.media_buys[0].status as string;
    } finally {
      await agent.close();
    }

    const res = await h.call('GET', '/api/v2/buyer/media-buys', { key });
    expect(res.status, res.text).toBe(200);
    const items = res.body.data.items as Listed[];
    expect(res.body.data.total).toBe(2);
    expect(items.map((i) => i.mediaBuyId).sort()).toEqual(
      [campaignBuy.mediaBuyId as string, direct].sort(),
    );
    expect(items.find((i) => i.mediaBuyId === direct)).toMatchObject({
      origin: 'storefront_agent',
      status: 'ACTIVE',
      adcpStatus: mcpStatus,
      storefront: { id: String(sf.id) },
      campaignId: null,
      brandDomain: 'acmeoutdoor.example',
      budget: 500,
      currency: 'USD',
      poNumber: 'PO-MCP-1',
    });
    expect(items.find((i) => i.mediaBuyId === campaignBuy.mediaBuyId)).toMatchObject({
      origin: 'campaign',
      campaignId: booked.campaignId,
    });

    // The console opens it (it answered 404), with the status MCP reports (it said "active").
    const browser = consoleClient(() => h.app);
    const session = await browser.signIn(key);
    const list = await browser.get('/console/media-buys', session.cookie);
    const row = list.body.slice(list.body.indexOf(`/console/media-buys/${direct}`));
    expect(row.slice(0, 1500)).toContain(`>${mcpStatus.replace(/_/g, ' ')}<`);
    const opened = await browser.get(`/console/media-buys/${direct}`, session.cookie);
    expect(opened.statusCode, opened.body.slice(0, 500)).toBe(200);
    expect(opened.body).toContain('PO-MCP-1');
    expect(opened.body).toContain(`>${mcpStatus.replace(/_/g, ' ')}<`);

    // Another buyer's list holds neither.
    const other = await createCustomer(h, { role: 'BUYER' });
    const theirs = await h.call('GET', '/api/v2/buyer/media-buys', { key: other.key });
    expect(theirs.status, theirs.text).toBe(200);
    expect(theirs.body.data.items).toEqual([]);
    const theirSession = await browser.signIn(other.key);
    expect(
      (await browser.get(`/console/media-buys/${direct}`, theirSession.cookie)).statusCode,
    ).toBe(404);
    // Nor does the storefront's seller's own key read them as its buys.
    const seller = await h.call('GET', '/api/v2/buyer/media-buys', { key: sf.seller.key });
    expect(seller.status, seller.text).toBe(200);
    expect(seller.body.data.items).toEqual([]);
  }, 180_000);
});
