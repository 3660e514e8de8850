import { expect } from 'vitest';
import { type RecordingProxy, startRecordingProxy } from '../fakes/recording-proxy.js';
import { createCustomer, type Harness, type TestCustomer } from '../harness.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import { agentClient } from './storefront-agent-support.js';

const agentUrl = (base: string, platformId: string) => `${base}/adcp/storefront-${platformId}/mcp`;

/**
 * An upstream storefront over a spreadsheet of two avails, and a downstream selling it through an
 * approved link, reaching it over the network through a recording proxy (as one on another
 * Interchange would be).
 */
export async function linkedStorefronts(
  h: Harness,
  base: string,
  proxies: RecordingProxy[],
  proxyOptions: Parameters<typeof startRecordingProxy>[1] = {},
) {
  const upstream = await modularStorefront(h);
  await commitCsv(
    h,
    upstream.seller.key,
    'avails',
    [header, availRow('hp-1', 100_000), availRow('hp-2', 50_000)].join('\n'),
  );
  const proxy = await startRecordingProxy(agentUrl(base, upstream.platformId), proxyOptions);
  proxies.push(proxy);
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  expect(sf.status, sf.text).toBe(200);
  const platformId = sf.body.data.platformId as string;
  const asked = await h.call('POST', '/api/v2/buyer/storefront-links', {
    key: seller.key,
    body: {
      platformId: upstream.platformId,
      downstream: { agentUrl: agentUrl(base, platformId), name: 'Downstream' },
    },
  });
  expect(asked.status, asked.text).toBe(201);
  const approved = await h.call(
    'POST',
    `/api/v2/storefront/link-requests/${asked.body.data.id as string}/approve`,
    { key: upstream.seller.key },
  );
  expect(approved.status, approved.text).toBe(200);
  const created = await h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: seller.key,
    body: {
      name: 'Linked',
      sourceId: 'linked',
      executionType: 'LINKED_STOREFRONT',
      endpointUrl: proxy.url,
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: seller.key },
    },
  });
  expect(created.status, created.text).toBe(201);
  await h.call('PUT', '/api/v2/storefront/inventory-sources/linked', {
    key: seller.key,
    body: { status: 'ACTIVE' },
  });
  expect((await h.call('POST', '/api/v2/storefront/activate', { key: seller.key })).status).toBe(
    200,
  );
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  return { upstream, downstream: { seller, platformId }, proxy };
}

export type Product = {
  product_id: string;
  pricing_options: Array<{ fixed_price?: number; floor_price?: number }>;
};

/** A brief to the storefront's agent through the official MCP client, as `buyer`. */
export async function briefThrough(
  base: string,
  platformId: string,
  buyer: TestCustomer,
  extra: Record<string, unknown> = {},
) {
  const agent = await agentClient(base, platformId, buyer.key);
  try {
    return (await agent.call('get_products', {
      buying_mode: 'brief',
      brief: 'homepage takeover display',
      brand: { domain: 'brand-a.example' },
      ...extra,
    })) as {
      isError: boolean;
      products: Product[];
      errors?: Array<{ code: string; details?: Record<string, unknown> }>;
    };
  } finally {
    await agent.close();
  }
}

export const productCalls = (proxy: RecordingProxy) =>
  proxy.calls().filter((c) => c.tool === 'get_products');
export const priceOf = (products: Product[], id: string) => {
  const option = products.find((p) => p.product_id.endsWith(id))?.pricing_options[0];
  return option?.fixed_price ?? option?.floor_price;
};
