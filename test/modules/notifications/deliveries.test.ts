import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { startNotificationReceiver } from '../../support/notification-receiver.js';
import { startSmtpServer } from '../../support/smtp-server.js';

/**
 * One event reaches the inbox, the buyer's webhook (signed, on a real socket) and the operator's
 * SMTP server (a fake on a real socket) once each; failed deliveries are retried by the job and
 * logged; webhook URLs go through the outbound guard; subscriptions are the buyer's own.
 */
let h: Harness;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startNotificationReceiver>>;

beforeAll(async () => {
  [smtp, receiver] = await Promise.all([startSmtpServer(), startNotificationReceiver()]);
  h = await createHarness({
    INTERCHANGE_SMTP_URL: smtp.url,
    INTERCHANGE_SMTP_FROM: 'notices@interchange.example',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
    INTERCHANGE_NOTIFICATIONS_SWEEP_SECONDS: '0',
    // The retry tests wait for one retry: 1 s (doubling) instead of production's 10 s.
    INTERCHANGE_NOTIFICATIONS_RETRY_SECONDS: '1',
  });
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
  await Promise.all([smtp?.close(), receiver?.close()]);
});

const secret = 'whsec_0123456789abcdef0123';

async function subscribedBuyer(url = receiver.url): Promise<{ buyer: TestCustomer; id: string }> {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const created = await h.call('POST', '/api/v2/buyer/webhook-subscriptions', {
    key: buyer.key,
    body: { url, secret, eventTypes: ['media_buy.approved'] },
  });
  expect(created.status).toBe(201);
  return { buyer, id: created.body.data.subscription.id };
}

function approve(buyer: TestCustomer, eventKey = randomUUID()) {
  return h.services.notifications.notify({
    customerId: buyer.id,
    type: 'media_buy.approved',
    status: 'success',
    message: `The seller approved media buy mb_${eventKey}.`,
    actionUrl: '/console/inbox',
    data: { mediaBuyId: `mb_${eventKey}` },
    eventKey,
  });
}

const postsFor = (eventKey: string) =>
  receiver.received.filter((p) => p.body?.eventId === eventKey);
const mailsFor = (eventKey: string) => smtp.mails.filter((m) => m.data.includes(eventKey));

describe('one event, three channels', () => {
  it('reaches the inbox, the webhook and the mailbox once each, told twice', async () => {
    const { buyer, id } = await subscribedBuyer();
    const prefs = await h.call('PUT', '/api/v2/buyer/notification-preferences', {
      key: buyer.key,
      body: { optIns: [{ notificationType: 'media_buy.approved', channel: 'email' }] },
    });
    expect(prefs.body.data.emailAvailable).toBe(true);
    const eventKey = randomUUID();
    await approve(buyer, eventKey);
    await approve(buyer, eventKey);

    await eventually(
      async () => [postsFor(eventKey).length, mailsFor(eventKey).length],
      ([posts, mails]) => posts === 1 && mails === 1,
    );
    const inbox = await h.call('GET', '/api/v2/buyer/notifications', { key: buyer.key });
    expect(inbox.body.data.totalCount).toBe(1);

    const [post] = postsFor(eventKey);
    expect(post!.body).toMatchObject({
      eventId: eventKey,
      notificationId: inbox.body.data.notifications[0].id,
      type: 'media_buy.approved',
      data: { mediaBuyId: `mb_${eventKey}` },
    });
    // Signed as task pushes are (RFC 9421), and with the subscriber's own secret.
    expect(post!.headers['signature-input']).toEqual(expect.any(String));
    expect(post!.headers['signature']).toEqual(expect.any(String));
    const [t, v1] = String(post!.headers['x-interchange-signature']).split(',');
    const stamp = t!.replace('t=', '');
    const expected = createHmac('sha256', secret).update(`${stamp}.${post!.raw}`).digest('hex');
    expect(v1).toBe(`v1=${expected}`);

    const [mail] = mailsFor(eventKey);
    expect(mail!.from).toBe('notices@interchange.example');
    expect(mail!.to).toHaveLength(1);
    expect(mail!.data).toContain('Subject: [Interchange] The seller approved media buy');
    expect(mail!.data).toContain('/console/inbox');

    // A later sweep finds nothing owed: no second post, no second mail.
    await h.services.notificationSweep.sweepOnce(new Date(Date.now() + 120_000));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(postsFor(eventKey)).toHaveLength(1);
    expect(mailsFor(eventKey)).toHaveLength(1);

    const log = await h.call('GET', `/api/v2/buyer/webhook-subscriptions/${id}/deliveries`, {
      key: buyer.key,
    });
    expect(log.status).toBe(200);
    expect(log.body.data.deliveries).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: 1, lastStatusCode: 204 }),
    ]);
  });

  it('retries a webhook the receiver failed, then logs it delivered once', async () => {
    const { buyer, id } = await subscribedBuyer();
    receiver.answerNext(503);
    const eventKey = randomUUID();
    await approve(buyer, eventKey);
    await eventually(
      async () => postsFor(eventKey).map((p) => p.answered),
      (answers) => answers.includes(204),
      60_000,
      250,
    );
    expect(postsFor(eventKey).map((p) => p.answered)).toEqual([503, 204]);
    // Both attempts carried one idempotency key, so a receiver that saw the first dedups.
    const keys = postsFor(eventKey).map((p) => p.body.idempotency_key as string);
    expect(keys[0]).toMatch(/^whk_/);
    expect(keys[1]).toBe(keys[0]);
    const subs = await h.call('GET', '/api/v2/buyer/webhook-subscriptions', { key: buyer.key });
    expect(subs.body.data.subscriptions[0]).toMatchObject({ id, failureCount: 0 });
    expect(subs.body.data.subscriptions[0].lastFailure).toEqual(expect.any(String));
    const log = await h.call('GET', `/api/v2/buyer/webhook-subscriptions/${id}/deliveries`, {
      key: buyer.key,
    });
    expect(log.body.data.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  }, 90_000);

  it('retries a mail the SMTP server deferred', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    await h.call('PUT', '/api/v2/buyer/notification-preferences', {
      key: buyer.key,
      body: { optIns: [{ notificationType: 'media_buy.approved', channel: 'email' }] },
    });
    smtp.failNext(1);
    const eventKey = randomUUID();
    await approve(buyer, eventKey);
    await eventually(
      async () => mailsFor(eventKey).length,
      (n) => n === 1,
      60_000,
      250,
    );
    const { rows } = await h.database.queryable.query(
      `select d.status, d.attempts, d.last_error from notification_deliveries d
         join notifications n on n.id = d.notification_id where n.event_key = $1`,
      [eventKey],
    );
    expect(rows).toEqual([{ status: 'delivered', attempts: 2, last_error: null }]);
  }, 90_000);
});

describe('subscriptions', () => {
  it('never returns the secret, and deletes', async () => {
    const { buyer, id } = await subscribedBuyer();
    const list = await h.call('GET', '/api/v2/buyer/webhook-subscriptions', { key: buyer.key });
    expect(list.body.data.subscriptions).toEqual([
      expect.objectContaining({ id, url: receiver.url, status: 'active', failureCount: 0 }),
    ]);
    expect(list.text).not.toContain(secret);
    const deleted = await h.call('DELETE', `/api/v2/buyer/webhook-subscriptions/${id}`, {
      key: buyer.key,
    });
    expect(deleted.body.data).toEqual({ success: true, id });
    const again = await h.call('DELETE', `/api/v2/buyer/webhook-subscriptions/${id}`, {
      key: buyer.key,
    });
    expect(again.status).toBe(404);
  });

  it('refuses a short secret and an unknown event type with the field', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', '/api/v2/buyer/webhook-subscriptions', {
      key: buyer.key,
      body: { url: receiver.url, secret: 'short', eventTypes: ['media_buy.approved'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('secret');
    const type = await h.call('POST', '/api/v2/buyer/webhook-subscriptions', {
      key: buyer.key,
      body: { url: receiver.url, secret, eventTypes: ['nope'] },
    });
    expect(type.status).toBe(400);
  });

  it('refuses a loopback URL when private networks are not allowed', async () => {
    const app = await h.buildApp({ INTERCHANGE_ALLOW_PRIVATE_NETWORK: '0' }, { services: true });
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', '/api/v2/buyer/webhook-subscriptions', {
      app,
      key: buyer.key,
      body: { url: 'http://127.0.0.1:9/hooks', secret, eventTypes: ['*'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'url' });
  });

  it('answers NOT_FOUND for another buyer’s subscription and its log', async () => {
    const { id } = await subscribedBuyer();
    const other = await createCustomer(h, { role: 'BUYER' });
    const base = `/api/v2/buyer/webhook-subscriptions/${id}`;
    expect((await h.call('GET', `${base}/deliveries`, { key: other.key })).status).toBe(404);
    expect((await h.call('DELETE', base, { key: other.key })).status).toBe(404);
    const list = await h.call('GET', '/api/v2/buyer/webhook-subscriptions', { key: other.key });
    expect(list.body.data.subscriptions).toEqual([]);
  });
});
