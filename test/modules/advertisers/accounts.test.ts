import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { registerSocialCredential, socialStorefront } from '../../fixtures/social-storefront.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Source accounts discovered from software we did not write: @adcp/sdk's social example seller
 * (it implements list_accounts) over the SDK's mock platform, with the buyer's own credential
 * registered through the buyer-access credentials endpoint.
 */
let h: Harness;
let seller: SdkSeller;
beforeAll(async () => {
  [h, seller] = await Promise.all([createHarness(), startSdkSeller('social')]);
}, 60_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const base = '/api/v2/buyer/advertisers';

const storefront = () => socialStorefront(h, seller);
const registerCredential = (buyer: TestCustomer, storefrontId: number, account: string) =>
  registerSocialCredential(h, seller, buyer, storefrontId, account);

async function advertiser(buyer: TestCustomer, body: Record<string, unknown> = {}) {
  const res = await h.call('POST', base, {
    key: buyer.key,
    body: { name: 'Acme', brand: 'acmeoutdoor.example', primaryCurrency: 'USD', ...body },
  });
  return res;
}

describe('source accounts over a real @adcp/sdk seller', () => {
  it('discovers accounts with list_accounts, caches them, links and unlinks one', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const credentialId = await registerCredential(buyer, sf.id, 'acme-buyer');
    const a = (await advertiser(buyer)).body.data;
    const url = `${base}/${a.id}/accounts/available?storefrontId=${sf.id}&sourceId=social`;

    const first = await h.call('GET', url, { key: buyer.key });
    expect(first.status).toBe(200);
    expect(first.body.data.synced).toBe(true);
    expect(first.body.data.total).toBeGreaterThanOrEqual(1);
    const acme = first.body.data.accounts.find(
      (x: { house: string }) => x.house === 'acmeoutdoor.example',
    );
    expect(acme).toMatchObject({
      accountId: expect.any(String),
      name: expect.any(String),
      credentialId,
      status: 'active',
      sources: [
        { storefrontId: sf.id, storefrontName: sf.name, sourceId: 'social', sourceName: 'Social' },
      ],
    });
    const cached = await h.call('GET', url, { key: buyer.key });
    expect(cached.body.data).toMatchObject({ synced: false, total: first.body.data.total });
    const refreshed = await h.call('GET', `${url}&refresh=true`, { key: buyer.key });
    expect(refreshed.body.data.synced).toBe(true);

    const assigned = await h.call('POST', `${base}/${a.id}/accounts`, {
      key: buyer.key,
      body: {
        storefrontId: sf.id,
        sourceId: 'social',
        accountId: acme.accountId,
        billingType: 'brand',
      },
    });
    expect(assigned.status).toBe(201);
    expect(assigned.body.data).toMatchObject({
      linkId: expect.stringMatching(/^\d+$/),
      accountId: acme.accountId,
      advertiserId: a.id,
      credentialId,
      billingType: 'brand',
      house: 'acmeoutdoor.example',
    });
    const again = await h.call('POST', `${base}/${a.id}/accounts`, {
      key: buyer.key,
      body: { storefrontId: sf.id, sourceId: 'social', accountId: acme.accountId },
    });
    expect(again.status).toBe(409);

    const listed = await h.call('GET', `${base}/${a.id}/accounts`, { key: buyer.key });
    expect(listed.body.data).toMatchObject({ total: 1 });
    const one = await h.call('GET', `${base}/${a.id}/accounts/${acme.accountId}`, {
      key: buyer.key,
    });
    expect(one.body.data.linkId).toBe(assigned.body.data.linkId);
    const nested = await h.call('GET', `${base}?includeAccounts=true`, { key: buyer.key });
    expect(nested.body.data.items[0]).toMatchObject({
      linkedAccountCount: 1,
      linkedAccounts: [{ accountId: acme.accountId }],
    });

    // What the buying flow will send that source for this advertiser.
    const forBuying = await h.services.advertisers.accounts.linkedAt(
      buyer.id,
      Number(a.id),
      sf.id,
      'social',
    );
    expect(forBuying?.accountId).toBe(acme.accountId);

    const byPartner = await h.call('GET', `${base}?linkedAccountPartnerId=social`, {
      key: buyer.key,
    });
    expect(byPartner.body.data.items.map((i: { id: string }) => i.id)).toEqual([a.id]);

    const unlinked = await h.call(
      'DELETE',
      `${base}/${a.id}/accounts/${assigned.body.data.linkId}`,
      {
        key: buyer.key,
      },
    );
    expect(unlinked.body.data).toEqual({ unlinked: true });
    expect(
      (await h.call('GET', `${base}/${a.id}/accounts`, { key: buyer.key })).body.data.total,
    ).toBe(0);
    const none = await h.call('GET', `${base}?linkedAccountPartnerId=social`, { key: buyer.key });
    expect(none.body.data.total).toBe(0);
  }, 30_000);

  it('validates linkedAccounts on create and update against the available list (only adding)', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    await registerCredential(buyer, sf.id, 'acme-buyer');
    const refused = await advertiser(buyer, {
      linkedAccounts: [{ storefrontId: sf.id, sourceId: 'social', accountId: 'acc_not_there' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('linkedAccounts.0.accountId');

    const seed = await advertiser(buyer, { name: 'probe' });
    const available = (
      await h.call(
        'GET',
        `${base}/${seed.body.data.id}/accounts/available?storefrontId=${sf.id}&sourceId=social`,
        { key: buyer.key },
      )
    ).body.data.accounts as { accountId: string }[];
    expect(available.length).toBeGreaterThanOrEqual(2);
    const [x, y] = available as [{ accountId: string }, { accountId: string }];
    const created = await advertiser(buyer, {
      linkedAccounts: [{ storefrontId: sf.id, sourceId: 'social', accountId: x.accountId }],
    });
    expect(created.status).toBe(201);
    expect(created.body.data.linkedAccounts.map((l: { accountId: string }) => l.accountId)).toEqual(
      [x.accountId],
    );
    const updated = await h.call('PUT', `${base}/${created.body.data.id}`, {
      key: buyer.key,
      body: {
        linkedAccounts: [{ storefrontId: sf.id, sourceId: 'social', accountId: y.accountId }],
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data.linkedAccounts.map((l: { accountId: string }) => l.accountId)).toEqual(
      [x.accountId, y.accountId],
    );
  }, 30_000);

  it('with several credentials and no credentialId answers 400 listing the candidates', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const one = await registerCredential(buyer, sf.id, 'seat-one');
    const two = await registerCredential(buyer, sf.id, 'seat-two');
    const a = (await advertiser(buyer)).body.data;
    const url = `${base}/${a.id}/accounts/available?storefrontId=${sf.id}&sourceId=social`;
    const ambiguous = await h.call('GET', url, { key: buyer.key });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'credentialId',
      details: { credentialIds: [one, two] },
    });
    const picked = await h.call('GET', `${url}&credentialId=${two}`, { key: buyer.key });
    expect(picked.status).toBe(200);
    expect(picked.body.data.accounts[0].credentialId).toBe(two);
  }, 30_000);

  it("never uses or reveals another buyer's credential or cached accounts", async () => {
    const sf = await storefront();
    const [owner, other] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const ownersCredential = await registerCredential(owner, sf.id, 'owner-seat');
    const mine = (await advertiser(owner)).body.data;
    const warm = await h.call(
      'GET',
      `${base}/${mine.id}/accounts/available?storefrontId=${sf.id}&sourceId=social`,
      { key: owner.key },
    );
    expect(warm.status).toBe(200);
    const theirs = (await advertiser(other)).body.data;
    const url = `${base}/${theirs.id}/accounts/available?storefrontId=${sf.id}&sourceId=social`;
    const noCredential = await h.call('GET', url, { key: other.key });
    expect(noCredential.status).toBe(400);
    expect(noCredential.body.error.message).toMatch(/no active credential/);
    const borrowed = await h.call('GET', `${url}&credentialId=${ownersCredential}`, {
      key: other.key,
    });
    expect(borrowed.status).toBe(404);
    const link = await h.call('POST', `${base}/${theirs.id}/accounts`, {
      key: other.key,
      body: {
        storefrontId: sf.id,
        sourceId: 'social',
        accountId: warm.body.data.accounts[0].accountId,
      },
    });
    expect(link.status).toBe(400);
  }, 30_000);

  it('answers NOT_FOUND for a storefront a sponsored buyer is not confined to, or an unknown source', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const a = (await advertiser(buyer)).body.data;
    const unknown = await h.call(
      'GET',
      `${base}/${a.id}/accounts/available?storefrontId=${sf.id}&sourceId=nope`,
      { key: buyer.key },
    );
    expect(unknown.status).toBe(404);
    const missing = await h.call('GET', `${base}/${a.id}/accounts/available?sourceId=social`, {
      key: buyer.key,
    });
    expect(missing.status).toBe(400);
  });
});

describe('when the source stops answering', () => {
  // Last in the file: it stops the shared seller.
  it('answers the accounts it listed last time (synced=false), and 503 without any', async () => {
    const sf = await storefront();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    await registerCredential(buyer, sf.id, 'acme-buyer');
    const latecomer = await createCustomer(h, { role: 'BUYER' });
    await registerCredential(latecomer, sf.id, 'late-seat');
    const a = (await advertiser(buyer)).body.data;
    const b = (await advertiser(latecomer)).body.data;
    const query = `accounts/available?storefrontId=${sf.id}&sourceId=social&refresh=true`;
    const warm = await h.call('GET', `${base}/${a.id}/${query}`, { key: buyer.key });
    expect(warm.body.data.synced).toBe(true);
    await seller.close();
    const stale = await h.call('GET', `${base}/${a.id}/${query}`, { key: buyer.key });
    expect(stale.status).toBe(200);
    expect(stale.body.data).toMatchObject({ synced: false, total: warm.body.data.total });
    const none = await h.call('GET', `${base}/${b.id}/${query}`, { key: latecomer.key });
    expect(none.status).toBe(503);
    expect(none.body.error.message).toMatch(/did not list accounts/);
  }, 30_000);
});
