import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * A discovery run is committed before the buyer sees the answer (issue 30): a crash of the
 * instance right after an answer loses no run it showed. Read straight from the database after
 * each answer, with nothing flushed and no waiting, from concurrent calls too (their runs share
 * inserts).
 */
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

const ask = (brief: string) => ({
  buying_mode: 'brief',
  brief,
  brand: { domain: 'acme.example' },
});

async function runsOf(storefrontId: number) {
  const { rows } = await h.database.queryable.query(
    `select brief, jsonb_array_length(product_ids) as shown from discovery_runs
     where storefront_id = $1 order by id`,
    [storefrontId],
  );
  return rows as Array<{ brief: string; shown: number }>;
}

describe('discovery runs of storefront get_products', () => {
  it('are in the database when the answer arrives, one by one and concurrently', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const first = await agent.call('get_products', ask('first brief'));
      expect(first.isError).toBe(false);
      expect(first.products.length).toBeGreaterThan(0);
      expect(await runsOf(sf.id)).toEqual([{ brief: 'first brief', shown: first.products.length }]);

      const briefs = Array.from({ length: 6 }, (_, i) => `concurrent ${i}`);
      const answers = await Promise.all(
        briefs.map((brief) => agent.call('get_products', ask(brief))),
      );
      expect(answers.every((a) => a.isError === false)).toBe(true);
      const runs = await runsOf(sf.id);
      expect(runs.map((r) => r.brief).sort()).toEqual(['first brief', ...briefs].sort());
    } finally {
      await agent.close();
    }
  });
});
