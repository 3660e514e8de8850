import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { registerSocialCredential, socialStorefront } from '../../fixtures/social-storefront.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Pushing a catalog to a partner: @adcp/sdk's social example seller (it implements
 * sync_catalogs and list_accounts) over the SDK's mock platform, reached with the buyer's own
 * credential and the account the advertiser linked there.
 */
let h: Harness;
let seller: SdkSeller;
beforeAll(async () => {
  // accounts/available asks the social seller's list_accounts within the probe timeout, which the
  // harness sets to 2 s (for tests of unreachable agents): under load 13 the seller took longer.
  [h, seller] = await Promise.all([
    createHarness({ INTERCHANGE_PROBE_TIMEOUT_MS: '10000' }),
    startSdkSeller('social'),
  ]);
}, 60_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

/** A listed storefront over the social seller, a buyer with a credential and a linked account. */
async function linkedAdvertiser(): Promise<{ buyer: TestCustomer; id: string; agentId: string }> {
  const sf = await socialStorefront(h, seller);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  await registerSocialCredential(h, seller, buyer, sf.id, 'acme-buyer');
  const adv = await h.call('POST', '/api/v2/buyer/advertisers', {
    key: buyer.key,
    body: { name: 'Acme', brand: 'acmeoutdoor.example', primaryCurrency: 'USD' },
  });
  const id = adv.body.data.id as string;
  const available = await h.call(
    'GET',
    `/api/v2/buyer/advertisers/${id}/accounts/available?storefrontId=${sf.id}&sourceId=social`,
    { key: buyer.key },
  );
  expect(available.status, available.text).toBe(200);
  const account = available.body.data.accounts.find(
    (a: { house: string }) => a.house === 'acmeoutdoor.example',
  );
  const linked = await h.call('POST', `/api/v2/buyer/advertisers/${id}/accounts`, {
    key: buyer.key,
    body: { storefrontId: sf.id, sourceId: 'social', accountId: account.accountId },
  });
  expect(linked.status).toBe(201);
  return { buyer, id, agentId: `storefront-${sf.platformId}` };
}

describe('catalogs pushed to partners with AdCP sync_catalogs', () => {
  it('syncs a catalog to the linked source and records each partner outcome', async () => {
    const { buyer, id, agentId } = await linkedAdvertiser();
    const res = await h.call('POST', `/api/v2/buyer/advertisers/${id}/catalogs/sync`, {
      key: buyer.key,
      body: {
        catalogs: [
          {
            catalog_id: 'summer',
            type: 'product',
            name: 'Summer',
            items: [
              { item_id: 'sku-1', title: 'Tent', price: 199, currency: 'USD' },
              { item_id: 'sku-2', title: 'Stove', price: 59, currency: 'USD' },
            ],
          },
        ],
        partnerIds: ['social', 'nowhere'],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.catalogs[0]).toMatchObject({ catalog_id: 'summer', action: 'created' });
    const byPartner = Object.fromEntries(
      res.body.data.partners.map((p: { partnerId: string }) => [p.partnerId, p]),
    );
    expect(byPartner.social).toMatchObject({ status: 'SYNCED', catalogId: 'summer', error: null });
    expect(byPartner.nowhere).toMatchObject({
      status: 'FAILED',
      error: expect.stringContaining('no account linked'),
    });
    const got = await h.call('GET', `/api/v2/buyer/advertisers/${id}/catalogs/summer`, {
      key: buyer.key,
    });
    expect(
      got.body.data.partners.map((p: { partnerId: string; status: string }) => [
        p.partnerId,
        p.status,
      ]),
    ).toEqual([
      ['nowhere', 'FAILED'],
      ['social', 'SYNCED'],
    ]);

    // The storefront agent as the partner stands for each of its sources the advertiser linked.
    const viaStorefront = await h.call('POST', `/api/v2/buyer/advertisers/${id}/catalogs/sync`, {
      key: buyer.key,
      body: { catalog_ids: ['summer'], partnerIds: [agentId] },
    });
    expect(viaStorefront.body.data.partners).toEqual([
      expect.objectContaining({ partnerId: agentId, status: 'SYNCED', itemCount: 2 }),
    ]);
  });
});
