import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { eventually } from '../support/eventually.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { creative, newCreativeId, reviews, sync } from './storefront-creatives-support.js';
import { defaultReadCacheTtlMs } from '../../src/platform/read-cache.js';

let h: Harness;
let base: string;
let library: RunningSeller;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_WRITE_RECOVERY_SECONDS: '0.5' });
  base = await listen(h);
  library = await startSeller('mcp');
});
afterAll(async () => {
  await library?.close();
  await h.close();
});

type Leg = { sourceId: string; status: string };

describe('a creative sent on to a library source whose answer is lost', () => {
  it('is shown being established, not failed, and recovery sends it again under its key until the source took it', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'lib', url: library.url }]);
    await h.database.queryable.query(
      `update inventory_sources set capabilities = jsonb_set(capabilities, '{creativeHasCreativeLibrary}', 'true')
       where storefront_id = $1 and deleted_at is null`,
      [sf.id],
    );
    await new Promise((resolve) => setTimeout(resolve, defaultReadCacheTtlMs + 50));
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const id = newCreativeId();
    const sentToSource = () =>
      library
        .toolCalls()
        .filter((c) => c.tool === 'sync_creatives' && JSON.stringify(c.args).includes(id));
    const forwardOf = async () => {
      const listed = await h.call('GET', `${reviews}?status=approved`, { key: sf.seller.key });
      const item = (
        listed.body.data.items as Array<{ creativeId: string; forwardResult: Leg[] }>
      ).find((r) => r.creativeId === id);
      return item?.forwardResult ?? [];
    };
    try {
      // The source answers the first sync SERVICE_UNAVAILABLE: it may or may not have kept it.
      library.answerInstead!(
        'sync_creatives',
        { error: { code: 'SERVICE_UNAVAILABLE', message: 'Library busy' } },
        1,
      );
      const [synced] = await sync(agent, [creative(id)]);
      expect(synced).toMatchObject({ creative_id: id, status: 'approved' });
      expect(sentToSource()).toHaveLength(1);
      // The operator sees the source's part in doubt, not failed.
      expect(await forwardOf()).toEqual([
        expect.objectContaining({ sourceId: 'lib', status: 'unknown' }),
      ]);

      // Recovery (the job's work, run here by hand) sends it again, under the same key.
      const legs = await eventually(
        async () => {
          await h.services.sellerWrites.recoverDue();
          return forwardOf();
        },
        (found) => found[0]?.status !== 'unknown',
        20_000,
      );
      expect(legs).toEqual([{ sourceId: 'lib', status: 'completed' }]);
      const calls = sentToSource();
      expect(calls).toHaveLength(2);
      expect(calls[1]!.args['idempotency_key']).toBe(calls[0]!.args['idempotency_key']);
      expect((calls[1]!.args['creatives'] as unknown[])[0]).toEqual(creative(id));
      // Settled: nothing more is sent.
      await h.services.sellerWrites.recoverDue();
      expect(sentToSource()).toHaveLength(2);
    } finally {
      await agent.close();
    }
  });
});
