import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startToolsOnlySeller } from '../../fixtures/sellers.js';
import { buildDemoCatalog } from '../../../src/demo/seller/catalog.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import {
  buyerWithAdvertiser,
  campaignOver,
  discover,
  type Json,
  productsOf,
  selectionOf,
} from './buying-support.js';

/**
 * An advertiser's linked source account reaches the seller: discovery and execution go to the
 * storefront under the account the advertiser linked, and the storefront forwards it to the
 * source that issued it (a seller on loopback answering AdCP's list_accounts, get_products and
 * create_media_buy, recording what it is asked).
 */
// A product as a real AdCP seller describes it (the demo seller's first), fixed-price first.
const product = buildDemoCatalog('https://seller.example').products[0]!;
let h: Harness;
let seller: RunningSeller;
beforeAll(async () => {
  [h, seller] = await Promise.all([
    createHarness(),
    startToolsOnlySeller(['get_products', 'create_media_buy', 'list_accounts'], {
      list_accounts: {
        accounts: [
          {
            account_id: 'acc_acme_direct',
            name: 'Acme Outdoor (direct)',
            brand: { domain: 'acmeoutdoor.example' },
            operator: 'acmeoutdoor.example',
            status: 'active',
            billing: 'operator',
          },
        ],
      },
      get_products: { products: [product] },
      create_media_buy: {
        media_buy_id: 'up_mb_1',
        status: 'active',
        packages: [{ package_id: 'up_pkg_1', product_id: product.product_id }],
      },
    }),
  ]);
}, 60_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

describe('execution under a linked account', () => {
  it('asks and books at the source under the account the advertiser linked there', async () => {
    // The seller checks no token; the source is set up as one that takes buyers' API keys.
    const sf = await storefrontWith(h, [
      { sourceId: 'tv', url: seller.url, token: 'tok_operator' },
    ]);
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const credential = await h.call(
      'POST',
      `/api/v2/buyer/storefronts/${sf.id}/sources/tv/credentials`,
      {
        key: buyer.key,
        body: { accountIdentifier: 'acme-buyer', auth: { type: 'bearer', token: 'tok_acme' } },
      },
    );
    expect([200, 201], credential.text).toContain(credential.status);
    const available = await h.call(
      'GET',
      `/api/v2/buyer/advertisers/${advertiserId}/accounts/available?storefrontId=${sf.id}&sourceId=tv`,
      { key: buyer.key },
    );
    expect(available.status, available.text).toBe(200);
    expect(available.body.data.accounts.map((a: Json) => a.accountId)).toContain('acc_acme_direct');
    const linked = await h.call('POST', `/api/v2/buyer/advertisers/${advertiserId}/accounts`, {
      key: buyer.key,
      body: { storefrontId: sf.id, sourceId: 'tv', accountId: 'acc_acme_direct' },
    });
    expect(linked.status, linked.text).toBe(201);

    const found = await discover(h, buyer.key, {
      advertiserId,
      brief: 'CTV',
      storefrontIds: [sf.id],
    });
    const offered = productsOf(found.body.data, sf.platformId)[0];
    expect(offered, JSON.stringify(found.body.data.agentResults)).toBeTruthy();
    const asked = seller.toolCalls().filter((c) => c.tool === 'get_products');
    expect(asked.at(-1)?.args['account']).toEqual({ account_id: 'acc_acme_direct' });

    await h.call('POST', `/api/v2/buyer/discovery/${found.body.data.discoveryId}/products`, {
      key: buyer.key,
      body: { products: [selectionOf(offered)] },
    });
    const campaignId = await campaignOver(h, buyer.key, advertiserId, found.body.data.discoveryId);
    const executed = await h.call('POST', `/api/v2/buyer/campaigns/${campaignId}/execute`, {
      key: buyer.key,
      body: {},
    });
    expect(executed.body.data, executed.text).toMatchObject({
      success: true,
      mediaBuysExecuted: 1,
    });
    const booked = seller.toolCalls().filter((c) => c.tool === 'create_media_buy');
    expect(booked).toHaveLength(1);
    expect(booked[0]?.args['account']).toEqual({ account_id: 'acc_acme_direct' });
    const buy = (
      await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/media-buys`, {
        key: buyer.key,
      })
    ).body.data.items[0];
    expect(buy).toMatchObject({ status: 'ACTIVE', packages: [{ productId: offered.productId }] });
  });
});
