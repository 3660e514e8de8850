import { createCustomer, type Harness, type TestCustomer } from '../../harness.js';

export const sources = '/api/v2/storefront/inventory-sources';

/** A day `n` days from now, as an ISO date-time. */
export const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

/**
 * A SELLER whose listed, transacting storefront draws on one modular source created with
 * `setup` (the built-in feed and ledger; modes as given).
 */
export async function modularStorefront(
  h: Harness,
  setup: Record<string, unknown> = {},
): Promise<{ seller: TestCustomer; id: number; platformId: string; sourceId: string }> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  if (sf.status !== 200) throw new Error(`storefront: ${sf.text}`);
  const created = await h.call('POST', `${sources}/modular/feed`, {
    key: seller.key,
    body: { name: 'Print and radio avails', sourceId: 'avails', ...setup },
  });
  if (created.status !== 201) throw new Error(`modular source: ${created.text}`);
  const activated = await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
  if (activated.status !== 200) throw new Error(`activate storefront: ${activated.text}`);
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  return {
    seller,
    id: sf.body.data.id,
    platformId: sf.body.data.platformId,
    sourceId: created.body.data.sourceId,
  };
}

/** Previews `csvText` and commits exactly that revision; answers the commit's body. */
export async function commitCsv(h: Harness, key: string, sourceId: string, csvText: string) {
  const preview = await h.call('POST', `${sources}/${sourceId}/feed/preview`, {
    key,
    body: { contractId: 'static-avails-feed:v1', csvText },
  });
  if (preview.status !== 200) throw new Error(`preview: ${preview.text}`);
  const commit = await h.call('POST', `${sources}/${sourceId}/feed/commit`, {
    key,
    body: {
      feedId: preview.body.data.feedId,
      previewBaseline: preview.body.data.previewBaseline,
      revision: preview.body.data.revision,
    },
  });
  if (commit.status !== 200) throw new Error(`commit: ${commit.text}`);
  return commit.body.data;
}

export const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
export const availRow = (id: string, impressions: number, cpm = 20) =>
  `${id},Homepage takeover ${id},homepage,display,${day(-1)},${day(30)},${impressions},${cpm},USD,display_300x250,news.example`;

/** `row` with its start_time (the fifth column) replaced; day() reads the clock, so a second call would not match. */
export const withStartTime = (row: string, startTime: string) =>
  row
    .split(',')
    .map((cell, i) => (i === 4 ? startTime : cell))
    .join(',');
