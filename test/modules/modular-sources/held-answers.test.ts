import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productsOnSale } from '../../../src/modules/modular-sources/index.js';
import { createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { availRow, commitCsv, day, header, modularStorefront } from './support.js';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Answered = {
  product_id: string;
  description: string;
  pricing_options: Array<{ pricing_option_id: string }>;
  ext: { interchange: { upstream_product_id: string } };
};

/** The source's sale_version and inventory source id, as the database holds them. */
async function saleOf(storefrontId: number) {
  const { rows } = (await h.database.db.execute(
    sql`select inventory_source_id, sale_version from modular_sources where storefront_id = ${storefrontId}`,
  )) as unknown as { rows: Array<{ inventory_source_id: string; sale_version: string }> };
  return {
    sourceRowId: Number(rows[0]!.inventory_source_id),
    version: Number(rows[0]!.sale_version),
  };
}

describe('a modular source’s get_products answer, held between calls', () => {
  it('shows a hold, its expiry, a feed commit and any other write on the very next call', async () => {
    const sf = await modularStorefront(h, { booking: { mode: 'manual' } });
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      [header, availRow('lead', 55_000), availRow('second', 50_000)].join('\n'),
    );
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const ask = async () => {
      const answer = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'homepage takeover',
        account,
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      return answer.products as Answered[];
    };
    const order = async () => (await ask()).map((p) => p.ext.interchange.upstream_product_id);
    try {
      // Asked twice: the second is the held answer, the same.
      expect(await order()).toEqual(['lead', 'second']);
      const first = await ask();
      expect(first.map((p) => p.ext.interchange.upstream_product_id)).toEqual(['lead', 'second']);
      expect(first[0]!.description).toContain('55000 impressions available');

      // A hold of 10,000 (200 at a CPM of 20) leaves the lead 45,000: second now has more left.
      const lead = first[0]!;
      const bought = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: day(7),
        packages: [
          {
            product_id: lead.product_id,
            pricing_option_id: lead.pricing_options[0]!.pricing_option_id,
            budget: 200,
          },
        ],
      });
      expect(bought.status, JSON.stringify(bought)).toBe('submitted');
      const held = await ask();
      expect(held.map((p) => p.ext.interchange.upstream_product_id)).toEqual(['second', 'lead']);
      expect(held[1]!.description).toContain('45000 impressions available');

      // The hold runs out: its capacity is back on the next call.
      await h.database.db.execute(
        sql`update modular_bookings set hold_expires_at = now() - interval '1 minute' where avail_id = 'lead'`,
      );
      expect(await h.services.modularSources.expireHolds()).toBe(1);
      expect(await order()).toEqual(['lead', 'second']);

      // A feed commit of any size moves the version once, and its avails are on sale at once.
      const before = await saleOf(sf.id);
      await commitCsv(
        h,
        sf.seller.key,
        sf.sourceId,
        [header, availRow('lead', 55_000), availRow('third', 60_000)].join('\n'),
      );
      const after = await saleOf(sf.id);
      expect(after.version).toBe(before.version + 1);
      expect(await order()).toEqual(['third', 'lead']);

      // A write by any other path moves it too (the trigger is on the avails themselves).
      await h.database.db.execute(
        sql`update modular_avails set end_time = now() - interval '1 second' where avail_id = 'third' and inventory_source_id = ${after.sourceRowId}`,
      );
      expect(await order()).toEqual(['lead']);
    } finally {
      await agent.close();
    }
  }, 60_000);

  it('leaves out an answered avail once its flight has ended, with nothing written', async () => {
    const sf = await modularStorefront(h);
    const ending = availRow('ending', 90_000).replace(day(30).slice(0, 10), day(10).slice(0, 10));
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      [header, ending, availRow('staying', 50_000)].join('\n'),
    );
    const { sourceRowId } = await saleOf(sf.id);
    const asked = (now: Date) => productsOnSale(h.database.db, sourceRowId, { now });
    const ids = async (now: Date) => (await asked(now)).map((p) => p.product_id);
    expect(await ids(new Date())).toEqual(['ending', 'staying']);
    // Held: the same objects again while nothing is written and no answered flight has ended.
    expect(await asked(new Date())).toBe(await asked(new Date()));
    expect(await ids(new Date(Date.now() + 11 * 86_400_000))).toEqual(['staying']);
  });

  it('keys what it holds by the source: another storefront’s same ask is its own', async () => {
    const one = await modularStorefront(h);
    const two = await modularStorefront(h);
    await commitCsv(h, one.seller.key, one.sourceId, `${header}\n${availRow('of-one', 10_000)}`);
    await commitCsv(h, two.seller.key, two.sourceId, `${header}\n${availRow('of-two', 10_000)}`);
    const ask = async (storefrontId: number) =>
      (
        await productsOnSale(h.database.db, (await saleOf(storefrontId)).sourceRowId, {
          now: new Date(),
        })
      ).map((p) => p.product_id);
    expect(await ask(one.id)).toEqual(['of-one']);
    expect(await ask(two.id)).toEqual(['of-two']);
  });

  it('keys what it holds by the database too: two databases in one process, equal ids', async () => {
    // Two fresh databases: their first storefront, source and sale version have the same ids.
    const [a, b] = await Promise.all([createHarness(), createHarness()]);
    try {
      const ofA = await modularStorefront(a);
      const ofB = await modularStorefront(b);
      expect(ofB.id).toBe(ofA.id);
      await commitCsv(a, ofA.seller.key, ofA.sourceId, `${header}\n${availRow('in-a', 10_000)}`);
      await commitCsv(b, ofB.seller.key, ofB.sourceId, `${header}\n${availRow('in-b', 10_000)}`);
      const ask = async (harness: Harness) => {
        const { rows } = (await harness.database.db.execute(
          sql`select inventory_source_id from modular_sources limit 1`,
        )) as unknown as { rows: Array<{ inventory_source_id: string }> };
        const products = await productsOnSale(
          harness.database.db,
          Number(rows[0]!.inventory_source_id),
          { now: new Date() },
        );
        return products.map((p) => p.product_id);
      };
      expect(await ask(a)).toEqual(['in-a']);
      expect(await ask(b)).toEqual(['in-b']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 120_000);
});
