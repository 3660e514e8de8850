import { expect } from 'vitest';
import { createCustomer, type Harness } from '../harness.js';
import { commitCsv, modularStorefront } from '../modules/modular-sources/support.js';
import { agentClient } from './storefront-agent-support.js';

/*
 * A storefront over one spreadsheet, asked a brief over MCP with the official client: the setting
 * of the planner-reading tests (brief-planner-reading.test.ts, brief-planner-w30.test.ts).
 */

const header =
  'avail_id,name,collection,collection_description,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';

export interface Row {
  id: string;
  name: string;
  collection?: string;
  about?: string;
  channel?: string;
  start?: string;
  end?: string;
  impressions?: number;
  cpm?: number;
  formats?: string;
}

const soon = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const csvOf = (rows: Row[]) =>
  [
    header,
    ...rows.map((r) =>
      [
        r.id,
        r.name,
        r.collection ?? 'general',
        r.about ?? '',
        r.channel ?? 'display',
        r.start ?? soon(),
        r.end ?? '2029-12-31',
        r.impressions ?? 1_000_000,
        r.cpm ?? 10,
        'USD',
        r.formats ?? 'display_300x250',
        'dailycourier.example',
      ]
        .map((cell) => (String(cell).includes(',') ? `"${cell}"` : cell))
        .join(','),
    ),
  ].join('\n');

type Product = {
  product_id: string;
  name: string;
  format_ids: Array<{ id: string }>;
  ext?: { interchange?: { match?: { reasons: string[] } } };
};
export type Answer = {
  isError: boolean;
  products: Product[];
  proposals?: Array<{ total_budget_guidance?: { recommended?: number } }>;
};

/**
 * Asks `brief` of a storefront over one spreadsheet of `rows` (row order = capacity order), on
 * the harness `h` listening at `base`.
 */
export async function askOver(
  h: Harness,
  base: string,
  rows: Row[],
  brief: string,
): Promise<Answer> {
  const sf = await modularStorefront(h);
  await commitCsv(h, sf.seller.key, sf.sourceId, csvOf(rows));
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const answer = (await agent.call('get_products', {
      buying_mode: 'brief',
      brief,
      brand: { domain: 'planner.example' },
      pagination: { max_results: 50 },
    })) as Answer;
    expect(answer.isError, JSON.stringify(answer)).toBe(false);
    return answer;
  } finally {
    await agent.close();
  }
}

export const ids = (a: Answer) => a.products.map((p) => p.product_id.replace(/^avails__/, ''));
export const reasonsOf = (a: Answer, id: string) =>
  a.products.find((p) => p.product_id.endsWith(`__${id}`))?.ext?.interchange?.match?.reasons ?? [];
