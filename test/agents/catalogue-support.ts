import { createCustomer, type Harness, type TestCustomer } from '../harness.js';
import { commitCsv, day, sources } from '../modules/modular-sources/support.js';

/*
 * A publisher group's storefront over several spreadsheet (modular) sources, each a CSV the
 * tests write row by row: the setting of the paging tests (issue 71, item 1).
 */

export const catalogueHeader =
  'avail_id,name,collection,collection_description,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';

export interface CatalogueRow {
  id: string;
  name: string;
  collection?: string;
  collectionDescription?: string;
  channel?: string;
  impressions?: number;
  cpm?: number;
  formats?: string;
  domain?: string;
  /** Extra cells by header (e.g. Market, Audience), appended after the standard ones. */
  extra?: Record<string, string>;
}

const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A CSV of `rows` (their extra columns, in the order the first row names them, at the end). */
export function catalogueCsv(rows: CatalogueRow[]): string {
  const extras = Object.keys(rows[0]?.extra ?? {});
  const head = [catalogueHeader, ...extras.map(cell)].join(',');
  const lines = rows.map((r) =>
    [
      r.id,
      r.name,
      r.collection ?? 'run-of-site',
      r.collectionDescription ?? '',
      r.channel ?? 'display',
      day(-1),
      day(60),
      String(r.impressions ?? 50_000),
      String(r.cpm ?? 12),
      'USD',
      r.formats ?? 'display_300x250',
      r.domain ?? 'group.example',
      ...extras.map((k) => r.extra?.[k] ?? ''),
    ]
      .map(cell)
      .join(','),
  );
  return [head, ...lines].join('\n');
}

const ok = <R extends { status: number; text: string }>(res: R, status = 200): R => {
  if (res.status !== status) throw new Error(res.text);
  return res;
};

/** A listed, transacting storefront whose sources are spreadsheets, one per entry of `feeds`. */
export async function spreadsheetStorefront(
  h: Harness,
  feeds: Array<{ sourceId: string; rows: CatalogueRow[] }>,
  settings: Record<string, unknown> = {},
): Promise<{ seller: TestCustomer; id: number; platformId: string }> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = ok(
    await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: {
        defaultCurrency: 'USD',
        mediaBuyApproval: 'auto',
        creativeApproval: 'auto',
        ...settings,
      },
    }),
  );
  for (const feed of feeds) {
    ok(
      await h.call('POST', `${sources}/modular/feed`, {
        key: seller.key,
        body: { name: `Avails ${feed.sourceId}`, sourceId: feed.sourceId },
      }),
      201,
    );
    await commitCsv(h, seller.key, feed.sourceId, catalogueCsv(feed.rows));
  }
  ok(await h.call('POST', '/api/v2/storefront/activate', { key: seller.key }));
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  return { seller, id: sf.body.data.id, platformId: sf.body.data.platformId };
}

/** `n` plain run-of-site rows of `source` (ids `<source>-<i>`), most capacity first. */
export const plainRows = (source: string, n: number, from = 0): CatalogueRow[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      id: `${source}-${i}`,
      name: `${source.toUpperCase()} placement ${i}`,
      impressions: 900_000 - i * 1_000,
    };
  });

export type AnswerPage = {
  isError: boolean;
  products: Array<{ product_id: string; name: string; ext?: Record<string, unknown> }>;
  pagination?: { has_more: boolean; cursor?: string; total_count?: number };
  errors?: unknown[];
  adcp_error?: { code?: string; field?: string };
};

/** Every page of one ask, walked by its cursor (at most `maxPages`). */
export async function walk(
  ask: (pagination: Record<string, unknown>) => Promise<AnswerPage>,
  size: number,
  maxPages = 1_000,
): Promise<{ pages: AnswerPage[]; ids: string[] }> {
  const pages: AnswerPage[] = [];
  let page = await ask({ max_results: size });
  pages.push(page);
  for (let n = 1; page.pagination?.has_more && n < maxPages; n++) {
    if (page.isError) break;
    page = await ask({ max_results: size, cursor: page.pagination.cursor });
    pages.push(page);
  }
  return { pages, ids: pages.flatMap((p) => p.products.map((x) => x.product_id)) };
}
