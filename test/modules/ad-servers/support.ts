import { createCustomer, type Harness, type TestCustomer } from '../../harness.js';

export const sources = '/api/v2/storefront/inventory-sources';

/** The publisher's own products over the fake network's inventory (placement 502, key section). */
export const sportsProduct = {
  productId: 'sports_display',
  name: 'Sports display',
  description: 'Sports section, sports readers',
  placementIds: ['502'],
  keyValues: { section: ['sports'] },
  cpm: 12,
};

/** A SELLER with a storefront under manual buy approval (the gate before any ad-server write). */
export async function adServerSeller(
  h: Harness,
  mediaBuyApproval: 'manual' | 'auto' = 'manual',
): Promise<{ seller: TestCustomer; id: number; platformId: string }> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval, creativeApproval: 'auto' },
  });
  if (sf.status !== 200) throw new Error(`storefront: ${sf.text}`);
  return { seller, id: sf.body.data.id, platformId: sf.body.data.platformId };
}

/** Lists the storefront and lets it transact. */
export async function openStorefront(h: Harness, seller: TestCustomer, id: number) {
  const activated = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
  if (activated.status !== 200) throw new Error(`activate storefront: ${activated.text}`);
  await h.call('POST', `/api/v2/admin/storefronts/${id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
}

/** Polls the source's sync history until its newest run settles; answers that run. */
export async function settledSync(h: Harness, key: string, sourceId: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const history = await h.call('GET', `${sources}/${sourceId}/sync-history?limit=1`, { key });
    const run = history.body?.data?.runs?.[0];
    if (run && run.status !== 'running') return run;
    if (Date.now() > until) throw new Error(`sync did not settle: ${history.text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
