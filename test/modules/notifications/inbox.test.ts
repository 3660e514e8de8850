import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import type { NotificationEvent } from '../../../src/modules/notifications/index.js';

/**
 * The inbox on hosted's paths, for both personas: paging, unread counts, read, acknowledge,
 * read-all, preferences; another customer's notification is NOT_FOUND.
 */
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
});

function tell(customer: TestCustomer, overrides: Partial<NotificationEvent> = {}) {
  return h.services.notifications.notify({
    customerId: customer.id,
    type: 'media_buy.approved',
    status: 'success',
    message: `Media buy mb_${randomUUID()} approved.`,
    eventKey: randomUUID(),
    ...overrides,
  });
}

const inbox = (key: string, query = '') =>
  h.call('GET', `/api/v2/buyer/notifications${query}`, { key });

describe('happy path', () => {
  it('pages the inbox newest first with total and unread counts', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    for (let i = 0; i < 5; i++) await tell(buyer, { message: `Notice ${i}` });
    const first = await inbox(buyer.key, '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({
      totalCount: 5,
      unreadCount: 5,
      hasMore: true,
      nextOffset: 2,
    });
    expect(
      first.body.data.notifications.map((n: { messagePreview: string }) => n.messagePreview),
    ).toEqual(['Notice 4', 'Notice 3']);
    const last = await inbox(buyer.key, '?limit=2&offset=4');
    expect(last.body.data).toMatchObject({ hasMore: false, nextOffset: null });
    expect(last.body.data.notifications).toHaveLength(1);
  });

  it('tells the same event once, however often it is told', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const event = { eventKey: 'media_buy:1:mb_1:approved' };
    await tell(buyer, event);
    await tell(buyer, event);
    expect((await inbox(buyer.key)).body.data.totalCount).toBe(1);
  });

  it('marks one read, acknowledges another, then reads all', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    for (let i = 0; i < 3; i++) await tell(buyer);
    const [a, b] = (await inbox(buyer.key)).body.data.notifications;
    const read = await h.call('POST', `/api/v2/buyer/notifications/${a.id}/read`, {
      key: buyer.key,
    });
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual({ success: true, notificationId: a.id });
    const ack = await h.call('POST', `/api/v2/buyer/notifications/${b.id}/acknowledge`, {
      key: buyer.key,
    });
    expect(ack.status).toBe(200);
    const now = (await inbox(buyer.key)).body.data;
    expect(now.unreadCount).toBe(1);
    const byId = new Map(now.notifications.map((n: { id: string }) => [n.id, n]));
    expect(byId.get(a.id)).toMatchObject({ read: true, acknowledged: false });
    expect(byId.get(b.id)).toMatchObject({ read: true, acknowledged: true });
    const unread = await inbox(buyer.key, '?unreadOnly=true');
    expect(unread.body.data.totalCount).toBe(1);

    const all = await h.call('POST', '/api/v2/buyer/notifications/read-all', {
      key: buyer.key,
      body: {},
    });
    expect(all.status).toBe(200);
    expect(all.body.data).toEqual({ success: true, updated: 1 });
    expect((await inbox(buyer.key)).body.data.unreadCount).toBe(0);
  });

  it('filters by type and status', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    await tell(seller, { type: 'storefront_link.requested', status: 'info' });
    await tell(seller, { type: 'inventory_source.unhealthy', status: 'error' });
    const url = '/api/v2/storefront/notifications';
    const byType = await h.call('GET', `${url}?types=storefront_link.requested`, {
      key: seller.key,
    });
    expect(byType.body.data.notifications.map((n: { type: string }) => n.type)).toEqual([
      'storefront_link.requested',
    ]);
    const byStatus = await h.call('GET', `${url}?status=error`, { key: seller.key });
    expect(byStatus.body.data.totalCount).toBe(1);
  });

  it('keeps each user’s opt-ins, replacing them whole', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const url = '/api/v2/buyer/notification-preferences';
    const put = await h.call('PUT', url, {
      key: buyer.key,
      body: {
        optIns: [
          { notificationType: 'media_buy.approved', channel: 'email' },
          { notificationType: 'media_buy.rejected', channel: 'in_app' },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.data.emailAvailable).toBe(false);
    await h.call('PUT', url, {
      key: buyer.key,
      body: { optIns: [{ notificationType: 'media_buy.rejected', channel: 'email' }] },
    });
    const got = await h.call('GET', url, { key: buyer.key });
    expect(got.body.data.optIns).toEqual([
      { notificationType: 'media_buy.rejected', channel: 'email' },
    ]);
  });

  it('answers the Slack delivery settings as not configurable', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const url = '/api/v2/storefront/notification-delivery-preferences';
    const got = await h.call('GET', url, { key: seller.key });
    expect(got.status).toBe(200);
    expect(got.body.data).toMatchObject({
      adapter: 'slack',
      destination: null,
      configurable: false,
    });
    const put = await h.call('PUT', url, {
      key: seller.key,
      body: { stream: 'product_updates', enabled: true },
    });
    expect(put.status).toBe(409);
    expect(put.body.error.code).toBe('DELIVERY_CHANNEL_NOT_CONNECTED');
  });
});

describe('errors', () => {
  it('refuses a bad page size and an unknown opt-in type with the field', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const bad = await inbox(buyer.key, '?limit=500');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    const type = await h.call('PUT', '/api/v2/buyer/notification-preferences', {
      key: buyer.key,
      body: { optIns: [{ notificationType: 'nope', channel: 'email' }] },
    });
    expect(type.status).toBe(400);
    expect(type.body.error.field).toContain('notificationType');
  });

  it('answers 404 for a notification that does not exist', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', '/api/v2/buyer/notifications/ntf_missing/read', {
      key: buyer.key,
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('security', () => {
  it('answers NOT_FOUND for another customer’s notification, and lists only one’s own', async () => {
    const owner = await createCustomer(h, { role: 'BUYER' });
    const other = await createCustomer(h, { role: 'BUYER' });
    await tell(owner);
    const [mine] = (await inbox(owner.key)).body.data.notifications;
    for (const action of ['read', 'acknowledge']) {
      const res = await h.call('POST', `/api/v2/buyer/notifications/${mine.id}/${action}`, {
        key: other.key,
      });
      expect(res.status).toBe(404);
    }
    await h.call('POST', '/api/v2/buyer/notifications/read-all', { key: other.key, body: {} });
    expect((await inbox(owner.key)).body.data.notifications[0].read).toBe(false);
    expect((await inbox(other.key)).body.data.totalCount).toBe(0);
  });

  it('keeps the storefront inbox to sellers and every inbox behind a key', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('GET', '/api/v2/storefront/notifications', { key: buyer.key });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
    const pending = await h.call('GET', '/api/v2/storefront/pending-operations', {
      key: buyer.key,
    });
    expect(pending.status).toBe(403);
    expect((await h.call('GET', '/api/v2/buyer/notifications')).status).toBe(401);
  });
});
