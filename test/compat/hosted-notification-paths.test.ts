import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';

/**
 * Hosted serves the inbox and the notification preferences persona-neutral on the API root (its
 * documents set `servers` to /api/v2 for these paths in both the buyer and the storefront
 * document): a hosted client calls /api/v2/notifications with whatever key it holds. Served here
 * the same, over a real socket, with the persona paths kept as aliases of the same records.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await h?.close();
});

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const json: any = await res.json();
  return { status: res.status, body: json };
}

function tell(customer: TestCustomer, type: 'media_buy.approved' | 'source.action_required') {
  return h.services.notifications.notify({
    customerId: customer.id,
    type,
    status: 'info',
    message: `Told ${customer.id} ${randomUUID()}`,
    eventKey: randomUUID(),
  });
}

describe('the inbox on hosted paths (/api/v2, either persona)', () => {
  it('answers each caller its own inbox, whichever persona its key is', async () => {
    const [buyer, seller] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'SELLER' }),
    ]);
    await tell(buyer, 'media_buy.approved');
    await tell(seller, 'source.action_required');
    await tell(seller, 'source.action_required');

    const buyers = await call('GET', '/api/v2/notifications', buyer.key);
    expect(buyers.status).toBe(200);
    expect(buyers.body.data).toMatchObject({ totalCount: 1, unreadCount: 1 });
    expect(buyers.body.data.notifications[0].type).toBe('media_buy.approved');
    const sellers = await call('GET', '/api/v2/notifications?limit=1', seller.key);
    expect(sellers.status).toBe(200);
    expect(sellers.body.data).toMatchObject({ totalCount: 2, hasMore: true, nextOffset: 1 });

    // Read, acknowledge and read-all on the root; the persona alias reads the same records.
    const [first, second] = (await call('GET', '/api/v2/notifications', seller.key)).body.data
      .notifications;
    const read = await call('POST', `/api/v2/notifications/${first.id}/read`, seller.key);
    expect(read).toMatchObject({ status: 200, body: { data: { notificationId: first.id } } });
    const ack = await call('POST', `/api/v2/notifications/${second.id}/acknowledge`, seller.key);
    expect(ack.status).toBe(200);
    const alias = await call('GET', '/api/v2/storefront/notifications', seller.key);
    expect(alias.body.data.unreadCount).toBe(0);
    const readAll = await call('POST', '/api/v2/notifications/read-all', buyer.key, {});
    expect(readAll.body.data).toEqual({ success: true, updated: 1 });
    expect(
      (await call('GET', '/api/v2/buyer/notifications', buyer.key)).body.data.unreadCount,
    ).toBe(0);
  });

  it("answers another customer's notification NOT_FOUND on the root as on the alias", async () => {
    const [owner, other] = await Promise.all([
      createCustomer(h, { role: 'SELLER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    await tell(owner, 'source.action_required');
    const [mine] = (await call('GET', '/api/v2/notifications', owner.key)).body.data.notifications;
    const theirs = await call('POST', `/api/v2/notifications/${mine.id}/read`, other.key);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('NOT_FOUND');
  });

  it('keeps the preferences and the delivery preferences on the root', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const put = await call('PUT', '/api/v2/notification-preferences', seller.key, {
      optIns: [{ notificationType: 'source.action_required', channel: 'in_app' }],
    });
    expect(put.status).toBe(200);
    const got = await call('GET', '/api/v2/notification-preferences', seller.key);
    expect(got.body.data.optIns).toEqual([
      { notificationType: 'source.action_required', channel: 'in_app' },
    ]);
    const alias = await call('GET', '/api/v2/storefront/notification-preferences', seller.key);
    expect(alias.body.data.optIns).toEqual(got.body.data.optIns);
    const delivery = await call('GET', '/api/v2/notification-delivery-preferences', seller.key);
    expect(delivery.body.data).toMatchObject({ adapter: 'slack', configurable: false });
    const slack = await call('PUT', '/api/v2/notification-delivery-preferences', seller.key, {
      stream: 'product_updates',
      enabled: true,
    });
    expect(slack.status).toBe(409);
  });

  it('refuses a call without a key', async () => {
    const res = await fetch(`${base}/api/v2/notifications`);
    expect(res.status).toBe(401);
  });

  it('lists the root paths in both the buyer and the storefront OpenAPI document', async () => {
    for (const persona of ['buyer', 'storefront']) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
      const doc: any = await (await fetch(`${base}/api/v2/${persona}/openapi.json`)).json();
      for (const path of [
        '/api/v2/notifications',
        '/api/v2/notifications/read-all',
        '/api/v2/notifications/{notificationId}/read',
        '/api/v2/notifications/{notificationId}/acknowledge',
        '/api/v2/notification-preferences',
        '/api/v2/notification-delivery-preferences',
      ]) {
        expect(doc.paths[path], `${persona} documents ${path}`).toBeDefined();
      }
      expect(doc.paths['/api/v2/notifications'].get.operationId).toBe('listNotifications');
    }
  });
});
