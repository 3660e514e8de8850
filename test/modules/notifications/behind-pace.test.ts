import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { threeOrders } from '../order-views/orders-support.js';

/**
 * Buyers hear from the notifications sweep that a buy delivers behind pace (issue 48 item 3):
 * its delivered spend under three quarters of the flight's straight line by now, told once a
 * day per buy at most, to that buy's buyer only.
 */
let h: Harness;
let orders: Awaited<ReturnType<typeof threeOrders>>;

beforeAll(async () => {
  h = await createHarness();
  const base = await listen(h);
  orders = await threeOrders(h, base);
}, 180_000);
afterAll(async () => {
  await orders?.close();
  await h?.close();
});

type Notice = { type: string; data: { mediaBuyId?: string } | null; messagePreview: string };
const inbox = async (key: string, persona: 'buyer' | 'storefront' = 'buyer') => {
  const res = await h.call('GET', `/api/v2/${persona}/notifications?limit=100`, { key });
  expect(res.status, res.text).toBe(200);
  return (res.body.data.notifications as Notice[]).filter(
    (n) => n.type === 'media_buy.behind_pace',
  );
};
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);

describe('the behind-pace notice', () => {
  it('tells the buyer once a day that its buy trails the pace, and nobody else', async () => {
    // Placed seconds ago: a flight not a day old is not judged (a first report may not have come).
    await h.services.notificationSweep.sweepOnce(new Date());
    expect(await inbox(orders.a.customer.key)).toHaveLength(0);

    // Ten days into PO-A1's 20-day flight, 14 of 2,800 delivered: far behind the line.
    await h.services.notificationSweep.sweepOnce(daysFromNow(10));
    const told = await inbox(orders.a.customer.key);
    const a1 = told.filter((n) => n.data?.mediaBuyId === orders.ids.a1);
    expect(a1, JSON.stringify(told)).toHaveLength(1);
    expect(a1[0]!.messagePreview).toContain('behind pace');

    // The same day again: nobody is told twice.
    await h.services.notificationSweep.sweepOnce(new Date(daysFromNow(10).getTime() + 60_000));
    const again = await inbox(orders.a.customer.key);
    expect(again.filter((n) => n.data?.mediaBuyId === orders.ids.a1)).toHaveLength(1);

    // The next day, still behind: told again, once.
    await h.services.notificationSweep.sweepOnce(daysFromNow(11));
    const nextDay = await inbox(orders.a.customer.key);
    expect(nextDay.filter((n) => n.data?.mediaBuyId === orders.ids.a1)).toHaveLength(2);

    // Another buyer hears nothing of this buyer's buy; the seller hears no buyer's notice.
    const other = await inbox(orders.b.customer.key);
    expect(other.some((n) => n.data?.mediaBuyId === orders.ids.a1)).toBe(false);
    expect(await inbox(orders.sf.seller.key, 'storefront')).toHaveLength(0);
  });

  it('says nothing once the flight is over', async () => {
    const before = (await inbox(orders.a.customer.key)).length;
    await h.services.notificationSweep.sweepOnce(daysFromNow(30));
    expect(await inbox(orders.a.customer.key)).toHaveLength(before);
  });
});
