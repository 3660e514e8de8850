import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import {
  availRow,
  commitCsv,
  day,
  header,
  modularStorefront,
  sources,
} from '../modular-sources/support.js';

/*
 * GET /api/v2/storefront/pending-operations' awaitingSource group (hosted): a buy a source took
 * as a task of its own and has not settled. A spreadsheet source whose bookings a person confirms
 * holds the buyer's buy as such a task; the seller sees it waiting on that source, with the task,
 * until the booking is confirmed.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  // The follow-up of a source's tasks runs as a background job, as under serve.
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const pendingOf = async (key: string) => {
  const answer = await h.call('GET', '/api/v2/storefront/pending-operations', { key });
  expect(answer.status, answer.text).toBe(200);
  return answer.body.data;
};

describe('pending operations: a buy waiting on its source', () => {
  it('lists the buy and its source task until the booking is confirmed', async () => {
    const sf = await modularStorefront(h, { booking: { mode: 'manual' } });
    const key = sf.seller.key;
    await commitCsv(h, key, sf.sourceId, `${header}\n${availRow('hp', 500_000)}`);
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    let mediaBuyId: string;
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'homepage takeover',
        account,
      });
      const product = found.products.find((p: { name: string }) => p.name.includes('hp'));
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: day(14),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 1_000,
          },
        ],
      });
      expect(created.status, JSON.stringify(created)).toBe('submitted');
      const listed = await h.call('GET', '/api/v2/storefront/media-buys', { key });
      mediaBuyId = listed.body.data.items[0].mediaBuyId;
    } finally {
      await agent.close();
    }

    const waiting = await pendingOf(key);
    expect(waiting.awaitingSource).toEqual({
      count: 1,
      items: [
        {
          mediaBuyId,
          sourceId: sf.sourceId,
          sourceName: 'Print and radio avails',
          buyer: { customerId: buyer.id, name: expect.any(String) },
          since: expect.any(String),
          taskId: expect.any(String),
        },
      ],
    });

    const items = await h.call(
      'GET',
      `${sources}/${sf.sourceId}/modular/work-items?kind=CONFIRM_AVAILS`,
      { key },
    );
    const confirmed = await h.call(
      'POST',
      `${sources}/${sf.sourceId}/modular/work-items/${items.body.data.items[0].id}/complete`,
      { key, body: { result: { decision: 'approve' } } },
    );
    expect(confirmed.status, confirmed.text).toBe(200);
    await eventually(
      () => pendingOf(key),
      (pending) => pending.awaitingSource === undefined,
      30_000,
    );
  }, 120_000);
});
