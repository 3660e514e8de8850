import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCatalog } from '../../src/demo/seller/catalog.js';
import { createHarness, type Harness } from '../harness.js';
import { startSeller, type RunningSeller } from '../fixtures/sellers.js';
import { eventually } from '../support/eventually.js';
import { consoleClient } from '../web/console-client.js';
import {
  availRow,
  commitCsv,
  header,
  modularStorefront,
} from '../modules/modular-sources/support.js';
import { agencyBuying, agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * One bad product never fails a storefront's answer (issue 44 item 1): each product a source
 * returns is checked against AdCP's product schema on its own; an invalid one is left out of
 * that answer, named to the seller in readiness (its source's diagnostics and a diagnosis) and
 * counted in /metrics; the rest answer, in every buying mode.
 */

let h: Harness;
let base: string;
const sellers: RunningSeller[] = [];
/** The scraper's credential: the only one /metrics takes (the admin key is not one). */
const metricsToken = 'ix-test-metrics-token-product-validation';

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_METRICS: '1', INTERCHANGE_METRICS_TOKEN: metricsToken });
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await Promise.all(sellers.map((s) => s.close()));
  await h?.close();
});

interface InvalidProduct {
  productId: string;
  field: string;
  message: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

async function readinessOf(key: string) {
  const res = await h.call('GET', '/api/v2/storefront/readiness', { key });
  expect(res.status, res.text).toBe(200);
  return res.body.data as {
    sourceDiagnostics: Array<{ sourceId: string; invalidProducts: InvalidProduct[] }>;
    diagnoses: Array<{
      sourceId: string;
      failureMode: string;
      severity: string;
      summary: string;
      detail: string | null;
      observedAt: string;
    }>;
  };
}

const invalidOf = (readiness: Awaited<ReturnType<typeof readinessOf>>, sourceId: string) =>
  readiness.sourceDiagnostics.find((s) => s.sourceId === sourceId)?.invalidProducts ?? [];

/** Products left out so far for `reason`, as a Prometheus scraper reads them. */
async function droppedCount(reason: string): Promise<number> {
  const res = await h.call('GET', '/metrics', { key: metricsToken });
  expect(res.status).toBe(200);
  const line = res.text
    .split('\n')
    .find((l) => l.startsWith(`interchange_products_dropped_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

type Answer = { isError: boolean; products?: Array<{ product_id: string }> };
const idsOf = (answer: Answer) => (answer.products ?? []).map((p) => p.product_id).sort();

describe('a spreadsheet row committed by an earlier version that AdCP refuses', () => {
  it('is left out of every answer, named to the seller, and sold again once fixed', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      [header, availRow('front', 50_000), availRow('sports', 40_000), availRow('bad', 30_000)].join(
        '\n',
      ),
    );
    // Data an earlier version let through: the channel is no AdCP channel.
    await h.database.queryable.query(
      `update modular_avails set channel = 'billboards' where avail_id = 'bad'`,
    );
    const good = [`${sf.sourceId}__front`, `${sf.sourceId}__sports`];
    const droppedBefore = await droppedCount('unknown_value');
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const asks: Record<string, Record<string, unknown>> = {
        plain: { buying_mode: 'brief', brief: 'Homepage takeover', account },
        wholesale: { buying_mode: 'wholesale', account },
        paginated: {
          buying_mode: 'brief',
          brief: 'homepage',
          account,
          pagination: { max_results: 10 },
        },
      };
      for (const [mode, ask] of Object.entries(asks)) {
        const answer = (await agent.call('get_products', ask)) as Answer;
        expect(answer.isError, `${mode}: ${JSON.stringify(answer)}`).toBe(false);
        expect(idsOf(answer), mode).toEqual(good);
      }
      // Counted by reason only (an enum value AdCP does not define), never by source.
      expect(await droppedCount('unknown_value')).toBe(droppedBefore + 3);

      // The seller sees which product, which field and since when, in its source's diagnostics
      // and as a diagnosis.
      const readiness = await eventually(
        () => readinessOf(sf.seller.key),
        (r) => invalidOf(r, sf.sourceId).length > 0,
      );
      const [invalid] = invalidOf(readiness, sf.sourceId);
      expect(invalid).toMatchObject({ productId: 'bad', field: '/channels/0' });
      expect(invalid!.message).toContain('must be one of');
      expect(Date.parse(invalid!.firstSeenAt)).toBeLessThanOrEqual(Date.parse(invalid!.lastSeenAt));
      const diagnosis = readiness.diagnoses.find(
        (d) => d.sourceId === sf.sourceId && d.failureMode === 'catalog_products_hidden',
      );
      expect(diagnosis?.severity).toBe('attention');
      expect(diagnosis?.detail).toContain('bad');
      expect(diagnosis?.detail).toContain('/channels/0');
      expect(diagnosis?.observedAt).toBe(invalid!.firstSeenAt);
      // And in the console: its home (readiness) and the source's page.
      const browser = consoleClient(() => h.app);
      const { cookie } = await browser.signIn(sf.seller.key);
      for (const url of ['/console', `/console/sources/${sf.sourceId}`]) {
        const page = await browser.get(url, cookie);
        expect(page.statusCode).toBe(200);
        expect(page.body, url).toContain('Products left out of buyers');
        expect(page.body, url).toContain('<code>bad</code>');
        expect(page.body, url).toContain('<code>/channels/0</code>');
      }

      // Fixed in the sheet: the product sells again and the finding clears.
      // The publisher uploads the corrected sheet (a new revision, as in the console).
      await commitCsv(
        h,
        sf.seller.key,
        sf.sourceId,
        [
          header,
          availRow('front', 50_000),
          availRow('sports', 40_000),
          availRow('bad', 30_000),
        ].join('\n'),
      );
      const fixed = (await agent.call('get_products', asks['wholesale']!)) as Answer;
      expect(idsOf(fixed)).toEqual([...good, `${sf.sourceId}__bad`].sort());
      const cleared = await eventually(
        () => readinessOf(sf.seller.key),
        (r) => invalidOf(r, sf.sourceId).length === 0,
      );
      expect(cleared.diagnoses.some((d) => d.failureMode === 'catalog_products_hidden')).toBe(
        false,
      );
    } finally {
      await agent.close();
    }
  });
});

describe('in production mode, where @adcp/sdk checks no answer it sends', () => {
  it('still leaves the invalid product out', async () => {
    // @adcp/sdk reads NODE_ENV when a storefront's server is built: this storefront's is built
    // by the first call below.
    const previousEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      const sf = await modularStorefront(h);
      await commitCsv(
        h,
        sf.seller.key,
        sf.sourceId,
        [header, availRow('front', 50_000), availRow('bad', 30_000)].join('\n'),
      );
      await h.database.queryable.query(
        `update modular_avails set channel = 'billboards' where avail_id = 'bad'`,
      );
      const { buyer, account } = await agencyBuying(h);
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const answer = (await agent.call('get_products', {
          buying_mode: 'wholesale',
          account,
        })) as Answer;
        expect(answer.isError, JSON.stringify(answer)).toBe(false);
        expect(idsOf(answer)).toEqual([`${sf.sourceId}__front`]);
      } finally {
        await agent.close();
      }
    } finally {
      process.env['NODE_ENV'] = previousEnv;
    }
  });
});

describe('an AdCP agent source answering one malformed product among good ones', () => {
  it('answers the good ones and names the malformed one to the seller', async () => {
    const seller = await startSeller('mcp');
    sellers.push(seller);
    const catalog = buildDemoCatalog(seller.url).products;
    const [first, second, third] = catalog;
    // No pricing option at all: AdCP requires at least one.
    const malformed = { ...third!, product_id: 'no_price', pricing_options: [] };
    seller.answerInstead!('get_products', {
      data: { products: [first, second, malformed] },
    });
    const sf = await storefrontWith(h, [{ sourceId: 'agentsrc', url: seller.url }]);
    const droppedBefore = await droppedCount('out_of_range');
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      for (const ask of [
        { buying_mode: 'wholesale', account },
        { buying_mode: 'brief', brief: 'news display', account, pagination: { max_results: 5 } },
      ]) {
        const answer = (await agent.call('get_products', ask)) as Answer;
        expect(answer.isError, JSON.stringify(answer)).toBe(false);
        expect(idsOf(answer)).toEqual(
          [`agentsrc__${first!.product_id}`, `agentsrc__${second!.product_id}`].sort(),
        );
      }
      expect(await droppedCount('out_of_range')).toBe(droppedBefore + 2);
      const readiness = await eventually(
        () => readinessOf(sf.seller.key),
        (r) => invalidOf(r, 'agentsrc').length > 0,
      );
      expect(invalidOf(readiness, 'agentsrc')).toEqual([
        expect.objectContaining({ productId: 'no_price', field: '/pricing_options' }),
      ]);
      expect(
        readiness.diagnoses.find(
          (d) => d.sourceId === 'agentsrc' && d.failureMode === 'catalog_products_hidden',
        )?.detail,
      ).toContain('no_price');

      // The source stops offering it: after a full listing without it, the finding clears.
      seller.answerInstead!('get_products', { data: { products: [first, second] } });
      const after = (await agent.call('get_products', {
        buying_mode: 'wholesale',
        account,
      })) as Answer;
      expect(idsOf(after)).toHaveLength(2);
      await eventually(
        () => readinessOf(sf.seller.key),
        (r) => invalidOf(r, 'agentsrc').length === 0,
      );
    } finally {
      await agent.close();
    }
  });
});
