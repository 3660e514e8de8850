import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { availRow, commitCsv, day, header, modularStorefront } from '../modular-sources/support.js';

/**
 * A publisher confirming bookings by hand hears, from the notifications sweep, of the work a buy
 * opened, of its hold about to expire, and of a report due once its flight ended; the pending
 * operations list the same work and hold. A second sweep tells nobody twice.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_NOTIFICATIONS_HOLD_WINDOW_HOURS: '6' });
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('scheduled notices of a modular source', () => {
  it('tells the seller of work opened, a hold expiring and a report due, once each', async () => {
    const sf = await modularStorefront(h, { booking: { mode: 'manual' } });
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('held', 100_000)}`);
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const { products } = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'homepage',
        account,
      });
      const placed = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: day(7),
        packages: [
          {
            product_id: products[0].product_id,
            pricing_option_id: products[0].pricing_options[0].pricing_option_id,
            budget: 200,
          },
        ],
      });
      expect(placed.status).toBe('submitted');
    } finally {
      await agent.close();
    }
    // The hold falls inside the 6-hour window; outside it, nothing would be said.
    await h.database.db.execute(
      sql`update modular_bookings set hold_expires_at = now() + interval '2 hours'
           where storefront_id = ${sf.id}`,
    );

    const pending = await h.call('GET', '/api/v2/storefront/pending-operations', {
      key: sf.seller.key,
    });
    expect(pending.status).toBe(200);
    expect(pending.body.data.workItems.count).toBe(1);
    expect(pending.body.data.workItems.items[0]).toMatchObject({
      kind: 'CONFIRM_AVAILS',
      status: 'OPEN',
      sourceId: sf.sourceId,
    });
    expect(pending.body.data.expiringHolds).toMatchObject({
      count: 1,
      windowHours: 6,
      items: [{ availId: 'held', expiresAt: expect.any(String) }],
    });
    // The buy itself waits on the source's confirmation (hosted awaitingSource), beside the
    // work item that confirms it.
    expect(pending.body.data.awaitingSource).toMatchObject({
      count: 1,
      items: [{ sourceId: sf.sourceId }],
    });
    expect(pending.body.data.total).toBe(3);

    await h.services.notificationSweep.sweepOnce();
    const inbox = async () =>
      (await h.call('GET', '/api/v2/storefront/notifications', { key: sf.seller.key })).body.data;
    const types = (data: { notifications: Array<{ type: string }> }) =>
      data.notifications.map((n) => n.type).sort();
    expect(types(await inbox())).toEqual(['booking_hold.expiring', 'source.action_required']);

    // The flight ends without a final report: it is due.
    await h.database.db.execute(
      sql`update modular_buys set end_time = now() - interval '1 hour', start_time = now() - interval '8 days'
           where storefront_id = ${sf.id}`,
    );
    await h.services.notificationSweep.sweepOnce();
    await h.services.notificationSweep.sweepOnce();
    const after = await inbox();
    expect(types(after)).toEqual([
      'booking_hold.expiring',
      'delivery_report.due',
      'source.action_required',
    ]);
    expect(after.unreadCount).toBe(3);
  }, 90_000);
});
